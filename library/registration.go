package library

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// KindRegistration changes are registrations for events; federation answers
// them (Accept, Reject) or sends them (Join, Leave) to the other node.
const KindRegistration ObjectKind = "registration"

// The states of a registration.
const (
	// RegistrationPending waits for the host: an event in approval mode, or the
	// answer of another node.
	RegistrationPending = "pending"
	// RegistrationAccepted holds a place.
	RegistrationAccepted = "accepted"
	// RegistrationWaitlisted waits for a place; the first in line gets the next one.
	RegistrationWaitlisted = "waitlisted"
	// RegistrationRejected was declined by the host.
	RegistrationRejected = "rejected"
	// RegistrationCancelled was withdrawn by the organisation.
	RegistrationCancelled = "cancelled"
)

// Registration is an organisation's registration for an event. On the host's
// node it is the record that counts; on the registering organisation's node,
// for an event hosted elsewhere, it is a copy that the host's answers update.
type Registration struct {
	ID      string        `gorm:"primaryKey" json:"id"`
	EventID string        `json:"event_id"`
	Event   *Event        `gorm:"foreignKey:EventID" json:"-"`
	OrgID   string        `json:"-"`
	Org     *Organization `gorm:"foreignKey:OrgID" json:"org,omitempty"`
	Status  string        `json:"status"`
	// JoinID is the IRI of the Join activity that asked for it: ours when a
	// local organisation registers for a remote event, the sender's otherwise.
	JoinID string `gorm:"column:join_id" json:"-"`
	// RequestedAt orders the waiting list.
	RequestedAt time.Time  `json:"requested_at"`
	DecidedAt   *time.Time `json:"decided_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// stored tells a row read from the database from a new one.
	stored bool
}

// Active reports whether the registration still asks for or holds a place.
func (r *Registration) Active() bool {
	return r.Status == RegistrationPending || r.Status == RegistrationAccepted || r.Status == RegistrationWaitlisted
}

// AfterFind makes a Join IRI of this node absolute.
func (r *Registration) AfterFind(tx *gorm.DB) error {
	absolute(tx, true, &r.JoinID)
	r.stored = true
	return nil
}

// BeforeSave stores a Join IRI of this node relative to it.
func (r *Registration) BeforeSave(tx *gorm.DB) error {
	if rest, ok := strings.CutPrefix(r.JoinID, baseOf(tx)); ok && baseOf(tx) != "" && strings.HasPrefix(rest, "/") {
		r.JoinID = rest
	}
	return nil
}

// AfterSave gives the caller back an absolute Join IRI.
func (r *Registration) AfterSave(tx *gorm.DB) error { return r.AfterFind(tx) }

// Registration returns a registration by its id, with its event and organisation.
func (s *Store) Registration(ctx context.Context, id string) (*Registration, error) {
	return s.findRegistration(ctx, "id = ?", id)
}

// RegistrationFor returns an organisation's registration for an event, or ErrNotFound.
func (s *Store) RegistrationFor(ctx context.Context, eventID, orgID string) (*Registration, error) {
	return s.findRegistration(ctx, "event_id = ? AND org_id = ?", eventID, orgID)
}

// RegistrationByJoinID returns the registration that a Join activity asked for.
func (s *Store) RegistrationByJoinID(ctx context.Context, joinID string) (*Registration, error) {
	return s.findRegistration(ctx, "join_id = ?", s.relativeIRI(joinID))
}

func (s *Store) findRegistration(ctx context.Context, where string, args ...any) (*Registration, error) {
	var r Registration
	err := s.db.WithContext(ctx).Preload("Org").Preload("Event").Preload("Event.Org").Where(where, args...).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: registration %v: %w", args, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library: registration %v: %w", args, err)
	}
	return &r, nil
}

// Registrations lists an event's registrations in the order they were made,
// which is also the order of its waiting list.
func (s *Store) Registrations(ctx context.Context, eventID string) ([]Registration, error) {
	var out []Registration
	err := s.db.WithContext(ctx).Preload("Org").Where("event_id = ?", eventID).Order("requested_at, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("library: registrations of %s: %w", eventID, err)
	}
	return out, nil
}

// RegistrationCounts counts an event's registrations by status.
func (s *Store) RegistrationCounts(ctx context.Context, eventID string) (map[string]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	err := s.db.WithContext(ctx).Model(&Registration{}).Select("status, COUNT(*) AS n").
		Where("event_id = ?", eventID).Group("status").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("library: count registrations of %s: %w", eventID, err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// OrgRegistrations lists the active registrations of an organisation for
// events that end after the given time, soonest first, with their events.
func (s *Store) OrgRegistrations(ctx context.Context, orgID string, endsAfter time.Time) ([]Registration, error) {
	var out []Registration
	err := s.db.WithContext(ctx).Preload("Event").Preload("Event.Org").
		Joins("JOIN events ON events.id = registrations.event_id AND events.deleted_at IS NULL").
		Where("registrations.org_id = ? AND registrations.status IN ? AND events.ends_at > ?",
			orgID, []string{RegistrationPending, RegistrationAccepted, RegistrationWaitlisted}, endsAfter.UTC()).
		Order("events.starts_at, events.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("library: registrations of organisation %s: %w", orgID, err)
	}
	return out, nil
}
