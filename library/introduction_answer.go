package library

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AnswerIntroduction accepts or rejects, for a local organisation, an
// introduction it is asked to answer.
func (s *Store) AnswerIntroduction(ctx context.Context, id, orgID string, accept bool) (*Introduction, error) {
	in, err := s.answerable(ctx, id, orgID)
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, in, accept, "")
}

// DeclineIntroduction rejects an introduction with a word on why, which
// the other side sees.
func (s *Store) DeclineIntroduction(ctx context.Context, id, orgID, reason string) (*Introduction, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > MaxIntroductionMessage {
		return nil, Invalid("reason", "must be at most %d characters", MaxIntroductionMessage)
	}
	in, err := s.answerable(ctx, id, orgID)
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, in, false, reason)
}

// answerable is an introduction that orgID, a local organisation, answers.
func (s *Store) answerable(ctx context.Context, id, orgID string) (*Introduction, error) {
	in, err := s.Introduction(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Answerer() != orgID || in.Other(orgID) == nil || orgID == "" {
		return nil, fmt.Errorf("library: answer introduction %s: %w", id, ErrForbidden)
	}
	if o := in.Other(in.Asker().ID); o == nil || !o.Local {
		return nil, fmt.Errorf("library: answer introduction %s: %w", id, ErrForbidden)
	}
	return in, nil
}

// WithdrawIntroduction takes back, for the local organisation that made (or
// asked for) it, an introduction not answered yet.
func (s *Store) WithdrawIntroduction(ctx context.Context, id, orgID string) (*Introduction, error) {
	in, err := s.Introduction(ctx, id)
	if err != nil {
		return nil, err
	}
	if a := in.Asker(); a == nil || a.ID != orgID || !a.Local {
		return nil, fmt.Errorf("library: withdraw introduction %s: %w", id, ErrForbidden)
	}
	return s.withdraw(ctx, in)
}

// ReceiveWithdrawal records that the organisation on another node that made
// (or asked for) an introduction took it back.
func (s *Store) ReceiveWithdrawal(ctx context.Context, apID, fromOrgID string) (*Introduction, error) {
	in, err := s.IntroductionByAPID(ctx, apID)
	if err != nil {
		return nil, err
	}
	if a := in.Asker(); a == nil || a.ID != fromOrgID {
		return nil, fmt.Errorf("library: withdrawal of introduction %s: %w", apID, ErrForbidden)
	}
	return s.withdraw(ctx, in)
}

func (s *Store) withdraw(ctx context.Context, in *Introduction) (*Introduction, error) {
	if in.State == IntroWithdrawn {
		return in, nil
	}
	if in.State != IntroPending {
		return nil, fmt.Errorf("library: introduction %s: %w: it was already %s", in.ID, ErrConflict, in.State)
	}
	now := time.Now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Introduction{}).Where("id = ? AND state = ?", in.ID, IntroPending).
			Updates(map[string]any{"state": IntroWithdrawn, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: the introduction was answered meanwhile", ErrConflict)
		}
		return recordChange(tx, KindIntroduction, in.ID, OpUpdate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: withdraw introduction %s: %w", in.ID, err)
	}
	in.State, in.UpdatedAt = IntroWithdrawn, now
	return in, nil
}

// ReceiveIntroductionAnswer records the Accept or Reject that the need's
// organisation on another node sent for an introduction made here; fromOrgID
// is the (remote) organisation that answered.
func (s *Store) ReceiveIntroductionAnswer(ctx context.Context, apID, fromOrgID string, accept bool) (*Introduction, error) {
	return s.receiveAnswer(ctx, apID, fromOrgID, accept, "")
}

// ReceiveIntroductionDecline is ReceiveIntroductionAnswer for a Reject that
// gave a reason.
func (s *Store) ReceiveIntroductionDecline(ctx context.Context, apID, fromOrgID, reason string) (*Introduction, error) {
	r := []rune(strings.TrimSpace(reason))
	return s.receiveAnswer(ctx, apID, fromOrgID, false, string(r[:min(len(r), MaxIntroductionMessage)]))
}

func (s *Store) receiveAnswer(ctx context.Context, apID, fromOrgID string, accept bool, reason string) (*Introduction, error) {
	in, err := s.IntroductionByAPID(ctx, apID)
	if err != nil {
		return nil, err
	}
	if in.Answerer() != fromOrgID {
		return nil, fmt.Errorf("library: answer to introduction %s: %w", apID, ErrForbidden)
	}
	return s.answer(ctx, in, accept, reason)
}

// answer moves a pending introduction to accepted or rejected; answering the
// same way twice is not an error, so that a repeated delivery is harmless.
func (s *Store) answer(ctx context.Context, in *Introduction, accept bool, reason string) (*Introduction, error) {
	state := IntroRejected
	if accept {
		state = IntroAccepted
	}
	if in.State == state {
		return in, nil
	}
	if in.State != IntroPending {
		return nil, fmt.Errorf("library: introduction %s: %w: it was already %s", in.ID, ErrConflict, in.State)
	}
	now := time.Now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Introduction{}).Where("id = ? AND state = ?", in.ID, IntroPending).
			Updates(map[string]any{"state": state, "answered_at": now, "updated_at": now, "reason": reason})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: the introduction was answered meanwhile", ErrConflict)
		}
		if err := recordChange(tx, KindIntroduction, in.ID, OpUpdate); err != nil {
			return err
		}
		if !accept {
			return nil
		}
		in.State = state // the entries federate only for an accepted introduction
		return s.shareContacts(tx, in)
	})
	if err != nil {
		return nil, fmt.Errorf("library: answer introduction %s: %w", in.ID, err)
	}
	in.State, in.AnsweredAt, in.UpdatedAt, in.Reason = state, &now, now, reason
	return in, nil
}

// Introduction returns an introduction with its offer, need and organisations.
func (s *Store) Introduction(ctx context.Context, id string) (*Introduction, error) {
	return s.findIntroduction(ctx, "id = ?", id)
}

// IntroductionByAPID returns an introduction by the IRI of its Offer activity.
func (s *Store) IntroductionByAPID(ctx context.Context, apID string) (*Introduction, error) {
	return s.findIntroduction(ctx, "ap_id = ?", apID)
}

func (s *Store) findIntroduction(ctx context.Context, where string, arg any) (*Introduction, error) {
	var in Introduction
	err := s.introductions(ctx).Where(where, arg).First(&in).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: introduction %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library: introduction %v: %w", arg, err)
	}
	return &in, nil
}

// introductions is a query over introductions with what they refer to.
func (s *Store) introductions(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Preload("Offer", func(tx *gorm.DB) *gorm.DB { return tx.Unscoped() }).
		Preload("Need", func(tx *gorm.DB) *gorm.DB { return tx.Unscoped() }).
		Preload("FromOrg").Preload("ToOrg")
}

// OpenIntroduction is the pending or accepted introduction of an offer to a
// need, if there is one.
func (s *Store) OpenIntroduction(ctx context.Context, offerID, needID string) (*Introduction, error) {
	var in Introduction
	err := s.introductions(ctx).Where("offer_id = ? AND need_id = ? AND state IN ?", offerID, needID, []string{IntroPending, IntroAccepted}).
		Order("created_at DESC").First(&in).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: introduction of %s to %s: %w", offerID, needID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library: introduction of %s to %s: %w", offerID, needID, err)
	}
	return &in, nil
}

// Introductions lists the introductions an organisation made or received, newest first.
func (s *Store) Introductions(ctx context.Context, orgID string, limit int) ([]Introduction, error) {
	var out []Introduction
	err := s.introductions(ctx).Where("from_org_id = ? OR to_org_id = ?", orgID, orgID).
		Order("created_at DESC, id DESC").Limit(limitOr(limit, 50)).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("library: introductions of %s: %w", orgID, err)
	}
	return out, nil
}

// IntroductionSender carries introductions between nodes; federation
// implements it. SendIntroduction delivers the Offer activity of an
// introduction made here to the need's organisation on its node;
// SendIntroductionAnswer delivers the Accept or Reject of an introduction
// received from another node. Both should only enqueue (a durable delivery
// queue) and may be called again for the same introduction after a failure,
// so they must be idempotent (the activity id is the introduction's APID, or
// derived from it).
type IntroductionSender interface {
	SendIntroduction(ctx context.Context, in *Introduction) error
	SendIntroductionAnswer(ctx context.Context, in *Introduction) error
	// SendConversationEntry delivers an entry written here to the other
	// side's organisation on its node (its id is the entry's APID).
	SendConversationEntry(ctx context.Context, in *Introduction, e *ConversationEntry) error
	// SendIntroductionWithdrawal delivers the withdrawal of an introduction
	// made (or asked for) here, not answered yet.
	SendIntroductionWithdrawal(ctx context.Context, in *Introduction) error
}

// SubscribeIntroductions hands every introduction that crosses nodes to sender,
// from the change log, so that none is lost to a crash or a failed delivery.
// Inbound, federation calls ReceiveIntroduction and ReceiveIntroductionAnswer.
func (s *Store) SubscribeIntroductions(name string, sender IntroductionSender) {
	s.Subscribe(name, func(ctx context.Context, batch []Change) error {
		for _, c := range batch {
			if c.ObjectKind == KindIntroductionMessage {
				if err := s.sendEntry(ctx, sender, c.ObjectID); err != nil {
					return err
				}
				continue
			}
			if c.ObjectKind != KindIntroduction {
				continue
			}
			in, err := s.Introduction(ctx, c.ObjectID)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := sendIntroduction(ctx, sender, c.Op, in); err != nil {
				return err
			}
		}
		return nil
	})
}

// sendIntroduction sends what a change of an introduction calls for, if anything.
func sendIntroduction(ctx context.Context, sender IntroductionSender, op Op, in *Introduction) error {
	if in.FromOrg == nil || in.ToOrg == nil {
		return nil
	}
	answerer := in.Other(in.Asker().ID)
	switch {
	case op == OpCreate && in.Local && !answerer.Local:
		return sender.SendIntroduction(ctx, in)
	case op == OpUpdate && in.Local && !answerer.Local && in.State == IntroWithdrawn:
		return sender.SendIntroductionWithdrawal(ctx, in)
	case op == OpUpdate && !in.Local && answerer.Local && (in.State == IntroAccepted || in.State == IntroRejected):
		return sender.SendIntroductionAnswer(ctx, in)
	}
	return nil
}

// sendEntry hands an entry written here to sender when the other side of its
// introduction is on another node.
func (s *Store) sendEntry(ctx context.Context, sender IntroductionSender, id string) error {
	e, err := s.ConversationEntryByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil || !e.Local {
		return err
	}
	in, err := s.Introduction(ctx, e.IntroductionID)
	if err != nil {
		return err
	}
	if other := in.Other(e.FromOrgID); other == nil || other.Local {
		return nil
	}
	return sender.SendConversationEntry(ctx, in, e)
}
