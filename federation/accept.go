package federation

import "context"

// onAccept records a peer's receipt of a withdrawal (consent.go), or marks
// our Follow accepted. When a peer's instance actor accepts
// ours, the peering is complete on our side: its history is back-filled.
func (s *Service) onAccept(ctx context.Context, a object) error {
	if done, err := s.onReceipt(ctx, a); done || err != nil {
		return err
	}
	return s.onFollowAnswer(ctx, a, true, s.peerAccepted)
}

// onFollowAnswer applies an Accept or a Reject (accepted false) of an
// introduction made here, or of our Follow, whose state it sets. When that
// Follow was the instance actor's, peered goes on with, or ends, the peering.
func (s *Service) onFollowAnswer(ctx context.Context, a object, accepted bool, peered func(ctx context.Context, followee string) error) error {
	if done, err := s.answerIntroduction(ctx, a, accepted); done || err != nil {
		return err
	}
	if inner, ok := a.obj("object"); ok && inner.typ() != "" && inner.typ() != "Follow" {
		return nil
	}
	f, err := s.answeredFollow(ctx, a)
	if err != nil {
		return err
	}
	state := followRejected
	if accepted {
		state = followAccepted
	}
	if err := s.setFollowState(ctx, f.ID, state); err != nil {
		return err
	}
	if f.Follower == s.InstanceActor() {
		return peered(ctx, f.Followee)
	}
	if accepted && !s.isPeerDomain(ctx, hostOf(f.Followee)) {
		s.readHistory(ctx, f.Followee)
	}
	return nil
}

// readHistory walks the outbox of an actor that just accepted one of our
// organisations' follows, so that what it published before (all of it, for
// an organisation that moved here from another node) is held like what it
// publishes next. A peer's instance outbox is walked on peering instead. A
// failure is logged: the follow stands, and new objects still arrive.
func (s *Service) readHistory(ctx context.Context, actorID string) {
	actor, err := s.remoteActor(ctx, actorID, false)
	if err == nil && actor.Outbox == "" {
		return
	}
	n := 0
	if err == nil {
		n, err = s.backfillOutbox(ctx, actor.Domain, actor.Outbox)
	}
	if err != nil {
		s.log.Info("could not read the history of a followed actor", "actor", actorID, "objects", n, "error", err)
		return
	}
	s.log.Debug("read the history of a followed actor", "actor", actorID, "objects", n)
}
