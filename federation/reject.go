package federation

import "context"

// onReject marks our Follow rejected; a rejected peer request ends the peering.
func (s *Service) onReject(ctx context.Context, a object) error {
	if done, err := s.answerIntroduction(ctx, a, false); done || err != nil {
		return err
	}
	if inner, ok := a.obj("object"); ok && inner.typ() != "" && inner.typ() != "Follow" {
		return nil
	}
	f, err := s.answeredFollow(ctx, a)
	if err != nil {
		return err
	}
	if err := s.setFollowState(ctx, f.ID, followRejected); err != nil {
		return err
	}
	if f.Follower == s.InstanceActor() {
		return s.setPeerState(ctx, hostOf(f.Followee), peerRejected)
	}
	return nil
}
