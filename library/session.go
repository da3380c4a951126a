package library

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CreateSession starts a browser session for the account and returns its secret.
func (s *Store) CreateSession(ctx context.Context, accountID string, ttl time.Duration) (string, error) {
	token := newSecret()
	now := time.Now().UTC()
	err := s.db.WithContext(ctx).Exec(`INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hashSecret(token), accountID, now, now.Add(ttl)).Error
	if err != nil {
		return "", fmt.Errorf("library: create session: %w", err)
	}
	return token, nil
}

// SessionAccount returns the account of a live session.
func (s *Store) SessionAccount(ctx context.Context, token string) (*Account, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`SELECT account_id FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		hashSecret(token), time.Now().UTC()).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("library: session: %w", err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("library: session: %w", ErrNotFound)
	}
	return s.Account(ctx, ids[0])
}

// DeleteSession ends a session (log out).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Exec(`DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)).Error
}

// Principal is who an API token speaks for.
type Principal struct {
	TokenID string
	OrgID   string
	Admin   bool
}

// CreateAPIToken issues a token for an organisation, or a coordinator token when
// admin is true, and returns its secret (shown once; only its hash is kept).
func (s *Store) CreateAPIToken(ctx context.Context, orgID string, admin bool, name string) (string, error) {
	token := newSecret()
	var org *string
	if orgID != "" {
		org = &orgID
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO api_tokens (id, token_hash, org_id, admin, name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			NewID(), hashSecret(token), org, admin, name, time.Now().UTC()).Error
	})
	if err != nil {
		return "", fmt.Errorf("library: create token: %w", err)
	}
	return token, nil
}

// TokenPrincipal resolves an API token.
func (s *Store) TokenPrincipal(ctx context.Context, token string) (*Principal, error) {
	var rows []struct {
		ID    string
		OrgID *string
		Admin bool
	}
	err := s.db.WithContext(ctx).Raw(`SELECT id, org_id, admin FROM api_tokens WHERE token_hash = ?`, hashSecret(token)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("library: token: %w", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("library: token: %w", ErrNotFound)
	}
	p := &Principal{TokenID: rows[0].ID, Admin: rows[0].Admin}
	if rows[0].OrgID != nil {
		p.OrgID = *rows[0].OrgID
	}
	return p, nil
}
