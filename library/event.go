package library

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Allowed values of event fields.
var (
	// EventStatuses follow iCalendar's and Mobilizon's statuses of an event.
	EventStatuses = []string{"confirmed", "tentative", "cancelled"}
	// JoinModes: open accepts registrations while places remain; approval
	// keeps each one pending until the host accepts or declines it.
	JoinModes = []string{"open", "approval"}
)

// MaxCapacity bounds an event's places; Capacity 0 means unlimited.
const MaxCapacity = 100000

// Place is where an in-person event happens.
type Place struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	// Country is an ISO 3166 code, like GB or CA-QC.
	Country string `json:"country"`
}

// IsZero reports whether no place was given.
func (p Place) IsZero() bool { return p.Name == "" && p.Address == "" && p.Country == "" }

// Event is a learning event hosted by an organisation, here or on another node.
type Event struct {
	ID             string        `gorm:"primaryKey" json:"id"`
	OrgID          string        `json:"-"`
	Org            *Organization `gorm:"foreignKey:OrgID" json:"org,omitempty"`
	Local          bool          `json:"local"`
	APID           string        `gorm:"column:ap_id" json:"ap_id"`
	URL            string        `json:"url"`
	Title          string        `json:"title"`
	Body           string        `json:"body"`
	ContentHTML    string        `gorm:"column:content_html" json:"content_html"`
	Start          time.Time     `gorm:"column:starts_at" json:"start"`
	End            time.Time     `gorm:"column:ends_at" json:"end"`
	Timezone       string        `json:"timezone"`
	OnlineURL      string        `gorm:"column:online_url" json:"online_url,omitempty"`
	Place          Place         `gorm:"embedded;embeddedPrefix:place_" json:"place,omitzero"`
	Themes         []string      `gorm:"serializer:json" json:"themes"`
	ThemesInferred bool          `json:"themes_inferred"`
	Languages      []string      `gorm:"serializer:json" json:"languages"`
	// Capacity is the number of places; 0 means unlimited.
	Capacity             int        `json:"capacity"`
	JoinMode             string     `json:"join_mode"`
	RegistrationDeadline *time.Time `json:"registration_deadline"`
	Status               string     `json:"status"`
	// Sequence is iCalendar's revision number, raised by every change and by a cancellation.
	Sequence   int    `json:"sequence"`
	Visibility string `json:"visibility"`
	// Indexable is the consent to be indexed beyond this node (see Listing).
	Indexable bool `json:"indexable"`
	// ParticipantCount is the number of accepted registrations (for a remote
	// event, as its host last reported it).
	ParticipantCount int            `json:"participant_count"`
	PublishedAt      time.Time      `json:"published_at"`
	CreatedAt        time.Time      `json:"created_at"`
	UpdatedAt        time.Time      `json:"updated_at"`
	DeletedAt        gorm.DeletedAt `json:"-"`
}

// Online reports whether the event can be joined online.
func (e *Event) Online() bool { return e.OnlineURL != "" }

// InPerson reports whether the event has a place.
func (e *Event) InPerson() bool { return !e.Place.IsZero() }

// Cancelled reports whether the host cancelled the event.
func (e *Event) Cancelled() bool { return e.Status == "cancelled" }

// Location is the event's time zone; UTC when it cannot be loaded.
func (e *Event) Location() *time.Location {
	if loc, err := time.LoadLocation(e.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// RemainingCapacity is the number of free places, or -1 when places are unlimited.
func (e *Event) RemainingCapacity() int {
	if e.Capacity == 0 {
		return -1
	}
	return max(e.Capacity-e.ParticipantCount, 0)
}

// RegistrationOpen tells whether a registration made at t is allowed, and if
// not, which field says why.
func (e *Event) RegistrationOpen(t time.Time) error {
	switch {
	case e.Cancelled():
		return Invalid("status", "the event is cancelled; registrations are closed")
	case e.RegistrationDeadline != nil && t.After(*e.RegistrationDeadline):
		return Invalid("registration_deadline", "registrations closed at %s", e.RegistrationDeadline.In(e.Location()).Format(time.RFC3339))
	case !t.Before(e.End):
		return Invalid("end", "the event is over")
	}
	return nil
}

// AfterFind makes a local event's IRIs absolute and shows its times in its zone.
func (e *Event) AfterFind(tx *gorm.DB) error {
	absolute(tx, e.Local, &e.APID)
	absolute(tx, e.Local, &e.URL)
	loc := e.Location()
	e.Start, e.End = e.Start.In(loc), e.End.In(loc)
	if e.RegistrationDeadline != nil {
		d := e.RegistrationDeadline.In(loc)
		e.RegistrationDeadline = &d
	}
	return nil
}

// BeforeSave stores a local event's IRIs relative to the node, and times in UTC.
func (e *Event) BeforeSave(tx *gorm.DB) error {
	relative(tx, e.Local, &e.APID)
	relative(tx, e.Local, &e.URL)
	e.Start, e.End = e.Start.UTC(), e.End.UTC()
	if e.RegistrationDeadline != nil {
		d := e.RegistrationDeadline.UTC()
		e.RegistrationDeadline = &d
	}
	return nil
}

// AfterSave gives the caller back absolute IRIs and zoned times.
func (e *Event) AfterSave(tx *gorm.DB) error { return e.AfterFind(tx) }

// Event returns an event by its id; a deleted one is ErrGone.
func (s *Store) Event(ctx context.Context, id string) (*Event, error) {
	return live[Event](ctx, s, "event "+id, "id = ?", id)
}

// EventByAPID returns an event, local or remote, by its IRI.
func (s *Store) EventByAPID(ctx context.Context, apID string) (*Event, error) {
	return first[Event](ctx, s, false, "event "+apID, "ap_id = ?", s.relativeIRI(apID))
}

// DeletedEvent returns a deleted event (for its Tombstone), or ErrNotFound.
func (s *Store) DeletedEvent(ctx context.Context, id string) (*Event, error) {
	return first[Event](ctx, s, true, "deleted event "+id, "id = ? AND deleted_at IS NOT NULL", id)
}

// EventQuery filters a list of events. Zero fields do not filter.
type EventQuery struct {
	OrgID string
	Local *bool
	// EndsAfter keeps events still running at that time (upcoming ones: now).
	EndsAfter time.Time
	// AnyTheme keeps events that carry at least one of the themes.
	AnyTheme []string
	// Language keeps events in that language (its base: "fr" matches "fr-CA").
	Language string
	// Mode is "online" or "in_person".
	Mode string
	// Country matches the place's country, or a region of it ("GB" matches "GB-SCT").
	Country          string
	ExcludeCancelled bool
	ExcludeOrgID     string
	IDs              []string
	// Viewer is who the list is for: only what it may see is listed.
	Viewer Viewer
	Limit  int
	Offset int
}

// Events lists events, soonest first.
func (s *Store) Events(ctx context.Context, q EventQuery) ([]Event, error) {
	tx := s.db.WithContext(ctx).Preload("Org").Order("starts_at, id").Limit(limitOr(q.Limit, 50)).Offset(q.Offset)
	tx = q.scope(tx)
	var out []Event
	if err := tx.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("library: events: %w", err)
	}
	return out, nil
}

func (q EventQuery) scope(tx *gorm.DB) *gorm.DB {
	if q.OrgID != "" {
		tx = tx.Where("org_id = ?", q.OrgID)
	}
	if q.ExcludeOrgID != "" {
		tx = tx.Where("org_id <> ?", q.ExcludeOrgID)
	}
	if q.Local != nil {
		tx = tx.Where("local = ?", *q.Local)
	}
	if !q.EndsAfter.IsZero() {
		tx = tx.Where("ends_at > ?", q.EndsAfter.UTC())
	}
	if len(q.AnyTheme) > 0 {
		cond, args := []string{}, []any{}
		for _, t := range q.AnyTheme {
			cond, args = append(cond, "themes LIKE ?"), append(args, `%"`+t+`"%`)
		}
		tx = tx.Where("("+strings.Join(cond, " OR ")+")", args...)
	}
	if q.Language != "" {
		base := LanguageBase(q.Language)
		tx = tx.Where("(languages LIKE ? OR languages LIKE ?)", `%"`+base+`"%`, `%"`+base+`-%`)
	}
	switch q.Mode {
	case "online":
		tx = tx.Where("online_url <> ''")
	case "in_person":
		tx = tx.Where("(place_name <> '' OR place_address <> '')")
	}
	if q.Country != "" {
		c := strings.ToUpper(q.Country)
		tx = tx.Where("(place_country = ? OR place_country LIKE ?)", c, c+"-%")
	}
	if q.ExcludeCancelled {
		tx = tx.Where("status <> 'cancelled'")
	}
	if q.IDs != nil {
		tx = tx.Where("id IN ?", q.IDs)
	}
	return q.Viewer.Scope(tx)
}

// CountEvents counts local or remote events.
func (s *Store) CountEvents(ctx context.Context, local bool) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Event{}).Where("local = ?", local).Count(&n).Error
	return n, err
}

// LocalEventsPage lists local events by id for federation's outbox pages,
// newest first (oldest first when MinID is set), like LocalListingsPage.
func (s *Store) LocalEventsPage(ctx context.Context, q ListingPageQuery) ([]Event, error) {
	return localPage[Event](ctx, s, q, "events")
}
