package federation

import (
	"context"
	"net/http"
	"time"
)

// SignForTest signs a request as a local actor, the Cavage way, as our deliveries do.
func (s *Service) SignForTest(ctx context.Context, r *http.Request, actorID string, body []byte) error {
	return s.signRequest(ctx, r, actorID, body)
}

// SignAtForTest signs with a chosen Date.
func (s *Service) SignAtForTest(ctx context.Context, r *http.Request, actorID string, body []byte, date time.Time) error {
	return s.signAt(ctx, r, actorID, body, date)
}

// SignMessageForTest signs a request as a local actor the RFC 9421 way.
func (s *Service) SignMessageForTest(ctx context.Context, r *http.Request, actorID string, body []byte) error {
	key, err := s.keys.key(ctx, actorID)
	if err != nil {
		return err
	}
	return signMessage(r, key.Private, key.KeyID, body)
}

// PublicKeyPEMForTest is a local actor's public key.
func (s *Service) PublicKeyPEMForTest(ctx context.Context, actorID string) (string, error) {
	key, err := s.keys.key(ctx, actorID)
	if err != nil {
		return "", err
	}
	return key.PublicPEM, nil
}

// DeliveriesForTest counts delivery rows by state.
func (s *Service) DeliveriesForTest(ctx context.Context, state string) int64 {
	var n int64
	s.db.WithContext(ctx).Table("federation_deliveries").Where("state = ?", state).Count(&n)
	return n
}

// InboxRowsForTest counts stored inbox activities.
func (s *Service) InboxRowsForTest(ctx context.Context) int64 {
	var n int64
	s.db.WithContext(ctx).Table("federation_inbox").Count(&n)
	return n
}
