package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// Follow states.
const (
	followPending  = "pending"
	followAccepted = "accepted"
	followRejected = "rejected"
)

// followRow is a row of federation_follows.
type followRow struct {
	ID            string
	Follower      string
	Followee      string
	State         string
	LocalFollower bool
}

// followVocab builds a Follow; Accept, Reject and Undo embed it whole, which is
// how Mastodon and GoToSocial match it.
func followVocab(id, follower, followee string) vocab.ActivityStreamsFollow {
	f := streams.NewActivityStreamsFollow()
	f.SetJSONLDId(idProperty(id))
	f.SetActivityStreamsActor(actorProperty(follower))
	f.SetActivityStreamsObject(objectIRIProperty(followee))
	return f
}

// follow sends a Follow from a local actor to a remote one. Unless force is
// set, nothing is sent when a follow is already pending or accepted.
func (s *Service) follow(ctx context.Context, from localActor, to *remoteActor, force bool) error {
	existing, err := s.followBetween(ctx, from.ID, to.ID)
	if err == nil && !force && (existing.State == followAccepted || existing.State == followPending) {
		return nil
	}
	if err == nil && existing.State == followAccepted {
		return nil
	}
	id := s.newActivityID()
	if err := s.saveFollow(ctx, followRow{ID: id, Follower: from.ID, Followee: to.ID, State: followPending, LocalFollower: true}); err != nil {
		return err
	}
	doc, err := serialize(followVocab(id, from.ID, to.ID))
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: from.ID, Type: "Follow", ObjectID: to.ID, Doc: doc, Inboxes: []string{to.deliveryInbox()}})
}

// FollowAccount makes a local organisation follow a remote account, named by
// acct:user@host (or user@host) or by its actor URL.
func (s *Service) FollowAccount(ctx context.Context, orgID, target string) error {
	org, err := s.store.Organization(ctx, orgID)
	if err != nil {
		return err
	}
	if !org.Local {
		return fmt.Errorf("federation: %s is not local: %w", org.Address(), library.ErrForbidden)
	}
	actorID, err := s.resolveAccount(ctx, target)
	if err != nil {
		return err
	}
	remote, err := s.remoteActor(ctx, actorID, false)
	if err != nil {
		return followProblem(actorID, err)
	}
	if !s.federates(ctx, remote.Domain) {
		return fmt.Errorf("federation: %s is not federated with: %w", remote.Domain, library.ErrForbidden)
	}
	return s.follow(ctx, orgActor(org), remote, false)
}

// onFollow answers a Follow of one of our actors. Organisations accept
// everyone the inbox let through; the instance actor's follows are peer
// requests (see onPeerFollow).
func (s *Service) onFollow(ctx context.Context, a object) error {
	local, err := s.localActorByIRI(ctx, a.objectIRI())
	if err != nil {
		return permanent(err)
	}
	remote, err := s.remoteActor(ctx, a.iri("actor"), false)
	if err != nil {
		return err
	}
	if local.isInstance() {
		return s.onPeerFollow(ctx, a.id(), remote)
	}
	return s.acceptFollow(ctx, local, remote, a.id())
}

// acceptFollow records a remote follower and sends the Accept.
func (s *Service) acceptFollow(ctx context.Context, local localActor, remote *remoteActor, followID string) error {
	if err := s.saveFollow(ctx, followRow{ID: followID, Follower: remote.ID, Followee: local.ID, State: followAccepted}); err != nil {
		return err
	}
	return s.answerFollow(ctx, local, remote, followID, streams.NewActivityStreamsAccept(), "Accept")
}

// answerable is what Accept and Reject share.
type answerable interface {
	vocab.Type
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
	SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
}

// answerFollow sends an Accept or a Reject that embeds the Follow.
func (s *Service) answerFollow(ctx context.Context, local localActor, remote *remoteActor, followID string, t answerable, typ string) error {
	id := s.newActivityID()
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(local.ID))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsFollow(followVocab(followID, remote.ID, local.ID))
	t.SetActivityStreamsObject(obj)
	t.SetActivityStreamsTo(toProperty([]string{remote.ID}))
	doc, err := serialize(t)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: local.ID, Type: typ, ObjectID: followID, Doc: doc, Inboxes: []string{remote.deliveryInbox()}})
}

func (s *Service) saveFollow(ctx context.Context, f followRow) error {
	t := now()
	err := s.db.WithContext(ctx).Exec(`INSERT INTO federation_follows (id, follower, followee, state, local_follower, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (follower, followee) DO UPDATE SET id = excluded.id, state = excluded.state, updated_at = excluded.updated_at`,
		f.ID, f.Follower, f.Followee, f.State, f.LocalFollower, t, t).Error
	if err != nil {
		return fmt.Errorf("federation: store follow %s: %w", f.ID, err)
	}
	return nil
}

func (s *Service) followBetween(ctx context.Context, follower, followee string) (*followRow, error) {
	return s.findFollow(ctx, "follower = ? AND followee = ?", follower, followee)
}

func (s *Service) findFollow(ctx context.Context, where string, args ...any) (*followRow, error) {
	var rows []followRow
	if err := s.db.WithContext(ctx).Table("federation_follows").Where(where, args...).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, library.ErrNotFound
	}
	return &rows[0], nil
}

// setFollowState changes a follow's state.
func (s *Service) setFollowState(ctx context.Context, id, state string) error {
	return s.db.WithContext(ctx).Exec(`UPDATE federation_follows SET state = ?, updated_at = ? WHERE id = ?`, state, now(), id).Error
}

// answeredFollow finds our Follow that an Accept or Reject answers: by the
// embedded Follow's id, or by its actor and object.
func (s *Service) answeredFollow(ctx context.Context, a object) (*followRow, error) {
	answerer := a.iri("actor")
	f, err := s.findFollow(ctx, "id = ? AND local_follower = ?", a.objectIRI(), true)
	if errors.Is(err, library.ErrNotFound) {
		if inner, ok := a.obj("object"); ok && inner.iri("actor") != "" {
			f, err = s.followBetween(ctx, inner.iri("actor"), answerer)
		}
	}
	if err != nil {
		return nil, permanent(err)
	}
	if f.Followee != answerer {
		return nil, permanent(fmt.Errorf("federation: %s answered a follow of %s: %w", answerer, f.Followee, library.ErrForbidden))
	}
	return f, nil
}

// followProblem says what went wrong fetching the account to follow: no
// such actor is the caller's mistake (422); a server that cannot be reached
// or answers with an error is the other server's (502); neither is ours.
func followProblem(target string, err error) error {
	switch {
	case errors.Is(err, errRemoteNotFound), errors.Is(err, errRemoteGone), errors.Is(err, errBadActor):
		return library.Invalid("account", "%s is not an account that can be followed", target)
	case errors.Is(err, errForbiddenAddr), errors.Is(err, errBlocked):
		return fmt.Errorf("federation: follow %s: %v: %w", target, err, library.ErrForbidden)
	case errors.Is(err, context.Canceled):
		return err
	}
	return echo.NewHTTPError(http.StatusBadGateway, "could not reach "+hostOf(target)+" to fetch "+target)
}
