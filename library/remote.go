package library

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// UpsertRemoteOrganization stores or refreshes the copy of a remote actor, keyed
// by its ap_id. Handle and Domain must be set.
func (s *Store) UpsertRemoteOrganization(ctx context.Context, o *Organization) (*Organization, error) {
	if o.APID == "" || o.Handle == "" || o.Domain == "" {
		return nil, Invalid("actor", "a remote organisation needs an id, a preferredUsername and a domain")
	}
	o.Local = false
	now := time.Now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		var existing Organization
		err := tx.Unscoped().Where("ap_id = ?", o.APID).First(&existing).Error
		op := OpUpdate
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			o.ID, o.CreatedAt, op = NewID(), now, OpCreate
		case err != nil:
			return err
		case existing.Local:
			return fmt.Errorf("%w: %s is a local organisation", ErrForbidden, o.APID)
		default:
			o.ID, o.CreatedAt = existing.ID, existing.CreatedAt
		}
		o.UpdatedAt, o.DeletedAt = now, gorm.DeletedAt{}
		if err := tx.Unscoped().Save(o).Error; err != nil {
			return err
		}
		return recordChange(tx, KindOrganization, o.ID, op)
	})
	if err != nil {
		return nil, fmt.Errorf("library: store remote organisation %s: %w", o.APID, err)
	}
	return o, nil
}

// UpsertRemoteListing stores or refreshes the copy of a remote offer or need,
// keyed by its ap_id. OrgID must name the (remote) author, who must own any
// copy already held: only the owner of an object may update it.
func (s *Store) UpsertRemoteListing(ctx context.Context, l *Listing) (*Listing, error) {
	if !l.Kind.Valid() || l.APID == "" || l.OrgID == "" {
		return nil, Invalid("object", "a remote listing needs a kind, an id and an author")
	}
	l.Local = false
	l.ContentHTML = SanitizeHTML(l.ContentHTML)
	err := upsertRemote(ctx, s, l, l.Kind.ObjectKind(), nil)
	if err != nil {
		return nil, fmt.Errorf("library: store remote %s %s: %w", l.Kind, l.APID, err)
	}
	return l, nil
}

// DeleteRemoteListing deletes the copy of a remote listing if orgID owns it.
func (s *Store) DeleteRemoteListing(ctx context.Context, apID, orgID string) error {
	l, err := s.ListingByAPID(ctx, apID)
	if err != nil {
		return err
	}
	if l.Local || l.OrgID != orgID {
		return fmt.Errorf("library: delete %s: %w", apID, ErrForbidden)
	}
	return s.DeleteListing(ctx, l.Kind, l.ID)
}

// PurgeDomain removes every copy of content from a blocked domain: its
// organisations and everything they posted. Places its organisations held at
// local events go to the waiting lists, as when they leave.
func (s *Store) PurgeDomain(ctx context.Context, domain string) error {
	if domain == "" {
		return Invalid("domain", "is required")
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		orgs := func() *gorm.DB {
			return tx.Model(&Organization{}).Select("id").Where("domain = ? AND local = ?", domain, false)
		}
		freed, err := eventsWithPlacesOf(tx, orgs())
		if err != nil {
			return err
		}
		for _, table := range contentTables {
			if err := tx.Exec("DELETE FROM "+table+" WHERE org_id IN (?)", orgs()).Error; err != nil {
				return err
			}
		}
		if err := tx.Unscoped().Where("domain = ? AND local = ?", domain, false).Delete(&Organization{}).Error; err != nil {
			return err
		}
		for _, ev := range freed {
			if err := refill(tx, ev); err != nil {
				return err
			}
		}
		return recordChange(tx, KindDomain, domain, OpPurge)
	})
	if err != nil {
		return fmt.Errorf("library: purge %s: %w", domain, err)
	}
	return nil
}

// contentTables hold content that belongs to an organisation through org_id;
// a domain purge empties them of that domain's organisations' rows.
var contentTables = []string{"listings", "registrations", "events"}

// eventsWithPlacesOf locks the live local events where the organisations
// selected by orgs hold places, in id order.
func eventsWithPlacesOf(tx *gorm.DB, orgs *gorm.DB) ([]*Event, error) {
	var ids []string
	held := tx.Model(&Registration{}).Select("event_id").Where("org_id IN (?) AND status = ?", orgs, RegistrationAccepted)
	err := tx.Model(&Event{}).Where("local = ? AND id IN (?)", true, held).Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, err
	}
	out := make([]*Event, 0, len(ids))
	for _, id := range ids {
		ev, err := lockEvent(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// refill gives the places freed at a local event to its waiting list, as a
// Leave does, and stores its new count, which promote leaves alone when no
// place is free (the capacity was lowered below the number accepted).
func refill(tx *gorm.DB, ev *Event) error {
	if err := promote(tx, ev); err != nil {
		return err
	}
	return recount(tx, ev)
}
