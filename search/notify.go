package search

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/citizen-network/commonplace/library"
)

// Notification tells a local organisation that a new offer matches one of its needs.
type Notification struct {
	ID        string           `gorm:"primaryKey" json:"id"`
	OrgID     string           `json:"-"`
	NeedID    string           `json:"need_id"`
	Need      *library.Listing `gorm:"foreignKey:NeedID" json:"need,omitempty"`
	OfferID   string           `json:"offer_id"`
	Offer     *library.Listing `gorm:"foreignKey:OfferID" json:"offer,omitempty"`
	Score     float64          `json:"score"`
	Reasons   []string         `gorm:"serializer:json" json:"reasons"`
	CreatedAt time.Time        `json:"created_at"`
	ReadAt    *time.Time       `json:"read_at"`
}

// TableName is the notifications' table.
func (Notification) TableName() string { return "match_notifications" }

// notifyOffers tells the organisations of open local needs that new offers
// match them. A notification is written once per need and offer, so that a
// batch handed over again changes nothing.
func (s *Service) notifyOffers(ctx context.Context, offerIDs []string) error {
	for _, id := range offerIDs {
		offer, err := s.store.Listing(ctx, library.Offer, id)
		if errors.Is(err, library.ErrNotFound) || errors.Is(err, library.ErrGone) {
			continue
		}
		if err != nil {
			return err
		}
		if !offer.Open(time.Now()) || !s.consents(offer.Org, offer.Indexable) {
			continue
		}
		matches, err := s.MatchListing(ctx, offer, 50)
		if err != nil {
			return err
		}
		if err := s.saveNotifications(ctx, offer, matches); err != nil {
			return err
		}
	}
	return nil
}

// saveNotifications records the matches above the threshold for local needs.
func (s *Service) saveNotifications(ctx context.Context, offer *library.Listing, matches []Match) error {
	now := time.Now().UTC()
	for _, m := range matches {
		if m.Score < s.notify || m.Listing.Org.Node != s.host {
			continue
		}
		rs, err := s.reasonsForNeed(ctx, m.Listing.ID, offer.ID)
		if err != nil {
			return err
		}
		n := Notification{ID: library.NewID(), OrgID: m.Listing.orgID, NeedID: m.Listing.ID, OfferID: offer.ID,
			Score: m.Score, Reasons: rs, CreatedAt: now}
		err = s.store.DB().WithContext(ctx).Omit("Need", "Offer").Clauses(clause.OnConflict{DoNothing: true}).Create(&n).Error
		if err != nil {
			return fmt.Errorf("search: notify %s of %s: %w", m.Listing.ID, offer.ID, err)
		}
	}
	return nil
}

// reasonsForNeed are the reasons of an offer for a need as the need's
// organisation reads them: the need's own matching, which speaks of "your
// need" and names the offer's organisation (the offer's matching, which found
// the need, speaks to the offer's). An offer outside the need's own best 50
// gets no reasons rather than ones written for the other side.
func (s *Service) reasonsForNeed(ctx context.Context, needID, offerID string) ([]string, error) {
	need, err := s.store.Listing(ctx, library.Need, needID)
	if err != nil {
		return nil, err
	}
	ms, err := s.MatchListing(ctx, need, 50)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Listing.ID == offerID {
			return m.Reasons, nil
		}
	}
	return []string{}, nil
}

// Notifications lists an organisation's match notifications, newest first,
// leaving out those whose need or offer is gone.
func (s *Service) Notifications(ctx context.Context, orgID string, limit int) ([]Notification, error) {
	var out []Notification
	err := s.store.DB().WithContext(ctx).Preload("Need.Org").Preload("Offer.Org").
		Where("org_id = ?", orgID).Order("created_at DESC, id DESC").Limit(clamp(limit, 20, 200)).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("search: notifications of %s: %w", orgID, err)
	}
	kept := out[:0]
	for _, n := range out {
		if n.Need != nil && n.Offer != nil {
			kept = append(kept, n)
		}
	}
	return kept, nil
}

// MarkNotificationsRead marks every notification of the organisation read.
func (s *Service) MarkNotificationsRead(ctx context.Context, orgID string) error {
	err := s.store.DB().WithContext(ctx).Model(&Notification{}).Where("org_id = ? AND read_at IS NULL", orgID).
		Update("read_at", time.Now().UTC()).Error
	if err != nil {
		return fmt.Errorf("search: mark notifications of %s: %w", orgID, err)
	}
	return nil
}
