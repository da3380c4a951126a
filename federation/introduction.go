package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/citizen-network/commonplace/library"
)

// An introduction ("we can help with your need") is an Offer activity: its
// actor is the offering organisation, its object the offer, its target the
// need; the need's organisation answers with Accept or Reject. Mastodon
// ignores Offer, so only Commonplace nodes see it. The library hands
// introductions that cross nodes to SendIntroduction and
// SendIntroductionAnswer from its change log.

// offerVocab is the Offer activity of an introduction.
func offerVocab(in *library.Introduction) vocab.ActivityStreamsOffer {
	o := streams.NewActivityStreamsOffer()
	o.SetJSONLDId(idProperty(in.APID))
	o.SetActivityStreamsActor(actorProperty(in.FromOrg.APID))
	o.SetActivityStreamsObject(objectIRIProperty(in.Offer.APID))
	target := streams.NewActivityStreamsTargetProperty()
	target.AppendIRI(mustIRI(in.Need.APID))
	o.SetActivityStreamsTarget(target)
	if in.Message != "" {
		o.SetActivityStreamsContent(contentProperty(plainToHTML(in.Message)))
	}
	o.SetActivityStreamsTo(toProperty([]string{in.ToOrg.APID}))
	o.SetActivityStreamsPublished(publishedProperty(in.CreatedAt))
	return o
}

// SendIntroduction queues the Offer of an introduction made here to the need's
// organisation on its node. Its id is the introduction's, so sending it again is harmless.
func (s *Service) SendIntroduction(ctx context.Context, in *library.Introduction) error {
	if in.Offer == nil || in.Need == nil {
		return fmt.Errorf("federation: introduction %s without its offer or need", in.ID)
	}
	to, err := s.remoteActor(ctx, in.ToOrg.APID, false)
	if err != nil {
		return err
	}
	doc, err := serialize(offerVocab(in))
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: in.APID, Actor: in.FromOrg.APID, Type: "Offer", ObjectID: in.Offer.APID, Doc: doc,
		Inboxes: []string{to.deliveryInbox()}})
}

// SendIntroductionAnswer queues the Accept or Reject of an introduction
// received from another node; it embeds the Offer.
func (s *Service) SendIntroductionAnswer(ctx context.Context, in *library.Introduction) error {
	if in.Offer == nil || in.Need == nil || in.State == library.IntroPending {
		return nil
	}
	from, err := s.remoteActor(ctx, in.FromOrg.APID, false)
	if err != nil {
		return err
	}
	var t answerable = streams.NewActivityStreamsReject()
	typ := "Reject"
	if in.State == library.IntroAccepted {
		t, typ = streams.NewActivityStreamsAccept(), "Accept"
	}
	id := in.APID + "#" + typ
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(in.ToOrg.APID))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsOffer(offerVocab(in))
	t.SetActivityStreamsObject(obj)
	t.SetActivityStreamsTo(toProperty([]string{in.FromOrg.APID}))
	doc, err := serialize(t)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: in.ToOrg.APID, Type: typ, ObjectID: in.APID, Doc: doc, Inboxes: []string{from.deliveryInbox()}})
}

// onOffer receives an introduction: an offer of the actor's, for one of our needs.
func (s *Service) onOffer(ctx context.Context, a object) error {
	actor, offerIRI, needIRI := a.iri("actor"), a.objectIRI(), a.iri("target")
	if hostOf(offerIRI) != hostOf(actor) || !s.isLocal(needIRI) {
		return permanent(fmt.Errorf("federation: Offer of %s for %s: %w", offerIRI, needIRI, library.ErrInvalid))
	}
	offer, err := s.store.ListingByAPID(ctx, offerIRI)
	if errors.Is(err, library.ErrNotFound) {
		// Not held yet (a node we do not peer with): fetch it from its origin.
		o, ferr := s.fetcher.getObject(ctx, offerIRI)
		if ferr != nil {
			return fetchFailure(ferr)
		}
		if err := s.ingest(ctx, actor, o); err != nil {
			return err
		}
		offer, err = s.store.ListingByAPID(ctx, offerIRI)
	}
	if err != nil {
		return permanent(err)
	}
	need, err := s.store.ListingByAPID(ctx, needIRI)
	if err != nil {
		return permanent(err)
	}
	if offer.Org == nil || offer.Org.APID != actor {
		return permanent(fmt.Errorf("federation: %s offered %s, which is not its own: %w", actor, offerIRI, library.ErrForbidden))
	}
	_, err = s.store.ReceiveIntroduction(ctx, a.id(), offer.ID, need.ID, library.PlainText(a.str("content")))
	return permanent(err)
}

// answerIntroduction handles an Accept or Reject of one of our Offers; it
// reports false when the activity answers no introduction.
func (s *Service) answerIntroduction(ctx context.Context, a object, accept bool) (bool, error) {
	in, err := s.store.IntroductionByAPID(ctx, a.objectIRI())
	if errors.Is(err, library.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	org, err := s.store.OrganizationByAPID(ctx, a.iri("actor"))
	if err != nil {
		return true, permanent(err)
	}
	_, err = s.store.ReceiveIntroductionAnswer(ctx, in.APID, org.ID, accept)
	return true, permanent(err)
}
