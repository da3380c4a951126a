package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// HandleChanges is federation's change-log subscriber: a local object that was
// created, changed or deleted becomes a Create, an Update or a Delete for the
// audience it has, or had. Local-only objects never leave the node. It is
// idempotent: each object remembers the last change it federated.
func (s *Service) HandleChanges(ctx context.Context, batch []library.Change) error {
	for _, c := range batch {
		var err error
		switch {
		case c.ObjectKind == library.KindOrganization:
			err = s.publishActor(ctx, c)
		case c.ObjectKind == library.KindRegistration:
			err = s.publishRegistration(ctx, c) // join.go
		case mappingFor(c.ObjectKind) != nil:
			err = s.publishObject(ctx, mappingFor(c.ObjectKind), c)
		}
		if err != nil {
			return fmt.Errorf("federation: change %d (%s %s): %w", c.Seq, c.ObjectKind, c.ObjectID, err)
		}
	}
	return nil
}

// federatedState is what federation last did with a local object.
type federatedState struct {
	Audience audience
	Seq      int64
}

func (s *Service) federated(ctx context.Context, objectID string) (federatedState, error) {
	var rows []federatedState
	err := s.db.WithContext(ctx).Raw(`SELECT audience, seq FROM federation_objects WHERE object_id = ?`, objectID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return federatedState{Audience: audienceNone}, err
	}
	return rows[0], nil
}

// publishObject federates one change of a local object.
func (s *Service) publishObject(ctx context.Context, m *kindMapping, c library.Change) error {
	prior, err := s.federated(ctx, c.ObjectID)
	if err != nil {
		return err
	}
	if prior.Seq >= c.Seq {
		return nil
	}
	lo, err := m.Local(ctx, s, c.ObjectKind, c.ObjectID)
	if errors.Is(err, library.ErrNotFound) {
		return nil // a remote copy, or gone without trace
	}
	if err != nil {
		return err
	}
	plan, err := s.plan(ctx, lo, prior.Audience)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, out := range plan {
			if err := s.enqueue(tx, out); err != nil {
				return err
			}
		}
		return tx.Exec(`INSERT INTO federation_objects (object_id, kind, ap_id, audience, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (object_id) DO UPDATE SET audience = excluded.audience, seq = excluded.seq, updated_at = excluded.updated_at`,
			lo.ID, string(lo.Kind), lo.APID, string(lo.Audience), c.Seq, now()).Error
	})
	if err != nil {
		return err
	}
	if len(plan) > 0 {
		s.queue.changed()
	}
	return nil
}

// plan chooses the activities for an object that had audience prior: Create
// for those who gain it, Update for those who keep it, Delete for those who
// lose it (a public offer made network-only is deleted from Mastodon).
func (s *Service) plan(ctx context.Context, lo *localObject, prior audience) ([]outgoing, error) {
	next := lo.Audience
	author := orgActor(lo.Author)
	kept, err := s.targets(ctx, author, audience(minAudience(prior, next)))
	if err != nil {
		return nil, err
	}
	wider, err := s.targets(ctx, author, audience(maxAudience(prior, next)))
	if err != nil {
		return nil, err
	}
	changed := subtract(wider, kept)
	var plan []outgoing
	add := func(typ string, build func(id string) (document, error), inboxes []string, aud audience) error {
		if len(inboxes) == 0 {
			return nil
		}
		id := s.newActivityID()
		doc, err := build(id)
		if err != nil {
			return err
		}
		plan = append(plan, outgoing{ID: id, Actor: author.ID, Type: typ, ObjectID: lo.APID, Public: aud == audiencePublic, Doc: doc, Inboxes: inboxes})
		return nil
	}
	create := func(id string) (document, error) { return s.createOf(id, lo) }
	update := func(id string) (document, error) { return s.updateOf(id, lo) }
	remove := func(id string) (document, error) { return s.deleteOf(id, lo, prior) }
	switch {
	case lo.Deleted != nil || next == audienceNone:
		err = add("Delete", remove, wider, prior)
	case prior == audienceNone:
		err = add("Create", create, wider, next)
	default:
		if err = add("Update", update, kept, next); err == nil && next.rank() > prior.rank() {
			err = add("Create", create, changed, next)
		} else if err == nil && next.rank() < prior.rank() {
			err = add("Delete", remove, changed, prior)
		}
	}
	return plan, err
}

func minAudience(a, b audience) audience {
	if a.rank() < b.rank() {
		return a
	}
	return b
}

func maxAudience(a, b audience) audience {
	if a.rank() > b.rank() {
		return a
	}
	return b
}

func subtract(all, minus []string) []string {
	drop := map[string]bool{}
	for _, m := range minus {
		drop[m] = true
	}
	var out []string
	for _, a := range all {
		if !drop[a] {
			out = append(out, a)
		}
	}
	return out
}

// publishActor sends an Update of a local organisation's profile to its
// followers and the peers, so that their copies follow.
func (s *Service) publishActor(ctx context.Context, c library.Change) error {
	if c.Op != library.OpUpdate {
		return nil
	}
	org, err := s.store.Organization(ctx, c.ObjectID)
	if errors.Is(err, library.ErrNotFound) {
		return nil
	}
	if err != nil || !org.Local {
		return err
	}
	prior, err := s.federated(ctx, "org:"+org.ID)
	if err != nil || prior.Seq >= c.Seq {
		return err
	}
	a := orgActor(org)
	inboxes, err := s.targets(ctx, a, audiencePublic)
	if err != nil {
		return err
	}
	doc, err := s.actorUpdate(ctx, a)
	if err != nil {
		return err
	}
	out := outgoing{Actor: a.ID, Type: "Update", ObjectID: a.ID, Public: true, Doc: doc, Inboxes: inboxes}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.enqueue(tx, out); err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO federation_objects (object_id, kind, ap_id, audience, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (object_id) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
			"org:"+org.ID, string(library.KindOrganization), a.ID, string(audiencePublic), c.Seq, time.Now().UTC()).Error
	})
}

// targets are the inboxes an author's object reaches at an audience: the
// peers (followers of the instance actor) for network and public, plus the
// author's own followers for public (only those on peer nodes for network).
// Shared inboxes collapse the list.
func (s *Service) targets(ctx context.Context, author localActor, aud audience) ([]string, error) {
	if aud == audienceNone {
		return nil, nil
	}
	peers, err := s.followerInboxes(ctx, s.InstanceActor(), false)
	if err != nil {
		return nil, err
	}
	followers, err := s.followerInboxes(ctx, author.ID, aud == audienceNetwork)
	if err != nil {
		return nil, err
	}
	return uniqueInboxes(append(peers, followers...)), nil
}

// followerInboxes are the delivery inboxes of a local actor's accepted
// followers, optionally only those on peer nodes; blocked domains are left out.
func (s *Service) followerInboxes(ctx context.Context, actorID string, peersOnly bool) ([]string, error) {
	var rows []struct {
		Domain      string
		Inbox       string
		SharedInbox string
	}
	q := s.db.WithContext(ctx).Table("federation_follows f").Select("a.domain, a.inbox, a.shared_inbox").
		Joins("JOIN federation_actors a ON a.id = f.follower").
		Where("f.followee = ? AND f.state = ?", actorID, followAccepted)
	if peersOnly {
		q = q.Where("a.domain IN (SELECT domain FROM federation_peers WHERE state = ?)", peerPeered)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("federation: followers of %s: %w", actorID, err)
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if s.domainBlocked(r.Domain) {
			continue
		}
		if r.SharedInbox != "" {
			out = append(out, r.SharedInbox)
		} else {
			out = append(out, r.Inbox)
		}
	}
	return uniqueInboxes(out), nil
}
