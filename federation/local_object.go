package federation

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-fed/activity/streams/vocab"
	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// localKind tells the code below, which every mapping of local objects
// shares, how to read one kind of library object T (Listing, Story, Event):
// how to load it live or deleted, how to page it, and its ActivityStreams
// form V.
type localKind[T any, V vocab.Type] struct {
	// noun names the kind in not-found errors.
	noun string
	// formerType is the ActivityStreams type, for Tombstones.
	formerType string
	// live loads an object (a deleted one is ErrGone); deleted loads a deleted one.
	live, deleted func(store *library.Store, ctx context.Context, kind library.ObjectKind, id string) (*T, error)
	// page lists local objects for outbox pages.
	page func(store *library.Store, ctx context.Context, q library.ListingPageQuery) ([]T, error)
	// head reads the fields every kind has.
	head func(v *T) objectHead
	// vocab is the object's ActivityStreams form.
	vocab func(s *Service, v *T) V
}

// byID adapts a store's lookup by id to a localKind's, for the kinds that
// have one change-log kind (all but listings).
func byID[T any](find func(*library.Store, context.Context, string) (*T, error)) func(*library.Store, context.Context, library.ObjectKind, string) (*T, error) {
	return func(store *library.Store, ctx context.Context, _ library.ObjectKind, id string) (*T, error) {
		return find(store, ctx, id)
	}
}

// objectHead is what federation reads of any kind of library object.
type objectHead struct {
	ID, APID, OrgID, Visibility string
	Kind                        library.ObjectKind
	Local                       bool
	Org                         *library.Organization
	Published                   time.Time
	Deleted                     time.Time
}

// local loads a local object for the change log, deleted ones included;
// ErrNotFound when it is remote or unknown. It is a mapping's Local.
func (k *localKind[T, V]) local(ctx context.Context, s *Service, kind library.ObjectKind, id string) (*localObject, error) {
	v, err := k.live(s.store, ctx, kind, id)
	if errors.Is(err, library.ErrGone) {
		return k.gone(ctx, s, kind, id)
	}
	if err != nil {
		return nil, err
	}
	if !k.head(v).Local {
		return nil, notFound("remote " + k.noun + " " + id)
	}
	return k.object(v), nil
}

// gone is a deleted local object: enough for its Delete and Tombstone.
func (k *localKind[T, V]) gone(ctx context.Context, s *Service, kind library.ObjectKind, id string) (*localObject, error) {
	d, err := k.deleted(s.store, ctx, kind, id)
	if err != nil {
		return nil, err
	}
	h := k.head(d)
	if !h.Local {
		return nil, notFound("remote " + k.noun + " " + id)
	}
	org, err := s.store.Organization(ctx, h.OrgID)
	if err != nil {
		return nil, err
	}
	return &localObject{ID: h.ID, Kind: h.Kind, APID: h.APID, Author: org, Audience: audienceNone,
		Published: h.Published, Deleted: &h.Deleted, FormerType: k.formerType}, nil
}

// object is a live local object as federation sees it.
func (k *localKind[T, V]) object(v *T) *localObject {
	h := k.head(v)
	return &localObject{ID: h.ID, Kind: h.Kind, APID: h.APID, Author: h.Org, Audience: audienceOf(h.Visibility),
		Published: h.Published, FormerType: k.formerType,
		vocab: func(s *Service) (vocab.Type, error) { return k.vocab(s, v), nil }}
}

// pageOf lists local objects for an outbox page, newest first. It is a mapping's Page.
func (k *localKind[T, V]) pageOf(ctx context.Context, s *Service, q pageQuery) ([]*localObject, error) {
	vs, err := k.page(s.store, ctx, library.ListingPageQuery{OrgID: q.OrgID, Visibility: q.Audiences,
		MaxID: q.MaxID, MinID: q.MinID, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]*localObject, len(vs))
	for i := range vs {
		out[i] = k.object(&vs[i])
	}
	return out, nil
}

// serve answers a local object in ActivityStreams to whom library's rule of
// visibility lets see it: public ones to anyone, network ones only to a GET
// signed by a peer's instance actor, local ones never.
func (k *localKind[T, V]) serve(s *Service, c echo.Context, v *T) error {
	h := k.head(v)
	switch {
	case !h.Local:
		return notFound("remote " + k.noun)
	case !s.sees(c.Request(), h.Visibility, h.OrgID):
		return notFound(k.noun)
	}
	return s.writeDoc(c, http.StatusOK, k.vocab(s, v))
}

// objectSetters are the setters every ActivityStreams object of ours has
// (Note, Article, Event).
type objectSetters interface {
	extensible
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsAttributedTo(vocab.ActivityStreamsAttributedToProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsContent(vocab.ActivityStreamsContentProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetActivityStreamsUpdated(vocab.ActivityStreamsUpdatedProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
	SetActivityStreamsTag(vocab.ActivityStreamsTagProperty)
}

// objectCore is what every local object says of itself: who, where, when,
// to whom, about what. updated is left out when zero.
type objectCore struct {
	apID, url, name, content, visibility string
	org                                  *library.Organization
	published, updated                   time.Time
	themes                               []string
	// indexable is the object's consent to be indexed beyond this node.
	indexable bool
}

// setCore writes the core of a local object onto its ActivityStreams form.
func (s *Service) setCore(o objectSetters, c objectCore) {
	o.SetJSONLDId(idProperty(c.apID))
	o.SetActivityStreamsUrl(urlProperty(c.url))
	o.SetActivityStreamsAttributedTo(attributedToProperty(c.org.APID))
	o.SetActivityStreamsName(nameProperty(c.name))
	o.SetActivityStreamsContent(contentProperty(c.content))
	o.SetActivityStreamsPublished(publishedProperty(c.published))
	if !c.updated.IsZero() {
		o.SetActivityStreamsUpdated(updatedProperty(c.updated))
	}
	to, cc := s.addressing(orgActor(c.org), audienceOf(c.visibility))
	o.SetActivityStreamsTo(toProperty(to))
	o.SetActivityStreamsCc(ccProperty(cc))
	if tags := s.hashtags(c.themes); tags.Len() > 0 {
		o.SetActivityStreamsTag(tags)
	}
	// FEP-5feb's term, on the object: false keeps it out of other nodes' indexes.
	extend(o, map[string]any{"indexable": c.indexable})
}

// updatedAfter is the time of the last update, or zero when there was none
// after publication.
func updatedAfter(published, updated time.Time) time.Time {
	if updated.Sub(published) > 0 {
		return updated
	}
	return time.Time{}
}
