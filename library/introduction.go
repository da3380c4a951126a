package library

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// KindIntroduction changes are about introductions: created, then answered.
const KindIntroduction ObjectKind = "introduction"

// States of an introduction.
const (
	IntroPending   = "pending"
	IntroAccepted  = "accepted"
	IntroRejected  = "rejected"
	IntroWithdrawn = "withdrawn" // by the side that made or asked for it, before an answer
)

// MaxIntroductionMessage bounds the note sent with an introduction.
const MaxIntroductionMessage = 2000

// Introduction is an organisation saying "we can help with your need": its
// offer, the need, a message, and the answer. Across nodes it travels as an
// ActivityPub Offer (object: the offer, target: the need), answered by Accept
// or Reject.
type Introduction struct {
	ID         string        `gorm:"primaryKey" json:"id"`
	APID       string        `gorm:"column:ap_id" json:"ap_id"`
	OfferID    string        `json:"offer_id"`
	Offer      *Listing      `gorm:"foreignKey:OfferID" json:"offer,omitempty"`
	NeedID     string        `json:"need_id"`
	Need       *Listing      `gorm:"foreignKey:NeedID" json:"need,omitempty"`
	FromOrgID  string        `json:"-"`
	FromOrg    *Organization `gorm:"foreignKey:FromOrgID" json:"from,omitempty"`
	ToOrgID    string        `json:"-"`
	ToOrg      *Organization `gorm:"foreignKey:ToOrgID" json:"to,omitempty"`
	Message    string        `json:"message"`
	State      string        `json:"state"`
	Local      bool          `json:"local"` // made on this node
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	AnsweredAt *time.Time    `json:"answered_at"`
	// Outcome is how it turned out, once either side closed it (helped,
	// not_a_fit; see conversation.go).
	Outcome  string     `json:"outcome,omitempty"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	// Asked is set when the need's organisation asked the offer's for the
	// introduction; the offer's organisation answers it then.
	Asked bool `json:"asked"`
	// Reason is the word the answering side gave with a decline.
	Reason string `json:"reason,omitempty"`
}

// Answerer is the organisation that accepts or declines the introduction.
func (in *Introduction) Answerer() string {
	if in.Asked {
		return in.FromOrgID
	}
	return in.ToOrgID
}

// Asker is the organisation that made the introduction, or asked for it.
func (in *Introduction) Asker() *Organization {
	if in.Asked {
		return in.ToOrg
	}
	return in.FromOrg
}

// IntroductionInput is what an organisation sends to introduce itself.
type IntroductionInput struct {
	OfferID string `json:"offer_id"`
	NeedID  string `json:"need_id"`
	Message string `json:"message"`
}

// IntroductionMigrations is the introductions component's ordered schema
// history. Append; never edit a released step.
var IntroductionMigrations = []Migration{
	{Description: "create introductions", Up: func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE introductions (
			id TEXT PRIMARY KEY,
			ap_id TEXT NOT NULL UNIQUE,
			offer_id TEXT NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
			need_id TEXT NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
			from_org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			to_org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			message TEXT NOT NULL DEFAULT '',
			state TEXT NOT NULL,
			local BOOLEAN NOT NULL,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL,
			answered_at TIMESTAMP NULL)`,
			`CREATE INDEX introductions_from ON introductions (from_org_id, created_at)`,
			`CREATE INDEX introductions_to ON introductions (to_org_id, created_at)`,
			`CREATE INDEX introductions_pair ON introductions (offer_id, need_id)`)
	}},
	{Description: "create the conversations of introductions", Up: func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE introduction_messages (
			id TEXT PRIMARY KEY,
			ap_id TEXT NOT NULL UNIQUE,
			introduction_id TEXT NOT NULL REFERENCES introductions(id) ON DELETE CASCADE,
			from_org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			kind TEXT NOT NULL,
			body TEXT NOT NULL DEFAULT '',
			outcome TEXT NOT NULL DEFAULT '',
			local BOOLEAN NOT NULL,
			created_at TIMESTAMP NOT NULL)`,
			`CREATE INDEX introduction_messages_intro ON introduction_messages (introduction_id, created_at)`,
			`ALTER TABLE introductions ADD COLUMN outcome TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE introductions ADD COLUMN closed_at TIMESTAMP NULL`)
	}},
	{Description: "a need's organisation may ask for an introduction", Up: func(tx *gorm.DB) error {
		return execAll(tx, `ALTER TABLE introductions ADD COLUMN asked BOOLEAN NOT NULL DEFAULT FALSE`)
	}},
	{Description: "the reason given with a decline", Up: func(tx *gorm.DB) error {
		return execAll(tx, `ALTER TABLE introductions ADD COLUMN reason TEXT NOT NULL DEFAULT ''`)
	}},
}

// CreateIntroduction introduces a local organisation, through one of its
// offers, to the organisation of a need (on this node or another).
func (s *Store) CreateIntroduction(ctx context.Context, fromOrgID string, in IntroductionInput) (*Introduction, error) {
	offer, need, err := s.introductionPair(ctx, in.OfferID, in.NeedID)
	if err != nil {
		return nil, err
	}
	if !offer.Local || offer.OrgID != fromOrgID {
		return nil, fmt.Errorf("library: introduce with offer %s: %w", offer.ID, ErrForbidden)
	}
	id := NewID()
	return s.addIntroduction(ctx, &Introduction{
		ID: id, APID: s.cfg.BaseURL + "/introductions/" + id, Local: true,
		Message: strings.TrimSpace(in.Message),
	}, offer, need)
}

// AskForIntroduction asks, for a local organisation's need, the organisation
// of an offer (on this node or another) to introduce itself.
func (s *Store) AskForIntroduction(ctx context.Context, needOrgID string, in IntroductionInput) (*Introduction, error) {
	offer, need, err := s.introductionPair(ctx, in.OfferID, in.NeedID)
	if err != nil {
		return nil, err
	}
	if !need.Local || need.OrgID != needOrgID {
		return nil, fmt.Errorf("library: ask for an introduction to need %s: %w", need.ID, ErrForbidden)
	}
	id := NewID()
	return s.addIntroduction(ctx, &Introduction{
		ID: id, APID: s.cfg.BaseURL + "/introductions/" + id, Local: true, Asked: true,
		Message: strings.TrimSpace(in.Message),
	}, offer, need)
}

// ReceiveIntroductionRequest stores a request for an introduction that
// arrived from another node: the need's organisation there asks for one of
// our offers. It is idempotent by apID.
func (s *Store) ReceiveIntroductionRequest(ctx context.Context, apID, offerID, needID, message string) (*Introduction, error) {
	if existing, err := s.IntroductionByAPID(ctx, apID); err == nil {
		return existing, nil
	}
	offer, need, err := s.introductionPair(ctx, offerID, needID)
	if err != nil {
		return nil, err
	}
	if !offer.Local || need.Local {
		return nil, Invalid("object", "a request from another node names one of its needs and an offer of this node")
	}
	return s.addIntroduction(ctx, &Introduction{ID: NewID(), APID: apID, Asked: true, Message: strings.TrimSpace(message)}, offer, need)
}

// ReceiveIntroduction stores an introduction that arrived from another node:
// apID is its Offer activity, offerID the local copy of the remote offer,
// needID a local need. It is idempotent by apID.
func (s *Store) ReceiveIntroduction(ctx context.Context, apID, offerID, needID, message string) (*Introduction, error) {
	if existing, err := s.IntroductionByAPID(ctx, apID); err == nil {
		return existing, nil
	}
	offer, need, err := s.introductionPair(ctx, offerID, needID)
	if err != nil {
		return nil, err
	}
	if offer.Local || !need.Local {
		return nil, Invalid("object", "an introduction from another node offers one of its offers for a need of this node")
	}
	return s.addIntroduction(ctx, &Introduction{ID: NewID(), APID: apID, Message: strings.TrimSpace(message)}, offer, need)
}

// introductionPair reads and checks the offer and the need of an introduction.
func (s *Store) introductionPair(ctx context.Context, offerID, needID string) (*Listing, *Listing, error) {
	if offerID == "" || needID == "" {
		return nil, nil, Invalid("offer_id", "an offer and a need are required")
	}
	offer, err := s.Listing(ctx, Offer, offerID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, Invalid("offer_id", "no offer %q", offerID)
	}
	if err != nil {
		return nil, nil, err
	}
	need, err := s.Listing(ctx, Need, needID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, Invalid("need_id", "no need %q", needID)
	}
	if err != nil {
		return nil, nil, err
	}
	if offer.OrgID == need.OrgID {
		return nil, nil, Invalid("need_id", "the need belongs to the same organisation as the offer")
	}
	if !need.Open(time.Now()) {
		return nil, nil, Invalid("need_id", "the need is closed or expired")
	}
	return offer, need, nil
}

// addIntroduction stores a new introduction unless one for the pair is still
// pending or was accepted.
func (s *Store) addIntroduction(ctx context.Context, in *Introduction, offer, need *Listing) (*Introduction, error) {
	if len([]rune(in.Message)) > MaxIntroductionMessage {
		return nil, Invalid("message", "must be at most %d characters", MaxIntroductionMessage)
	}
	now := time.Now().UTC()
	in.OfferID, in.NeedID, in.FromOrgID, in.ToOrgID = offer.ID, need.ID, offer.OrgID, need.OrgID
	in.State, in.CreatedAt, in.UpdatedAt = IntroPending, now, now
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		err := tx.Model(&Introduction{}).Where("offer_id = ? AND need_id = ? AND state IN ?",
			offer.ID, need.ID, []string{IntroPending, IntroAccepted}).Count(&n).Error
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: this offer was already introduced to this need", ErrConflict)
		}
		if err := tx.Omit("Offer", "Need", "FromOrg", "ToOrg").Create(in).Error; err != nil {
			return err
		}
		return recordChange(tx, KindIntroduction, in.ID, OpCreate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: introduce %s to %s: %w", offer.ID, need.ID, err)
	}
	in.Offer, in.Need, in.FromOrg, in.ToOrg = offer, need, offer.Org, need.Org
	return in, nil
}
