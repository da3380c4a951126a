package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Registration for an event hosted on another node is Mobilizon's: the
// registering organisation sends Join to the host, which answers Accept (a
// place), Reject, or — our addition for a waiting list or a host's pending
// decision — TentativeAccept; Leave withdraws. The host's node keeps the
// registration that counts; the registering node keeps a copy whose state the
// answers set.
func init() {
	inboxHandlers["Join"] = (*Service).onJoin
	inboxHandlers["Leave"] = (*Service).onLeave
	inboxHandlers["TentativeAccept"] = func(s *Service, ctx context.Context, a object) error {
		if r, ok := s.answeredJoin(ctx, a); ok {
			return s.applyAnswer(ctx, a, r, tentativeStatus(a))
		}
		return nil
	}
	answersJoinToo("Accept", library.RegistrationAccepted)
	answersJoinToo("Reject", library.RegistrationRejected)
}

// propRegistration is our extension term for the state an answer gives.
const propRegistration = "commonplace:registrationStatus"

// answersJoinToo lets the Accept or Reject of one of our Joins reach its
// registration, and passes every other one (a Follow's) to the handler before.
func answersJoinToo(typ, status string) {
	next := inboxHandlers[typ]
	inboxHandlers[typ] = func(s *Service, ctx context.Context, a object) error {
		if r, ok := s.answeredJoin(ctx, a); ok {
			return s.applyAnswer(ctx, a, r, status)
		}
		return next(s, ctx, a)
	}
}

// answeredJoin finds the registration whose Join an answer names, embedded or by id.
func (s *Service) answeredJoin(ctx context.Context, a object) (*library.Registration, bool) {
	joinID := a.objectIRI()
	if inner, ok := a.obj("object"); ok && inner.typ() != "" && inner.typ() != "Join" {
		return nil, false
	}
	if joinID == "" || !s.isLocal(joinID) {
		return nil, false
	}
	r, err := s.store.RegistrationByJoinID(ctx, joinID)
	if err != nil {
		return nil, false
	}
	return r, true
}

// applyAnswer records the host's answer; only the event's host may give it.
func (s *Service) applyAnswer(ctx context.Context, a object, r *library.Registration, status string) error {
	if r.Event == nil || r.Event.Org == nil || r.Event.Org.APID != a.iri("actor") {
		return permanent(fmt.Errorf("federation: %s answered a registration for another's event: %w", a.iri("actor"), library.ErrForbidden))
	}
	_, err := s.store.ApplyRegistrationAnswer(ctx, r.JoinID, status)
	return err
}

// tentativeStatus is the state a TentativeAccept gives: waitlisted unless it says pending.
func tentativeStatus(a object) string {
	if st := a.ext("registrationStatus"); len(st) > 0 && st[0] == library.RegistrationPending {
		return library.RegistrationPending
	}
	return library.RegistrationWaitlisted
}

// onJoin registers a remote organisation for a local event. The answer
// follows from the change the registration logs (publishRegistration); a
// refused or repeated Join is answered here.
func (s *Service) onJoin(ctx context.Context, a object) error {
	ev, err := s.store.EventByAPID(ctx, a.objectIRI())
	if errors.Is(err, library.ErrNotFound) || (err == nil && !ev.Local) {
		return permanent(fmt.Errorf("federation: join of %s: %w", a.objectIRI(), library.ErrNotFound))
	}
	if err != nil {
		return err
	}
	remote, err := s.remoteActor(ctx, a.iri("actor"), false)
	if err != nil {
		return fetchFailure(err)
	}
	joiner := library.AnonymousViewer
	if s.isPeerDomain(ctx, remote.Domain) {
		joiner = library.PeerViewer
	}
	if !joiner.Sees(ev) {
		return s.answerJoin(ctx, ev, remote.ID, remote.deliveryInbox(), a.id(), library.RegistrationRejected)
	}
	orgID, err := s.remoteOrg(ctx, remote, false)
	if err != nil {
		return err
	}
	r, created, err := s.store.Register(ctx, ev.ID, orgID, a.id())
	switch {
	case errors.Is(err, library.ErrInvalid) || errors.Is(err, library.ErrConflict) || errors.Is(err, library.ErrForbidden):
		return s.answerJoin(ctx, ev, remote.ID, remote.deliveryInbox(), a.id(), library.RegistrationRejected)
	case err != nil:
		return err
	case !created && r.Status != library.RegistrationPending:
		return s.answerJoin(ctx, ev, remote.ID, remote.deliveryInbox(), a.id(), r.Status)
	}
	return nil
}

// answerJoin sends the host's answer to a Join: Accept, Reject or TentativeAccept.
func (s *Service) answerJoin(ctx context.Context, ev *library.Event, actorID, inbox, joinID, status string) error {
	out, err := s.answerOf(ev, actorID, inbox, joinID, status)
	if err != nil || out == nil {
		return err
	}
	return s.send(ctx, *out)
}

// answerOf builds the answer to a Join; nil when the state needs none.
func (s *Service) answerOf(ev *library.Event, actorID, inbox, joinID, status string) (*outgoing, error) {
	var t answerable
	typ := ""
	switch status {
	case library.RegistrationAccepted:
		t, typ = streams.NewActivityStreamsAccept(), "Accept"
	case library.RegistrationRejected:
		t, typ = streams.NewActivityStreamsReject(), "Reject"
	case library.RegistrationWaitlisted, library.RegistrationPending:
		t, typ = streams.NewActivityStreamsTentativeAccept(), "TentativeAccept"
	default:
		return nil, nil
	}
	id := s.newActivityID()
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(ev.Org.APID))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsJoin(joinVocab(joinID, actorID, ev.APID))
	t.SetActivityStreamsObject(obj)
	t.SetActivityStreamsTo(toProperty([]string{actorID}))
	extend(t.(extensible), map[string]any{propRegistration: status, "participantCount": ev.ParticipantCount})
	doc, err := serialize(t)
	if err != nil {
		return nil, err
	}
	return &outgoing{ID: id, Actor: ev.Org.APID, Type: typ, ObjectID: joinID, Doc: doc, Inboxes: []string{inbox}}, nil
}

// joinVocab is a Join of an event.
func joinVocab(id, actor, eventID string) vocab.ActivityStreamsJoin {
	j := streams.NewActivityStreamsJoin()
	j.SetJSONLDId(idProperty(id))
	j.SetActivityStreamsActor(actorProperty(actor))
	j.SetActivityStreamsObject(objectIRIProperty(eventID))
	return j
}

// publishRegistration tells the other node of a registration's change: our
// organisation's Join or Leave for an event hosted there, or our answer to
// an organisation of theirs. It sends each state of a Join once.
func (s *Service) publishRegistration(ctx context.Context, c library.Change) error {
	sent, err := s.sentRegistration(ctx, c.ObjectID)
	if err != nil || sent.Seq >= c.Seq {
		return err
	}
	r, err := s.store.Registration(ctx, c.ObjectID)
	if errors.Is(err, library.ErrNotFound) {
		return nil
	}
	if err != nil || r.Event == nil || r.Org == nil || r.Event.Org == nil {
		return err
	}
	var out *outgoing
	if sent.JoinID != r.JoinID || sent.Status != r.Status {
		out, err = s.registrationActivity(ctx, r)
		if err != nil {
			return err
		}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if out != nil {
			if err := s.enqueue(tx, *out); err != nil {
				return err
			}
			defer s.queue.changed()
		}
		return tx.Exec(`INSERT INTO federation_objects (object_id, kind, ap_id, audience, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (object_id) DO UPDATE SET ap_id = excluded.ap_id, audience = excluded.audience, seq = excluded.seq, updated_at = excluded.updated_at`,
			registrationKey(r.ID), string(library.KindRegistration), r.JoinID, r.Status, c.Seq, now()).Error
	})
}

// registrationActivity is the activity a registration's state calls for, or nil.
func (s *Service) registrationActivity(ctx context.Context, r *library.Registration) (*outgoing, error) {
	ev := r.Event
	switch {
	case !ev.Local && r.Org.Local && r.Status == library.RegistrationPending:
		return s.joinOf(ctx, r)
	case !ev.Local && r.Org.Local && r.Status == library.RegistrationCancelled:
		return s.leaveOf(ctx, r)
	case ev.Local && !r.Org.Local:
		remote, err := s.remoteActor(ctx, r.Org.APID, false)
		if err != nil {
			return nil, err
		}
		if r.Status == library.RegistrationPending {
			return nil, nil // the host has not decided: the registering node shows pending already
		}
		return s.answerOf(ev, remote.ID, remote.deliveryInbox(), r.JoinID, r.Status)
	}
	return nil, nil
}

// joinOf is our organisation's Join of an event hosted on another node.
func (s *Service) joinOf(ctx context.Context, r *library.Registration) (*outgoing, error) {
	host, err := s.remoteActor(ctx, r.Event.Org.APID, false)
	if err != nil {
		return nil, err
	}
	j := joinVocab(r.JoinID, r.Org.APID, r.Event.APID)
	j.SetActivityStreamsTo(toProperty([]string{host.ID}))
	doc, err := serialize(j)
	if err != nil {
		return nil, err
	}
	return &outgoing{ID: r.JoinID, Actor: r.Org.APID, Type: "Join", ObjectID: r.Event.APID, Doc: doc,
		Inboxes: []string{host.deliveryInbox()}}, nil
}

// sentRegistration is what federation last sent for a registration: kept in
// federation_objects, with the Join's IRI as ap_id and the state as audience.
type sentRegistration struct {
	JoinID string `gorm:"column:ap_id"`
	Status string `gorm:"column:audience"`
	Seq    int64
}

func (s *Service) sentRegistration(ctx context.Context, id string) (sentRegistration, error) {
	var rows []sentRegistration
	err := s.db.WithContext(ctx).Raw(`SELECT ap_id, audience, seq FROM federation_objects WHERE object_id = ?`, registrationKey(id)).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return sentRegistration{}, err
	}
	return rows[0], nil
}

func registrationKey(id string) string { return "registration:" + id }
