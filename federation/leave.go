package federation

import (
	"context"
	"errors"

	"github.com/go-fed/activity/streams"

	"github.com/citizen-network/commonplace/library"
)

// onLeave withdraws a remote organisation's registration for a local event;
// the place it held goes to the first on the waiting list. Mobilizon's Leave
// names the event; a Leave that embeds the Join is read too.
func (s *Service) onLeave(ctx context.Context, a object) error {
	eventID := a.objectIRI()
	if inner, ok := a.obj("object"); ok && inner.typ() == "Join" {
		eventID = inner.objectIRI()
	}
	ev, err := s.store.EventByAPID(ctx, eventID)
	if errors.Is(err, library.ErrNotFound) || (err == nil && !ev.Local) {
		return nil
	}
	if err != nil {
		return err
	}
	org, err := s.store.OrganizationByAPID(ctx, a.iri("actor"))
	if errors.Is(err, library.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.store.Leave(ctx, ev.ID, org.ID)
	if errors.Is(err, library.ErrNotFound) || errors.Is(err, library.ErrGone) {
		return nil
	}
	return err
}

// leaveOf is our organisation's Leave of an event hosted on another node.
func (s *Service) leaveOf(ctx context.Context, r *library.Registration) (*outgoing, error) {
	host, err := s.remoteActor(ctx, r.Event.Org.APID, false)
	if err != nil {
		return nil, err
	}
	id := s.newActivityID()
	l := streams.NewActivityStreamsLeave()
	l.SetJSONLDId(idProperty(id))
	l.SetActivityStreamsActor(actorProperty(r.Org.APID))
	l.SetActivityStreamsObject(objectIRIProperty(r.Event.APID))
	l.SetActivityStreamsTo(toProperty([]string{host.ID}))
	doc, err := serialize(l)
	if err != nil {
		return nil, err
	}
	return &outgoing{ID: id, Actor: r.Org.APID, Type: "Leave", ObjectID: r.Event.APID, Doc: doc,
		Inboxes: []string{host.deliveryInbox()}}, nil
}
