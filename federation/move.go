package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-fed/activity/streams"

	"github.com/citizen-network/commonplace/library"
)

// Moving an organisation between nodes, as Mastodon and GoToSocial move
// accounts (FEP-7628): the organisation is imported on the new node first
// (library.ImportOrganization), whose actor then names the old one in
// alsoKnownAs; the old node checks that, marks the organisation moved (its
// actor says movedTo, its objects' IRIs redirect) and sends a Move to every
// follower and peer. A server that receives the Move checks the new actor's
// alsoKnownAs itself, moves its follows of the old actor to the new one,
// drops its copies of the old actor's objects and, once the new actor
// accepts, reads its outbox instead. Unlike Mastodon, whose posts stay behind on a move (its
// issues #12423, #22391), every offer, need, story and event goes along.

// MoveOrganization moves a local organisation to target, an actor IRI on
// another server that names the organisation's actor in alsoKnownAs.
func (s *Service) MoveOrganization(ctx context.Context, orgID, target string) (*library.Organization, error) {
	org, err := s.store.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	switch {
	case !org.Local:
		return nil, fmt.Errorf("federation: %s is not local: %w", org.Address(), library.ErrForbidden)
	case org.MovedTo != "":
		return nil, library.Invalid("target", "%s has already moved to %s", org.Handle, org.MovedTo)
	case s.isLocal(target):
		return nil, library.Invalid("target", "%s is on this node: a move goes to another server", target)
	}
	dest, err := s.remoteActor(ctx, target, true)
	if err != nil {
		return nil, remoteFailure(target, hostOf(target), err)
	}
	if !slices.Contains(dest.doc().iris("alsoKnownAs"), org.APID) {
		return nil, library.Invalid("target", "%s does not name %s in alsoKnownAs: import the organisation there first", target, org.APID)
	}
	a := orgActor(org)
	inboxes, err := s.targets(ctx, a, audiencePublic)
	if err != nil {
		return nil, err
	}
	if org, err = s.store.MarkMoved(ctx, org.ID, target); err != nil {
		return nil, err
	}
	id := s.newActivityID()
	m := streams.NewActivityStreamsMove()
	m.SetJSONLDId(idProperty(id))
	m.SetActivityStreamsActor(actorProperty(a.ID))
	m.SetActivityStreamsObject(objectIRIProperty(a.ID))
	tgt := streams.NewActivityStreamsTargetProperty()
	tgt.AppendIRI(mustIRI(target))
	m.SetActivityStreamsTarget(tgt)
	m.SetActivityStreamsTo(toProperty([]string{a.followers()}))
	doc, err := serialize(m)
	if err != nil {
		return nil, err
	}
	s.log.Info("organisation moved", "org", org.Handle, "to", target, "inboxes", len(inboxes))
	return org, s.send(ctx, outgoing{ID: id, Actor: a.ID, Type: "Move", ObjectID: a.ID, Public: true, Doc: doc, Inboxes: inboxes})
}

// onMove follows an actor to where it moved. The inbox proved that the old
// actor sent it; the new one must name the old in alsoKnownAs, read from its
// own server now.
func (s *Service) onMove(ctx context.Context, a object) error {
	old, target := a.iri("actor"), a.iri("target")
	if a.objectIRI() != old || target == "" || target == old {
		return permanent(fmt.Errorf("federation: a Move must move its own actor to another: %w", library.ErrInvalid))
	}
	if s.isLocal(target) {
		return permanent(s.forgetMovedActor(ctx, old))
	}
	dest, err := s.remoteActor(ctx, target, true)
	if err != nil {
		return fetchFailure(err)
	}
	if !slices.Contains(dest.doc().iris("alsoKnownAs"), old) {
		return permanent(fmt.Errorf("federation: %s does not name %s in alsoKnownAs: %w", target, old, library.ErrForbidden))
	}
	if !s.federates(ctx, dest.Domain) {
		return permanent(fmt.Errorf("federation: %s moved to %s, which this node does not federate with: %w", old, dest.Domain, library.ErrForbidden))
	}
	followers, err := s.localFollowersOf(ctx, old)
	if err != nil {
		return err
	}
	for _, f := range followers {
		from, err := s.localActorByIRI(ctx, f)
		if err != nil || from.isInstance() {
			continue // the follower has gone; a peering is not moved by one organisation
		}
		if err := s.follow(ctx, from, dest, false); err != nil {
			return err
		}
	}
	if err := s.db.WithContext(ctx).Exec(`DELETE FROM federation_follows WHERE followee = ? AND local_follower = ? AND follower <> ?`,
		old, true, s.InstanceActor()).Error; err != nil {
		return err
	}
	// The old actor's copies go; the new actor's come from its outbox once
	// it accepts our follow (onFollowAnswer).
	s.log.Info("followed a move", "from", old, "to", target, "follows", len(followers))
	return s.forgetMovedActor(ctx, old)
}

// localFollowersOf are our actors that follow a remote one.
func (s *Service) localFollowersOf(ctx context.Context, actorID string) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Table("federation_follows").Where("followee = ? AND local_follower = ? AND state <> ?", actorID, true, followRejected).
		Pluck("follower", &out).Error
	return out, err
}

// forgetMovedActor drops our copy of a moved organisation and its objects.
func (s *Service) forgetMovedActor(ctx context.Context, actorID string) error {
	if err := s.store.DeleteRemoteOrganization(ctx, actorID); err != nil && !errors.Is(err, library.ErrNotFound) {
		return err
	}
	return nil
}
