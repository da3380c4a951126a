package federation

import (
	"context"
	"fmt"

	"github.com/go-fed/activity/streams"

	"github.com/citizen-network/commonplace/library"
)

// onAnnounce records a boost of one of our objects. An Announce of another
// server's object is a relay: the object is fetched from its origin (never
// trusted as embedded) and kept if it is ours to keep.
func (s *Service) onAnnounce(ctx context.Context, a object) error {
	target := a.objectIRI()
	if s.isLocal(target) {
		return s.recordReaction(ctx, a.id(), "Announce", a.iri("actor"), target)
	}
	o, err := s.fetcher.getObject(ctx, target)
	if err != nil {
		return fetchFailure(err)
	}
	author := o.iri("attributedTo")
	if author == "" || s.isLocal(author) {
		return nil
	}
	return s.ingest(ctx, author, o)
}

// recordReaction keeps a Like or an Announce of a local object, once.
func (s *Service) recordReaction(ctx context.Context, id, typ, actor, objectIRI string) error {
	return s.db.WithContext(ctx).Exec(`INSERT INTO federation_reactions (activity_id, type, actor, object, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (activity_id) DO NOTHING`, id, typ, actor, objectIRI, now()).Error
}

// Announce boosts a remote object on behalf of a local organisation: to the
// object's author and the organisation's followers.
func (s *Service) Announce(ctx context.Context, orgID, objectIRI string) error {
	org, author, err := s.reactionParties(ctx, orgID, objectIRI)
	if err != nil {
		return err
	}
	local := orgActor(org)
	id := s.newActivityID()
	t := streams.NewActivityStreamsAnnounce()
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(local.ID))
	t.SetActivityStreamsObject(objectIRIProperty(objectIRI))
	t.SetActivityStreamsTo(toProperty([]string{asPublic}))
	t.SetActivityStreamsCc(ccProperty([]string{author.ID, local.followers()}))
	t.SetActivityStreamsPublished(publishedProperty(now()))
	doc, err := serialize(t)
	if err != nil {
		return err
	}
	inboxes, err := s.followerInboxes(ctx, local.ID, false)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: local.ID, Type: "Announce", ObjectID: objectIRI, Public: true, Doc: doc,
		Inboxes: append(inboxes, author.deliveryInbox())})
}

// reactionParties loads the local organisation and the remote author of an object.
func (s *Service) reactionParties(ctx context.Context, orgID, objectIRI string) (*library.Organization, *remoteActor, error) {
	org, err := s.store.Organization(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	if !org.Local {
		return nil, nil, library.ErrForbidden
	}
	l, err := s.store.ListingByAPID(ctx, objectIRI)
	if err != nil {
		return nil, nil, err
	}
	if l.Local || l.Org == nil {
		return nil, nil, library.Invalid("object", "must be another node's object")
	}
	author, err := s.remoteActor(ctx, l.Org.APID, false)
	if err != nil {
		return nil, nil, fmt.Errorf("federation: author of %s: %w", objectIRI, err)
	}
	return org, author, nil
}
