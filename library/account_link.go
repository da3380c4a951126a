package library

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// PasswordLink issues a one-time token with which the account of email sets
// a new password (at /setup/TOKEN), as an invitation does: after an import,
// which leaves password hashes behind, or for someone who forgot theirs.
func (s *Store) PasswordLink(ctx context.Context, email string) (string, error) {
	var a Account
	err := s.db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fmt.Errorf("library: password link for %s: %w", email, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("library: password link for %s: %w", email, err)
	}
	token := newSecret()
	err = s.write(ctx, func(tx *gorm.DB) error { return insertOneTimeToken(tx, token, a.ID, "set_password", 7*24*time.Hour) })
	if err != nil {
		return "", fmt.Errorf("library: password link for %s: %w", email, err)
	}
	return token, nil
}
