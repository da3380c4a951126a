package library

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// After an introduction is accepted, its two organisations talk in private:
// each side's named contact (when the organisation chose one and agreed to
// share it) is shown to the other, they exchange messages, and either closes
// the introduction saying whether it helped. Across nodes every entry is a
// direct Note between the two organisation actors (federation), so a
// conversation reads in Mastodon as a direct message too.

// KindIntroductionMessage changes are entries of an introduction's conversation.
const KindIntroductionMessage ObjectKind = "introduction_message"

// Kinds of conversation entries.
const (
	EntryMessage = "message" // written by a member of staff
	EntryContact = "contact" // an organisation's contact, sent when the introduction is accepted
	EntryOutcome = "outcome" // the introduction closed, with its outcome
)

// Outcomes of a closed introduction.
const (
	OutcomeHelped   = "helped"
	OutcomeNotAFit  = "not_a_fit"
	MaxEntryLength  = 5000
	maxContactField = 200
)

// ConversationEntry is one entry of an introduction's conversation.
type ConversationEntry struct {
	ID             string        `gorm:"primaryKey" json:"id"`
	APID           string        `gorm:"column:ap_id" json:"ap_id"`
	IntroductionID string        `json:"introduction_id"`
	FromOrgID      string        `json:"-"`
	FromOrg        *Organization `gorm:"foreignKey:FromOrgID" json:"from,omitempty"`
	Kind           string        `json:"kind"`
	Body           string        `json:"body"`
	Outcome        string        `json:"outcome,omitempty"`
	Local          bool          `json:"local"`
	CreatedAt      time.Time     `json:"created_at"`
}

// TableName is the entries' table.
func (ConversationEntry) TableName() string { return "introduction_messages" }

// ContactInput is the contact an organisation shares with the organisations
// whose introductions are accepted; an empty name shares none.
type ContactInput struct {
	Name  string `json:"contact_name"`
	Email string `json:"contact_email"`
}

// SetContact sets (or, with an empty name, clears) the contact a local
// organisation shares once an introduction is accepted, and nowhere else.
func (s *Store) SetContact(ctx context.Context, orgID string, in ContactInput) (*Organization, error) {
	in.Name, in.Email = strings.TrimSpace(in.Name), strings.TrimSpace(in.Email)
	switch {
	case len(in.Name) > maxContactField || len(in.Email) > maxContactField:
		return nil, Invalid("contact_name", "must be at most %d characters", maxContactField)
	case in.Name == "" && in.Email != "":
		return nil, Invalid("contact_name", "is required with an e-mail")
	case in.Email != "":
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			return nil, Invalid("contact_email", "%q is not an e-mail address", in.Email)
		}
	}
	o, err := s.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !o.Local {
		return nil, fmt.Errorf("library: %s is not local: %w", o.Address(), ErrForbidden)
	}
	o.ContactName, o.ContactEmail = in.Name, in.Email
	err = s.db.WithContext(ctx).Model(&Organization{}).Where("id = ?", o.ID).
		Updates(map[string]any{"contact_name": o.ContactName, "contact_email": o.ContactEmail}).Error
	if err != nil {
		return nil, fmt.Errorf("library: contact of %s: %w", o.Handle, err)
	}
	return o, nil
}

// contactCard is what the contact entry says.
func contactCard(o *Organization) string {
	if o.ContactEmail == "" {
		return o.ContactName
	}
	return o.ContactName + " <" + o.ContactEmail + ">"
}

// sides reports whether orgID is one of the introduction's two organisations.
func (in *Introduction) sides(orgID string) bool { return in.FromOrgID == orgID || in.ToOrgID == orgID }

// Other is the organisation on the other side from orgID.
func (in *Introduction) Other(orgID string) *Organization {
	if in.FromOrgID == orgID {
		return in.ToOrg
	}
	return in.FromOrg
}

// PostMessage adds a message of a local organisation to an accepted, open
// introduction it is part of.
func (s *Store) PostMessage(ctx context.Context, introID, orgID, body string) (*ConversationEntry, error) {
	in, err := s.Introduction(ctx, introID)
	if err != nil {
		return nil, err
	}
	body = strings.TrimSpace(body)
	switch {
	case !in.sides(orgID):
		return nil, fmt.Errorf("library: introduction %s: %w", introID, ErrForbidden)
	case in.State != IntroAccepted:
		return nil, Invalid("introduction", "messages follow an accepted introduction; this one is %s", in.State)
	case in.Outcome != "":
		return nil, Invalid("introduction", "it was closed (%s)", in.Outcome)
	case body == "":
		return nil, Invalid("body", "is required")
	case len([]rune(body)) > MaxEntryLength:
		return nil, Invalid("body", "must be at most %d characters", MaxEntryLength)
	}
	e := s.newEntry(in, orgID, EntryMessage, body, "")
	return e, s.write(ctx, func(tx *gorm.DB) error { return addEntry(tx, e) })
}

// CloseIntroduction closes an accepted introduction for one of its local
// organisations, with its outcome (helped, or not a fit) and a word on why.
func (s *Store) CloseIntroduction(ctx context.Context, introID, orgID, outcome, note string) (*Introduction, error) {
	in, err := s.Introduction(ctx, introID)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	switch {
	case !in.sides(orgID):
		return nil, fmt.Errorf("library: introduction %s: %w", introID, ErrForbidden)
	case outcome != OutcomeHelped && outcome != OutcomeNotAFit:
		return nil, Invalid("outcome", "must be %s or %s", OutcomeHelped, OutcomeNotAFit)
	case in.State != IntroAccepted:
		return nil, Invalid("introduction", "only an accepted introduction is closed; this one is %s", in.State)
	case len([]rune(note)) > MaxEntryLength:
		return nil, Invalid("note", "must be at most %d characters", MaxEntryLength)
	}
	if in.Outcome != "" {
		if in.Outcome == outcome {
			return in, nil
		}
		return nil, fmt.Errorf("library: introduction %s: %w: it was already closed (%s)", introID, ErrConflict, in.Outcome)
	}
	e := s.newEntry(in, orgID, EntryOutcome, note, outcome)
	return s.closeWith(ctx, in, e)
}

// closeWith records the outcome and its entry.
func (s *Store) closeWith(ctx context.Context, in *Introduction, e *ConversationEntry) (*Introduction, error) {
	now := time.Now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Introduction{}).Where("id = ?", in.ID).
			Updates(map[string]any{"outcome": e.Outcome, "closed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		return addEntry(tx, e)
	})
	if err != nil {
		return nil, fmt.Errorf("library: close introduction %s: %w", in.ID, err)
	}
	in.Outcome, in.ClosedAt = e.Outcome, &now
	return in, nil
}

func (s *Store) newEntry(in *Introduction, orgID, kind, body, outcome string) *ConversationEntry {
	id := NewID()
	return &ConversationEntry{ID: id, APID: s.cfg.BaseURL + "/introductions/" + in.ID + "/messages/" + id,
		IntroductionID: in.ID, FromOrgID: orgID, Kind: kind, Body: body, Outcome: outcome, Local: true, CreatedAt: time.Now().UTC()}
}

// addEntry inserts an entry and records it for federation.
func addEntry(tx *gorm.DB, e *ConversationEntry) error {
	if err := tx.Omit("FromOrg").Create(e).Error; err != nil {
		return err
	}
	return recordChange(tx, KindIntroductionMessage, e.ID, OpCreate)
}

// shareContacts adds, in tx, the contact entry of each local side of an
// introduction just accepted that chose a contact.
func (s *Store) shareContacts(tx *gorm.DB, in *Introduction) error {
	for _, o := range []*Organization{in.ToOrg, in.FromOrg} {
		if o == nil || !o.Local || o.ContactName == "" {
			continue
		}
		if err := addEntry(tx, s.newEntry(in, o.ID, EntryContact, contactCard(o), "")); err != nil {
			return err
		}
	}
	return nil
}

// ReceivedEntry is an entry that arrived from the other side's node.
type ReceivedEntry struct {
	APID, IntroductionAPID, FromOrgID, Kind, Body, Outcome string
}

// ReceiveEntry stores an entry of a conversation sent by the organisation on
// the other node; it is idempotent by APID. An outcome closes the
// introduction here too.
func (s *Store) ReceiveEntry(ctx context.Context, r ReceivedEntry) (*ConversationEntry, error) {
	var existing ConversationEntry
	if err := s.db.WithContext(ctx).Where("ap_id = ?", r.APID).First(&existing).Error; err == nil {
		return &existing, nil
	}
	in, err := s.IntroductionByAPID(ctx, r.IntroductionAPID)
	if err != nil {
		return nil, err
	}
	if !in.sides(r.FromOrgID) || in.Other(r.FromOrgID) == nil || !in.Other(r.FromOrgID).Local {
		return nil, fmt.Errorf("library: entry %s of introduction %s: %w", r.APID, in.ID, ErrForbidden)
	}
	if in.State != IntroAccepted {
		return nil, Invalid("introduction", "an entry for an introduction that is %s", in.State)
	}
	switch r.Kind {
	case EntryMessage, EntryContact:
	case EntryOutcome:
		if r.Outcome != OutcomeHelped && r.Outcome != OutcomeNotAFit {
			return nil, Invalid("outcome", "%q is no outcome", r.Outcome)
		}
	default:
		return nil, Invalid("kind", "%q is no kind of entry", r.Kind)
	}
	body := []rune(strings.TrimSpace(r.Body))
	if len(body) > MaxEntryLength {
		body = body[:MaxEntryLength]
	}
	e := &ConversationEntry{ID: NewID(), APID: r.APID, IntroductionID: in.ID, FromOrgID: r.FromOrgID, Kind: r.Kind,
		Body: string(body), Outcome: r.Outcome, CreatedAt: time.Now().UTC()}
	if r.Kind == EntryOutcome {
		if in.Outcome != "" {
			return e, nil // closed already, from this side or by an earlier entry
		}
		_, err := s.closeWith(ctx, in, e)
		return e, err
	}
	return e, s.write(ctx, func(tx *gorm.DB) error { return tx.Omit("FromOrg").Create(e).Error })
}

// Conversation is an introduction's entries, oldest first, for one of its organisations.
func (s *Store) Conversation(ctx context.Context, introID, orgID string) ([]ConversationEntry, error) {
	in, err := s.Introduction(ctx, introID)
	if err != nil {
		return nil, err
	}
	if orgID != "" && !in.sides(orgID) {
		return nil, fmt.Errorf("library: introduction %s: %w", introID, ErrForbidden)
	}
	var out []ConversationEntry
	err = s.db.WithContext(ctx).Preload("FromOrg").Where("introduction_id = ?", in.ID).Order("created_at, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("library: conversation of %s: %w", introID, err)
	}
	return out, nil
}

// ConversationEntryByID is one entry with its organisation.
func (s *Store) ConversationEntryByID(ctx context.Context, id string) (*ConversationEntry, error) {
	var e ConversationEntry
	err := s.db.WithContext(ctx).Preload("FromOrg").Where("id = ?", id).First(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: conversation entry %s: %w", id, ErrNotFound)
	}
	return &e, err
}

// IntroductionCounts is how introductions made or received on this node
// turned out: the network's measure of matches that led to working together.
type IntroductionCounts struct {
	Total    int64 `json:"total"`
	Pending  int64 `json:"pending"`
	Accepted int64 `json:"accepted"`
	Rejected int64 `json:"rejected"`
	Helped   int64 `json:"helped"`
	NotAFit  int64 `json:"not_a_fit"`
}

// CountIntroductions counts the node's introductions by state and outcome.
func (s *Store) CountIntroductions(ctx context.Context) (IntroductionCounts, error) {
	var rows []struct {
		State, Outcome string
		N              int64
	}
	err := s.db.WithContext(ctx).Model(&Introduction{}).Select("state, outcome, COUNT(*) AS n").Group("state, outcome").Scan(&rows).Error
	var c IntroductionCounts
	for _, r := range rows {
		c.Total += r.N
		switch r.State {
		case IntroPending:
			c.Pending += r.N
		case IntroAccepted:
			c.Accepted += r.N
		case IntroRejected:
			c.Rejected += r.N
		}
		switch r.Outcome {
		case OutcomeHelped:
			c.Helped += r.N
		case OutcomeNotAFit:
			c.NotAFit += r.N
		}
	}
	return c, err
}

// Waiting is what waits for an organisation's staff: introductions to
// answer, registrations for its events to decide.
type Waiting struct {
	Introductions int64 `json:"introductions"`
	Registrations int64 `json:"registrations"`
}

// Total is everything waiting.
func (w Waiting) Total() int64 { return w.Introductions + w.Registrations }

// WaitingFor counts what waits for a local organisation.
func (s *Store) WaitingFor(ctx context.Context, orgID string) (Waiting, error) {
	var w Waiting
	db := s.db.WithContext(ctx)
	err := db.Model(&Introduction{}).Where("state = ? AND ((asked = ? AND to_org_id = ?) OR (asked = ? AND from_org_id = ?))",
		IntroPending, false, orgID, true, orgID).Count(&w.Introductions).Error
	if err != nil {
		return w, fmt.Errorf("library: waiting for %s: %w", orgID, err)
	}
	err = db.Model(&Registration{}).Where("status = ? AND event_id IN (?)", RegistrationPending,
		db.Model(&Event{}).Select("id").Where("org_id = ? AND local = ?", orgID, true)).Count(&w.Registrations).Error
	if err != nil {
		return w, fmt.Errorf("library: waiting for %s: %w", orgID, err)
	}
	return w, nil
}
