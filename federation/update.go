package federation

import (
	"context"
	"fmt"

	"github.com/go-fed/activity/streams"

	"github.com/citizen-network/commonplace/library"
)

// actorTypes are the ActivityStreams actor types.
var actorTypes = map[string]bool{"Person": true, "Organization": true, "Application": true, "Service": true, "Group": true}

// onUpdate refreshes an actor (only its own Update counts) or an object,
// which UpsertRemoteListing lets only its owner change. An Update that
// withdraws consent to index is answered with a receipt (consent.go).
func (s *Service) onUpdate(ctx context.Context, a object) error {
	actor := a.iri("actor")
	if inner, ok := a.obj("object"); ok && actorTypes[inner.typ()] || a.objectIRI() == actor {
		if a.objectIRI() != actor {
			return permanent(fmt.Errorf("federation: %s updated actor %s: %w", actor, a.objectIRI(), library.ErrForbidden))
		}
		remote, err := s.remoteActor(ctx, actor, true)
		if err != nil {
			return fetchFailure(err)
		}
		if _, known := s.store.OrganizationByAPID(ctx, actor); known != nil {
			return nil
		}
		if _, err = s.remoteOrg(ctx, remote, true); err != nil || s.actorIndexable(ctx, remote) {
			return err
		}
		return s.sendReceipt(ctx, a, remote)
	}
	o, err := s.activityObject(ctx, a)
	if err != nil {
		return err
	}
	if err := s.ingest(ctx, actor, o); err != nil || objectIndexable(o) {
		return err
	}
	author, err := s.remoteActor(ctx, actor, false)
	if err != nil {
		return err
	}
	return s.sendReceipt(ctx, a, author)
}

// updateOf is the Update of a local object.
func (s *Service) updateOf(id string, lo *localObject) (document, error) {
	obj, err := lo.vocab(s)
	if err != nil {
		return nil, err
	}
	return s.wrap(streams.NewActivityStreamsUpdate(), id, orgActor(lo.Author), obj, lo.Audience)
}

// actorUpdate is the Update of a local actor's profile.
func (s *Service) actorUpdate(ctx context.Context, a localActor) (document, error) {
	doc, err := s.actorDocument(ctx, a)
	if err != nil {
		return nil, err
	}
	delete(doc, "@context")
	return document{"@context": ldContext, "id": s.newActivityID(), "type": "Update", "actor": a.ID,
		"object": map[string]any(doc), "to": asPublic, "published": now().Format("2006-01-02T15:04:05Z")}, nil
}
