package library

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"
)

// NewCalendarToken gives an organisation a new secret for the private URL of
// its calendar of events, replacing the old one (which stops working). Only
// its hash is kept, so it is shown once.
func (s *Store) NewCalendarToken(ctx context.Context, orgID string) (string, error) {
	token := newSecret()
	err := s.db.WithContext(ctx).Exec(`INSERT INTO calendar_tokens (org_id, token_hash, created_at) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
		orgID, hashSecret(token), time.Now().UTC()).Error
	if err != nil {
		return "", fmt.Errorf("library: calendar token for %s: %w", orgID, err)
	}
	return token, nil
}

// HasCalendarToken reports whether the organisation has a private calendar URL.
func (s *Store) HasCalendarToken(ctx context.Context, orgID string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM calendar_tokens WHERE org_id = ?`, orgID).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("library: calendar token for %s: %w", orgID, err)
	}
	return n > 0, nil
}

// CheckCalendarToken reports whether token opens the organisation's calendar;
// a wrong or missing token is ErrNotFound, so the URL reveals nothing.
func (s *Store) CheckCalendarToken(ctx context.Context, orgID, token string) error {
	var hashes []string
	err := s.db.WithContext(ctx).Raw(`SELECT token_hash FROM calendar_tokens WHERE org_id = ?`, orgID).Scan(&hashes).Error
	if err != nil {
		return fmt.Errorf("library: calendar token for %s: %w", orgID, err)
	}
	if token == "" || len(hashes) == 0 || subtle.ConstantTimeCompare([]byte(hashes[0]), []byte(hashSecret(token))) != 1 {
		return fmt.Errorf("library: calendar of %s: %w", orgID, ErrNotFound)
	}
	return nil
}
