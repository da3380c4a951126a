package library

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ListingPageQuery selects local listings by id, for federation's outbox
// pages: ids are ULIDs, so they sort by creation time.
type ListingPageQuery struct {
	OrgID      string
	Visibility []string
	// MaxID keeps listings older than this id; MinID those newer.
	MaxID, MinID string
	Limit        int
}

// LocalListingsPage lists local listings, newest first (oldest first when MinID is set).
func (s *Store) LocalListingsPage(ctx context.Context, q ListingPageQuery) ([]Listing, error) {
	return localPage[Listing](ctx, s, q, "listings")
}

// localPage lists local objects of one table by id for federation's outbox
// pages, newest first (oldest first when MinID is set).
func localPage[T any](ctx context.Context, s *Store, q ListingPageQuery, what string) ([]T, error) {
	tx := s.db.WithContext(ctx).Preload("Org").Where("local = ?", true).Limit(limitOr(q.Limit, 30))
	if q.OrgID != "" {
		tx = tx.Where("org_id = ?", q.OrgID)
	}
	if len(q.Visibility) > 0 {
		tx = tx.Where("visibility IN ?", q.Visibility)
	}
	switch {
	case q.MinID != "":
		tx = tx.Where("id > ?", q.MinID).Order("id ASC")
	case q.MaxID != "":
		tx = tx.Where("id < ?", q.MaxID).Order("id DESC")
	default:
		tx = tx.Order("id DESC")
	}
	var out []T
	if err := tx.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("library: %s page: %w", what, err)
	}
	return out, nil
}

// CountLocalListings counts an organisation's (or, with orgID "", the node's)
// local listings of the given visibilities.
func (s *Store) CountLocalListings(ctx context.Context, orgID string, visibility []string) (int64, error) {
	tx := s.db.WithContext(ctx).Model(&Listing{}).Where("local = ? AND visibility IN ?", true, visibility)
	if orgID != "" {
		tx = tx.Where("org_id = ?", orgID)
	}
	var n int64
	if err := tx.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("library: count listings: %w", err)
	}
	return n, nil
}

// DeleteRemoteOrganization deletes the copy of a remote organisation whose
// actor was deleted at its origin, or moved, with everything it posted.
func (s *Store) DeleteRemoteOrganization(ctx context.Context, apID string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var o Organization
		err := tx.Where("ap_id = ? AND local = ?", apID, false).First(&o).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := deleteContentOf(tx, o.ID); err != nil {
			return err
		}
		if err := tx.Delete(&o).Error; err != nil {
			return err
		}
		return recordChange(tx, KindOrganization, o.ID, OpDelete)
	})
	if err != nil {
		return fmt.Errorf("library: delete remote organisation %s: %w", apID, err)
	}
	return nil
}

// deleteContentOf deletes the offers, needs, stories and events of an
// organisation, each deletion recorded so that search drops it.
func deleteContentOf(tx *gorm.DB, orgID string) error {
	var listings []Listing
	if err := tx.Select("id", "kind").Where("org_id = ?", orgID).Find(&listings).Error; err != nil {
		return err
	}
	var stories []Story
	if err := tx.Select("id").Where("org_id = ?", orgID).Find(&stories).Error; err != nil {
		return err
	}
	var events []Event
	if err := tx.Select("id").Where("org_id = ?", orgID).Find(&events).Error; err != nil {
		return err
	}
	for _, model := range []any{&Listing{}, &Story{}, &Event{}} {
		if err := tx.Where("org_id = ?", orgID).Delete(model).Error; err != nil {
			return err
		}
	}
	for _, l := range listings {
		if err := recordChange(tx, l.Kind.ObjectKind(), l.ID, OpDelete); err != nil {
			return err
		}
	}
	for _, st := range stories {
		if err := recordChange(tx, KindStory, st.ID, OpDelete); err != nil {
			return err
		}
	}
	for _, e := range events {
		if err := recordChange(tx, KindEvent, e.ID, OpDelete); err != nil {
			return err
		}
	}
	return nil
}
