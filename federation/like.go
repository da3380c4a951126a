package federation

import (
	"context"

	"github.com/go-fed/activity/streams"
)

// onLike records a Like of one of our objects; Likes of others' objects are not ours to count.
func (s *Service) onLike(ctx context.Context, a object) error {
	target := a.objectIRI()
	if !s.isLocal(target) {
		return nil
	}
	return s.recordReaction(ctx, a.id(), "Like", a.iri("actor"), target)
}

// Like sends a local organisation's Like of a remote object to its author.
func (s *Service) Like(ctx context.Context, orgID, objectIRI string) error {
	org, author, err := s.reactionParties(ctx, orgID, objectIRI)
	if err != nil {
		return err
	}
	id := s.newActivityID()
	t := streams.NewActivityStreamsLike()
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(org.APID))
	t.SetActivityStreamsObject(objectIRIProperty(objectIRI))
	t.SetActivityStreamsTo(toProperty([]string{author.ID}))
	doc, err := serialize(t)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: org.APID, Type: "Like", ObjectID: objectIRI, Doc: doc, Inboxes: []string{author.deliveryInbox()}})
}
