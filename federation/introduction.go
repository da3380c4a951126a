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
// need; the need's organisation answers with Accept or Reject. When the
// need's organisation asks for the introduction, the Offer goes the other
// way (actor the need's organisation, object the need, target the offer) and
// the offer's organisation answers. Mastodon
// ignores Offer, so only Commonplace nodes see it. The library hands
// introductions that cross nodes to SendIntroduction and
// SendIntroductionAnswer from its change log.

// offerVocab is the Offer activity of an introduction: from the offer's
// organisation, object the offer, target the need; or, when the need's
// organisation asked for it, from that organisation, object the need, target
// the offer.
func offerVocab(in *library.Introduction) vocab.ActivityStreamsOffer {
	actor, object, target, to := in.FromOrg.APID, in.Offer.APID, in.Need.APID, in.ToOrg.APID
	if in.Asked {
		actor, object, target, to = in.ToOrg.APID, in.Need.APID, in.Offer.APID, in.FromOrg.APID
	}
	o := streams.NewActivityStreamsOffer()
	o.SetJSONLDId(idProperty(in.APID))
	o.SetActivityStreamsActor(actorProperty(actor))
	o.SetActivityStreamsObject(objectIRIProperty(object))
	t := streams.NewActivityStreamsTargetProperty()
	t.AppendIRI(mustIRI(target))
	o.SetActivityStreamsTarget(t)
	if in.Message != "" {
		o.SetActivityStreamsContent(contentProperty(plainToHTML(in.Message)))
	}
	o.SetActivityStreamsTo(toProperty([]string{to}))
	o.SetActivityStreamsPublished(publishedProperty(in.CreatedAt))
	return o
}

// sidesOf are the asking organisation and the answering one.
func sidesOf(in *library.Introduction) (asker, answerer *library.Organization) {
	if in.Asked {
		return in.ToOrg, in.FromOrg
	}
	return in.FromOrg, in.ToOrg
}

// SendIntroduction queues the Offer of an introduction made here to the need's
// organisation on its node. Its id is the introduction's, so sending it again is harmless.
func (s *Service) SendIntroduction(ctx context.Context, in *library.Introduction) error {
	if in.Offer == nil || in.Need == nil {
		return fmt.Errorf("federation: introduction %s without its offer or need", in.ID)
	}
	asker, answerer := sidesOf(in)
	to, err := s.remoteActor(ctx, answerer.APID, false)
	if err != nil {
		return err
	}
	doc, err := serialize(offerVocab(in))
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: in.APID, Actor: asker.APID, Type: "Offer", ObjectID: in.Offer.APID, Doc: doc,
		Inboxes: []string{to.deliveryInbox()}})
}

// SendIntroductionAnswer queues the Accept or Reject of an introduction
// received from another node; it embeds the Offer.
func (s *Service) SendIntroductionAnswer(ctx context.Context, in *library.Introduction) error {
	if in.Offer == nil || in.Need == nil || in.State == library.IntroPending {
		return nil
	}
	asker, answerer := sidesOf(in)
	from, err := s.remoteActor(ctx, asker.APID, false)
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
	if in.State == library.IntroRejected && in.Reason != "" {
		if r, ok := t.(interface {
			SetActivityStreamsContent(vocab.ActivityStreamsContentProperty)
		}); ok {
			r.SetActivityStreamsContent(contentProperty(plainToHTML(in.Reason)))
		}
	}
	t.SetActivityStreamsActor(actorProperty(answerer.APID))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsOffer(offerVocab(in))
	t.SetActivityStreamsObject(obj)
	t.SetActivityStreamsTo(toProperty([]string{asker.APID}))
	doc, err := serialize(t)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: answerer.APID, Type: typ, ObjectID: in.APID, Doc: doc, Inboxes: []string{from.deliveryInbox()}})
}

// onOffer receives an introduction: an offer of the actor's, for one of our
// needs; or a request for one: a need of the actor's, for one of our offers.
func (s *Service) onOffer(ctx context.Context, a object) error {
	actor, theirs, ours := a.iri("actor"), a.objectIRI(), a.iri("target")
	if hostOf(theirs) != hostOf(actor) || !s.isLocal(ours) {
		return permanent(fmt.Errorf("federation: Offer of %s for %s: %w", theirs, ours, library.ErrInvalid))
	}
	local, err := s.store.ListingByAPID(ctx, ours)
	if err != nil {
		return permanent(err)
	}
	remote, err := s.store.ListingByAPID(ctx, theirs)
	if errors.Is(err, library.ErrNotFound) {
		// Not held yet (a node we do not peer with): fetch it from its origin.
		o, ferr := s.fetcher.getObject(ctx, theirs)
		if ferr != nil {
			return fetchFailure(ferr)
		}
		if err := s.ingest(ctx, actor, o); err != nil {
			return err
		}
		remote, err = s.store.ListingByAPID(ctx, theirs)
	}
	if err != nil {
		return permanent(err)
	}
	if remote.Org == nil || remote.Org.APID != actor {
		return permanent(fmt.Errorf("federation: %s offered %s, which is not its own: %w", actor, theirs, library.ErrForbidden))
	}
	message := library.PlainText(a.str("content"))
	if local.Kind == library.Offer {
		_, err = s.store.ReceiveIntroductionRequest(ctx, a.id(), local.ID, remote.ID, message)
	} else {
		_, err = s.store.ReceiveIntroduction(ctx, a.id(), remote.ID, local.ID, message)
	}
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
	if reason := library.PlainText(a.str("content")); !accept && reason != "" {
		_, err = s.store.ReceiveIntroductionDecline(ctx, in.APID, org.ID, reason)
	} else {
		_, err = s.store.ReceiveIntroductionAnswer(ctx, in.APID, org.ID, accept)
	}
	return true, permanent(err)
}

// SendIntroductionWithdrawal queues the Undo of an introduction's Offer,
// taken back before it was answered.
func (s *Service) SendIntroductionWithdrawal(ctx context.Context, in *library.Introduction) error {
	if in.Offer == nil || in.Need == nil {
		return nil
	}
	asker, answerer := sidesOf(in)
	to, err := s.remoteActor(ctx, answerer.APID, false)
	if err != nil {
		return err
	}
	u := streams.NewActivityStreamsUndo()
	id := in.APID + "#Undo"
	u.SetJSONLDId(idProperty(id))
	u.SetActivityStreamsActor(actorProperty(asker.APID))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsOffer(offerVocab(in))
	u.SetActivityStreamsObject(obj)
	u.SetActivityStreamsTo(toProperty([]string{answerer.APID}))
	doc, err := serialize(u)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: asker.APID, Type: "Undo", ObjectID: in.APID, Doc: doc, Inboxes: []string{to.deliveryInbox()}})
}

// onWithdrawal applies the Undo of an introduction's Offer; it reports false
// when the Undo is of no introduction held here.
func (s *Service) onWithdrawal(ctx context.Context, actor, offerID string) (bool, error) {
	in, err := s.store.IntroductionByAPID(ctx, offerID)
	if errors.Is(err, library.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	org, err := s.store.OrganizationByAPID(ctx, actor)
	if err != nil {
		return true, permanent(err)
	}
	_, err = s.store.ReceiveWithdrawal(ctx, in.APID, org.ID)
	return true, permanent(err)
}
