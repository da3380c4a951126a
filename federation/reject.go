package federation

import "context"

// onReject marks our Follow rejected; a rejected peer request ends the peering.
func (s *Service) onReject(ctx context.Context, a object) error {
	return s.onFollowAnswer(ctx, a, false, func(ctx context.Context, followee string) error {
		return s.setPeerState(ctx, hostOf(followee), peerRejected)
	})
}
