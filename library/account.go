package library

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role is what an account may do.
type Role string

// The roles of staff accounts.
const (
	// RoleCoordinator administers the node: organisations, peers, moderation.
	RoleCoordinator Role = "coordinator"
	// RoleOrgAdmin manages one organisation and invites its staff.
	RoleOrgAdmin Role = "org_admin"
	// RoleEditor posts and edits the organisation's offers, needs, stories and events.
	RoleEditor Role = "editor"
)

// Label is the role in words, as staff read it.
func (r Role) Label() string {
	switch r {
	case RoleCoordinator:
		return "coordinator of the node"
	case RoleOrgAdmin:
		return "manages the organisation"
	case RoleEditor:
		return "editor"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleCoordinator || r == RoleOrgAdmin || r == RoleEditor }

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Account is a person who logs in: a coordinator, or staff of one organisation.
type Account struct {
	ID           string     `gorm:"primaryKey" json:"id"`
	Email        string     `json:"email"`
	PasswordHash string     `json:"-"`
	Role         Role       `json:"role"`
	OrgID        *string    `json:"org_id"`
	CreatedAt    time.Time  `json:"created_at"`
	LastLoginAt  *time.Time `json:"last_login_at"`
}

// CanEdit reports whether the account may change objects of the organisation.
func (a *Account) CanEdit(orgID string) bool {
	return a.Role == RoleCoordinator || (a.OrgID != nil && *a.OrgID == orgID)
}

// CanManage reports whether the account may invite staff to the organisation.
func (a *Account) CanManage(orgID string) bool {
	return a.Role == RoleCoordinator || (a.Role == RoleOrgAdmin && a.OrgID != nil && *a.OrgID == orgID)
}

// CreateAccount adds an account without a password; the returned one-time link
// token lets its owner choose one.
func (s *Store) CreateAccount(ctx context.Context, email string, role Role, orgID string) (*Account, string, error) {
	addr, err := mail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Name != "" {
		return nil, "", Invalid("email", "is not an e-mail address")
	}
	if !role.Valid() {
		return nil, "", Invalid("role", "must be coordinator, org_admin or editor")
	}
	a := &Account{ID: NewID(), Email: strings.ToLower(addr.Address), Role: role, CreatedAt: time.Now().UTC()}
	if role != RoleCoordinator {
		if orgID == "" {
			return nil, "", Invalid("org", "is required for staff of an organisation")
		}
		a.OrgID = &orgID
	}
	token := newSecret()
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Account{}).Where("email = ?", a.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: an account with e-mail %s exists", ErrConflict, a.Email)
		}
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		return insertOneTimeToken(tx, token, a.ID, "set_password", 7*24*time.Hour)
	})
	if err != nil {
		return nil, "", fmt.Errorf("library: create account: %w", err)
	}
	return a, token, nil
}

func insertOneTimeToken(tx *gorm.DB, token, accountID, purpose string, ttl time.Duration) error {
	return tx.Exec(`INSERT INTO one_time_tokens (token_hash, account_id, purpose, expires_at) VALUES (?, ?, ?, ?)`,
		hashSecret(token), accountID, purpose, time.Now().UTC().Add(ttl)).Error
}

// EnsureCoordinator creates the first coordinator on an empty node. It returns
// the one-time token for setting the password, or "" when a coordinator exists.
func (s *Store) EnsureCoordinator(ctx context.Context, email string) (string, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Account{}).Where("role = ?", RoleCoordinator).Count(&n).Error; err != nil {
		return "", fmt.Errorf("library: count coordinators: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	_, token, err := s.CreateAccount(ctx, email, RoleCoordinator, "")
	return token, err
}

// SetupAccount returns the account a one-time token was issued for, if the token is still good.
func (s *Store) SetupAccount(ctx context.Context, token string) (*Account, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`SELECT account_id FROM one_time_tokens
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hashSecret(token), time.Now().UTC()).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("library: setup token: %w", err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("library: setup token: %w", ErrNotFound)
	}
	return s.Account(ctx, ids[0])
}

// RedeemSetupToken sets the account's password and spends the token.
func (s *Store) RedeemSetupToken(ctx context.Context, token, password string) (*Account, error) {
	a, err := s.SetupAccount(ctx, token)
	if err != nil {
		return nil, err
	}
	if len([]rune(password)) < MinPasswordLength {
		return nil, Invalid("password", "must be at least %d characters", MinPasswordLength)
	}
	hash, err := s.pw.create(ctx, password)
	if err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE one_time_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, time.Now().UTC(), hashSecret(token))
		if res.Error != nil || res.RowsAffected == 0 {
			return errors.Join(res.Error, ErrNotFound)
		}
		return tx.Model(a).Update("password_hash", hash).Error
	})
	if err != nil {
		return nil, fmt.Errorf("library: set password: %w", err)
	}
	return a, nil
}

// Authenticate checks an e-mail and password; any failure is ErrNotFound, so
// a caller cannot tell which of the two was wrong. An unknown e-mail costs the
// same hash as a known one, so the time taken does not tell either. ErrBusy
// means too many checks are running; nothing was checked.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*Account, error) {
	var a Account
	err := s.db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&a).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: log in: %w", err)
	}
	ok, err := s.pw.check(ctx, password, a.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("library: log in: %w", ErrNotFound)
	}
	now := time.Now().UTC()
	a.LastLoginAt = &now
	s.db.WithContext(ctx).Model(&a).Update("last_login_at", now)
	return &a, nil
}

// Account returns an account by id.
func (s *Store) Account(ctx context.Context, id string) (*Account, error) {
	var a Account
	err := s.db.WithContext(ctx).Where("id = ?", id).First(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: account %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library: account %s: %w", id, err)
	}
	return &a, nil
}

// Accounts lists the staff of an organisation ("" lists the coordinators).
func (s *Store) Accounts(ctx context.Context, orgID string) ([]Account, error) {
	tx := s.db.WithContext(ctx).Order("created_at")
	if orgID == "" {
		tx = tx.Where("org_id IS NULL")
	} else {
		tx = tx.Where("org_id = ?", orgID)
	}
	var out []Account
	if err := tx.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("library: accounts: %w", err)
	}
	return out, nil
}
