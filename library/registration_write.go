package library

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Register registers an organisation for an event. For an event hosted here
// the check of the places left and the insert happen in one write
// transaction, so the capacity holds however many registrations arrive at
// once: in open mode the registration is accepted while places remain and
// waitlisted after; in approval mode it is pending until the host decides.
// For an event hosted on another node only a local organisation may register:
// the registration stays pending until the host's node answers.
//
// joinID is the IRI of the Join activity when the request came from another
// node, and "" otherwise. created is false when the organisation was already
// registered (the registration is then returned as it is).
func (s *Store) Register(ctx context.Context, eventID, orgID, joinID string) (r *Registration, created bool, err error) {
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return nil, false, err
	}
	now := time.Now().UTC()
	err = s.write(ctx, func(tx *gorm.DB) error {
		ev, err := lockEvent(tx, eventID)
		if err != nil {
			return err
		}
		if err := checkRegistrant(ev, org, now); err != nil {
			return err
		}
		r, created, err = upsertRegistration(tx, ev, org, now)
		if err != nil {
			return err
		}
		if !created {
			return refreshJoinID(tx, r, joinID)
		}
		r.JoinID = joinID
		if !ev.Local {
			r.JoinID = "/registrations/" + r.ID + "/joins/" + NewID()
		}
		r.Status, err = admission(tx, ev)
		if err != nil {
			return err
		}
		return saveRegistration(tx, ev, r, OpCreate)
	})
	if err != nil {
		return nil, false, fmt.Errorf("library: register %s for event %s: %w", org.Address(), eventID, err)
	}
	r.Org = org
	return r, created, nil
}

// refreshJoinID keeps the IRI of the latest Join of a registration that
// exists, so that the host's next answer names the Join the sender knows.
func refreshJoinID(tx *gorm.DB, r *Registration, joinID string) error {
	if joinID == "" || joinID == r.JoinID {
		return nil
	}
	r.JoinID = joinID
	return tx.Model(&Registration{}).Where("id = ?", r.ID).UpdateColumn("join_id", joinID).Error
}

// checkRegistrant says whether org may register for ev at now.
func checkRegistrant(ev *Event, org *Organization, now time.Time) error {
	switch {
	case ev.OrgID == org.ID:
		return Invalid("org", "the host of an event cannot register for it")
	case !ev.Local && !org.Local:
		return fmt.Errorf("%w: neither the event nor the organisation is on this node", ErrForbidden)
	}
	return ev.RegistrationOpen(now)
}

// upsertRegistration returns the organisation's active registration as it is
// (created false), or a fresh one at the end of the line to be saved.
func upsertRegistration(tx *gorm.DB, ev *Event, org *Organization, now time.Time) (*Registration, bool, error) {
	var r Registration
	err := tx.Where("event_id = ? AND org_id = ?", ev.ID, org.ID).First(&r).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		r = Registration{ID: NewID(), EventID: ev.ID, OrgID: org.ID, CreatedAt: now}
	case err != nil:
		return nil, false, err
	case r.Active():
		return &r, false, nil
	case r.Status == RegistrationRejected && ev.Local:
		return nil, false, fmt.Errorf("%w: the host declined this organisation's registration", ErrConflict)
	}
	r.RequestedAt, r.DecidedAt, r.UpdatedAt = now, nil, now
	return &r, true, nil
}

// admission is the state a new registration starts in.
func admission(tx *gorm.DB, ev *Event) (string, error) {
	if !ev.Local || ev.JoinMode == "approval" {
		return RegistrationPending, nil
	}
	free, err := placesLeft(tx, ev)
	if err != nil {
		return "", err
	}
	if free == 0 {
		return RegistrationWaitlisted, nil
	}
	return RegistrationAccepted, nil
}

// placesLeft counts the free places of a local event; -1 means unlimited.
func placesLeft(tx *gorm.DB, ev *Event) (int, error) {
	if ev.Capacity == 0 {
		return -1, nil
	}
	var n int64
	err := tx.Model(&Registration{}).Where("event_id = ? AND status = ?", ev.ID, RegistrationAccepted).Count(&n).Error
	return max(ev.Capacity-int(n), 0), err
}

// saveRegistration writes r, logs the change and keeps the event's count right.
func saveRegistration(tx *gorm.DB, ev *Event, r *Registration, op Op) error {
	r.UpdatedAt = time.Now().UTC()
	if r.Status != RegistrationPending && r.DecidedAt == nil {
		r.DecidedAt = &r.UpdatedAt
	}
	// Save of a new row would insert it without the BeforeSave hook.
	write := tx.Omit("Org", "Event").Create
	if r.stored {
		write = tx.Omit("Org", "Event").Save
	}
	if err := write(r).Error; err != nil {
		return err
	}
	if err := recordChange(tx, KindRegistration, r.ID, op); err != nil {
		return err
	}
	return recount(tx, ev)
}

// recount stores a local event's number of accepted registrations, and logs
// the event as changed when it moved, so that other nodes hear of it.
func recount(tx *gorm.DB, ev *Event) error {
	if !ev.Local {
		return nil
	}
	var n int64
	if err := tx.Model(&Registration{}).Where("event_id = ? AND status = ?", ev.ID, RegistrationAccepted).Count(&n).Error; err != nil {
		return err
	}
	if int(n) == ev.ParticipantCount {
		return nil
	}
	ev.ParticipantCount = int(n)
	// updated_at moves too, so that other nodes can tell a newer count from an older one.
	err := tx.Model(&Event{}).Where("id = ?", ev.ID).
		UpdateColumns(map[string]any{"participant_count": n, "updated_at": time.Now().UTC()}).Error
	if err != nil {
		return err
	}
	return recordChange(tx, KindEvent, ev.ID, OpUpdate)
}

// promote gives the free places of a local event to the first on its waiting list.
func promote(tx *gorm.DB, ev *Event) error {
	if !ev.Local || ev.Cancelled() {
		return recount(tx, ev)
	}
	free, err := placesLeft(tx, ev)
	if err != nil || free == 0 {
		return err
	}
	q := tx.Where("event_id = ? AND status = ?", ev.ID, RegistrationWaitlisted).Order("requested_at, id")
	if free > 0 {
		q = q.Limit(free)
	}
	var waiting []Registration
	if err := q.Find(&waiting).Error; err != nil {
		return err
	}
	for i := range waiting {
		waiting[i].Status, waiting[i].DecidedAt = RegistrationAccepted, nil
		if err := saveRegistration(tx, ev, &waiting[i], OpUpdate); err != nil {
			return err
		}
	}
	return recount(tx, ev)
}

// Leave withdraws an organisation's registration; a place it held goes to the
// first on the waiting list. Leaving twice is harmless.
func (s *Store) Leave(ctx context.Context, eventID, orgID string) (*Registration, error) {
	var r Registration
	err := s.write(ctx, func(tx *gorm.DB) error {
		ev, err := lockEvent(tx, eventID)
		if err != nil {
			return err
		}
		err = tx.Where("event_id = ? AND org_id = ?", eventID, orgID).First(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("%w: the organisation is not registered", ErrNotFound)
		}
		if err != nil || !r.Active() {
			return err
		}
		held := r.Status == RegistrationAccepted
		r.Status, r.DecidedAt = RegistrationCancelled, nil
		if err := saveRegistration(tx, ev, &r, OpUpdate); err != nil {
			return err
		}
		if held {
			return promote(tx, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("library: leave event %s: %w", eventID, err)
	}
	return s.Registration(ctx, r.ID)
}

// DecideRegistration is the host's answer to a registration for a local event:
// accepting gives it a place if one is free and puts it on the waiting list
// otherwise; declining frees the place it held, for the next in line.
func (s *Store) DecideRegistration(ctx context.Context, id string, accept bool) (*Registration, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var r Registration
		if err := tx.Where("id = ?", id).First(&r).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		ev, err := lockEvent(tx, r.EventID)
		if err != nil {
			return err
		}
		if !ev.Local {
			return fmt.Errorf("%w: the event is hosted on another node", ErrForbidden)
		}
		return decide(tx, ev, &r, accept)
	})
	if err != nil {
		return nil, fmt.Errorf("library: decide registration %s: %w", id, err)
	}
	return s.Registration(ctx, id)
}

func decide(tx *gorm.DB, ev *Event, r *Registration, accept bool) error {
	was := r.Status
	switch {
	case was == RegistrationCancelled:
		return fmt.Errorf("%w: the organisation withdrew this registration", ErrConflict)
	case accept && (was == RegistrationAccepted || was == RegistrationWaitlisted):
		return nil
	case !accept && was == RegistrationRejected:
		return nil
	case accept:
		free, err := placesLeft(tx, ev)
		if err != nil {
			return err
		}
		r.Status = RegistrationAccepted
		if free == 0 {
			r.Status = RegistrationWaitlisted
		}
	default:
		r.Status = RegistrationRejected
	}
	r.DecidedAt = nil
	if err := saveRegistration(tx, ev, r, OpUpdate); err != nil {
		return err
	}
	if was == RegistrationAccepted {
		return promote(tx, ev)
	}
	return nil
}

// answerStatuses are the states a host's node may report for a registration.
var answerStatuses = []string{RegistrationPending, RegistrationAccepted, RegistrationWaitlisted, RegistrationRejected}

// ApplyRegistrationAnswer records the host node's answer to a Join this node
// sent for a local organisation; a host may change its mind, so a declined
// registration can still be accepted. An answer to a registration withdrawn
// since is ignored. It logs no change: nothing more has to be sent.
func (s *Store) ApplyRegistrationAnswer(ctx context.Context, joinID, status string) (*Registration, error) {
	if _, err := oneOf("status", []string{status}, answerStatuses...); err != nil {
		return nil, err
	}
	r, err := s.RegistrationByJoinID(ctx, joinID)
	if err != nil {
		return nil, err
	}
	if r.Event == nil || r.Event.Local {
		return nil, fmt.Errorf("library: answer to %s: %w", joinID, ErrForbidden)
	}
	if r.Status == RegistrationCancelled || r.Status == status {
		return r, nil
	}
	now := time.Now().UTC()
	err = s.db.WithContext(ctx).Model(&Registration{}).Where("id = ? AND status <> ?", r.ID, RegistrationCancelled).
		Updates(map[string]any{"status": status, "decided_at": now, "updated_at": now}).Error
	if err != nil {
		return nil, fmt.Errorf("library: answer to %s: %w", joinID, err)
	}
	return s.Registration(ctx, r.ID)
}
