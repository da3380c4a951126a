package federation

import (
	"context"
	"fmt"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/citizen-network/commonplace/library"
)

// onCreate keeps a new object. An object that is not on its actor's host is
// fetched from its origin rather than trusted as embedded.
func (s *Service) onCreate(ctx context.Context, a object) error {
	o, err := s.activityObject(ctx, a)
	if err != nil {
		return err
	}
	if done, err := s.onConversationEntry(ctx, a.iri("actor"), o); done {
		return err
	}
	return s.ingest(ctx, a.iri("actor"), o)
}

// activityObject returns an activity's object: the embedded one when it comes
// from the actor's own host, else a copy fetched from the object's origin.
func (s *Service) activityObject(ctx context.Context, a object) (object, error) {
	o, ok := a.obj("object")
	if ok && o.id() != "" && hostOf(o.id()) == hostOf(a.iri("actor")) && len(o) > 2 {
		return o, nil
	}
	iri := a.objectIRI()
	if iri == "" {
		return nil, permanent(fmt.Errorf("federation: %s has no object: %w", a.typ(), library.ErrInvalid))
	}
	fetched, err := s.fetcher.getObject(ctx, iri)
	if err != nil {
		return nil, fetchFailure(err)
	}
	return fetched, nil
}

// activityVocab is what the object activities (Create, Update, Delete,
// Announce) share.
type activityVocab interface {
	vocab.Type
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
	SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
}

// wrap fills in an activity around obj from author to an audience.
func (s *Service) wrap(t activityVocab, id string, author localActor, obj vocab.Type, aud audience) (document, error) {
	if err := s.fill(t, id, author, obj, aud, now()); err != nil {
		return nil, err
	}
	return serialize(t)
}

// fill sets an activity's id, actor, object, addressing and date.
func (s *Service) fill(t activityVocab, id string, author localActor, obj vocab.Type, aud audience, published time.Time) error {
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(author.ID))
	prop := streams.NewActivityStreamsObjectProperty()
	if err := prop.AppendType(obj); err != nil {
		return fmt.Errorf("federation: wrap %s: %w", obj.GetTypeName(), err)
	}
	t.SetActivityStreamsObject(prop)
	to, cc := s.addressing(author, aud)
	t.SetActivityStreamsTo(toProperty(to))
	t.SetActivityStreamsCc(ccProperty(cc))
	t.SetActivityStreamsPublished(publishedProperty(published))
	return nil
}

// createOf is the Create of a local object.
func (s *Service) createOf(id string, lo *localObject) (document, error) {
	obj, err := lo.vocab(s)
	if err != nil {
		return nil, err
	}
	return s.wrap(streams.NewActivityStreamsCreate(), id, orgActor(lo.Author), obj, lo.Audience)
}
