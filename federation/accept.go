package federation

import "context"

// onAccept marks our Follow accepted. When a peer's instance actor accepts
// ours, the peering is complete on our side: its history is back-filled.
func (s *Service) onAccept(ctx context.Context, a object) error {
	if done, err := s.answerIntroduction(ctx, a, true); done || err != nil {
		return err
	}
	if inner, ok := a.obj("object"); ok && inner.typ() != "" && inner.typ() != "Follow" {
		return nil
	}
	f, err := s.answeredFollow(ctx, a)
	if err != nil {
		return err
	}
	if err := s.setFollowState(ctx, f.ID, followAccepted); err != nil {
		return err
	}
	if f.Follower == s.InstanceActor() {
		return s.peerAccepted(ctx, f.Followee)
	}
	return nil
}
