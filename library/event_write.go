package library

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateEvent announces a new event hosted by a local organisation.
func (s *Store) CreateEvent(ctx context.Context, orgID string, in EventInput) (*Event, error) {
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !org.Local {
		return nil, fmt.Errorf("library: event for remote organisation %s: %w", org.Address(), ErrForbidden)
	}
	now := time.Now().UTC()
	id := NewID()
	e := &Event{
		ID: id, OrgID: orgID, Local: true, Indexable: true, APID: "/events/" + id, URL: "/events/" + id,
		JoinMode: "open", Status: "confirmed", Visibility: "public",
		Themes: []string{}, Languages: []string{}, PublishedAt: now, CreatedAt: now, UpdatedAt: now,
	}
	if err := in.apply(e, s.cfg.DefaultLanguage, true); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Org").Create(e).Error; err != nil {
			return err
		}
		return recordChange(tx, KindEvent, e.ID, OpCreate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: create event: %w", err)
	}
	e.Org = org
	return e, nil
}

// lockEvent reads an event inside a write transaction so that no other write
// to it can interleave: SQLite's write transactions are serialised already
// (the store opens them IMMEDIATE); on PostgreSQL the row is locked.
func lockEvent(tx *gorm.DB, id string) (*Event, error) {
	q := tx
	if IsPostgres(tx) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var e Event
	err := q.Where("id = ?", id).First(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		var n int64
		tx.Unscoped().Model(&Event{}).Where("id = ? AND deleted_at IS NOT NULL", id).Count(&n)
		if n > 0 {
			return nil, ErrGone
		}
		return nil, ErrNotFound
	}
	return &e, err
}

// UpdateEvent applies a partial change to a local event. Every change raises
// its sequence, so calendars replace their copy; more places admit the first
// of the waiting list.
func (s *Store) UpdateEvent(ctx context.Context, id string, in EventInput) (*Event, error) {
	var e *Event
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if e, err = lockEvent(tx, id); err != nil {
			return err
		}
		if !e.Local {
			return fmt.Errorf("%w: the event is hosted on another node", ErrForbidden)
		}
		if err := in.apply(e, s.cfg.DefaultLanguage, false); err != nil {
			return err
		}
		e.Sequence++
		e.UpdatedAt = time.Now().UTC()
		if err := tx.Omit("Org").Save(e).Error; err != nil {
			return err
		}
		if err := recordChange(tx, KindEvent, e.ID, OpUpdate); err != nil {
			return err
		}
		return promote(tx, e)
	})
	if err != nil {
		return nil, fmt.Errorf("library: update event %s: %w", id, err)
	}
	return s.Event(ctx, id)
}

// CancelEvent marks a local event cancelled; it stays visible, so that
// calendars and registered organisations learn of the cancellation.
func (s *Store) CancelEvent(ctx context.Context, id string) (*Event, error) {
	status := "cancelled"
	return s.UpdateEvent(ctx, id, EventInput{Status: &status})
}

// DeleteEvent deletes an event; its IRI then answers 410 Gone.
func (s *Store) DeleteEvent(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", id).Delete(&Event{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return recordChange(tx, KindEvent, id, OpDelete)
	})
	if err != nil {
		return fmt.Errorf("library: delete event %s: %w", id, err)
	}
	return nil
}

// UpsertRemoteEvent stores or refreshes the copy of an event hosted on another
// node, keyed by its ap_id. OrgID must name the (remote) host, who must own any
// copy already held. Its participant count is the host's, and so is its
// Sequence when the host says it (a Commonplace host does); a Sequence below
// 0 means unknown (Mobilizon), and each new version of the copy raises it.
func (s *Store) UpsertRemoteEvent(ctx context.Context, e *Event) (*Event, error) {
	if err := e.checkRemote(s.cfg.DefaultLanguage); err != nil {
		return nil, err
	}
	known := e.Sequence >= 0
	err := upsertRemote(ctx, s, e, KindEvent, func(existing *Event) {
		switch {
		case known:
		case existing != nil:
			e.Sequence = existing.Sequence + 1
		default:
			e.Sequence = 0
		}
	})
	if err != nil {
		return nil, fmt.Errorf("library: store remote event %s: %w", e.APID, err)
	}
	return e, nil
}

// checkRemote makes a remote event safe and complete enough to store.
func (e *Event) checkRemote(defaultLang string) error {
	if e.APID == "" || e.OrgID == "" {
		return Invalid("object", "a remote event needs an id and an author")
	}
	if e.Title == "" || e.Start.IsZero() {
		return Invalid("object", "a remote event needs a name and a startTime")
	}
	if _, err := LoadZone(e.Timezone); err != nil {
		e.Timezone = "UTC"
	}
	if !e.End.After(e.Start) {
		e.End = e.Start.Add(time.Hour)
	}
	e.Local = false
	e.ContentHTML = SanitizeHTML(e.ContentHTML)
	e.Capacity, e.ParticipantCount = max(e.Capacity, 0), max(e.ParticipantCount, 0)
	if ok, _ := oneOf("status", []string{e.Status}, EventStatuses...); ok == nil {
		e.Status = "confirmed"
	}
	if ok, _ := oneOf("join_mode", []string{e.JoinMode}, JoinModes...); ok == nil {
		e.JoinMode = "open"
	}
	if e.Visibility == "" {
		e.Visibility = "public"
	}
	if e.Themes == nil {
		e.Themes = []string{}
	}
	if len(e.Languages) == 0 {
		e.Languages = []string{defaultLang}
	}
	return nil
}

// DeleteRemoteEvent deletes the copy of a remote event if orgID hosts it.
func (s *Store) DeleteRemoteEvent(ctx context.Context, apID, orgID string) error {
	e, err := s.EventByAPID(ctx, apID)
	if err != nil {
		return err
	}
	if e.Local || e.OrgID != orgID {
		return fmt.Errorf("library: delete %s: %w", apID, ErrForbidden)
	}
	return s.DeleteEvent(ctx, e.ID)
}
