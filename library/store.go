// Package library is the domain of Commonplace and its store: organisations,
// accounts, offers and needs, stories, events and the remote copies of them,
// with their validation and a durable change log that search and federation
// subscribe to.
package library

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library/anonymise"
)

// Config is what the store needs to know about its node.
type Config struct {
	// BaseURL is the node's public URL without a trailing slash; IRIs are built from it.
	BaseURL string
	// DefaultLanguage is given to offers and needs posted without languages.
	DefaultLanguage string
	// PasswordHashes is how many password hashes may run at once (64 MiB
	// each); 0 means one.
	PasswordHashes int
	// PasswordWait is how long a password check waits for a free slot before
	// ErrBusy; 0 means 5 seconds.
	PasswordWait time.Duration
}

// Store handles all reads and writes of the domain.
type Store struct {
	db   *gorm.DB
	cfg  Config
	log  *slog.Logger
	feed *changeFeed
	pw   *passwords

	anonOnce sync.Once
	anon     *anonymise.Anonymiser
}

// NewStore returns a store over an opened, migrated database.
func NewStore(db *gorm.DB, cfg Config, log *slog.Logger) *Store {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.DefaultLanguage == "" {
		cfg.DefaultLanguage = "en"
	}
	// Set returns a non-cloning instance whose Statement every query would share
	// (a data race across goroutines); Session makes each query clone it.
	return &Store{db: db.Set(baseURLSetting, cfg.BaseURL).Session(&gorm.Session{}), cfg: cfg, log: log, feed: newChangeFeed(),
		pw: newPasswords(cfg.PasswordHashes, cfg.PasswordWait)}
}

// DB is the underlying database, for packages that own tables of their own.
func (s *Store) DB() *gorm.DB { return s.db }

// BaseURL is the node's public URL.
func (s *Store) BaseURL() string { return s.cfg.BaseURL }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("library: ping: %w", err)
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// write runs fn in a transaction and wakes the subscribers once it committed.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if err := s.db.WithContext(ctx).Transaction(fn); err != nil {
		return err
	}
	s.notify()
	return nil
}

// Setting reads a node setting; ok is false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	var vals []string
	if err := s.db.WithContext(ctx).Raw(`SELECT value FROM settings WHERE key = ?`, key).Scan(&vals).Error; err != nil {
		return "", false, fmt.Errorf("library: setting %s: %w", key, err)
	}
	if len(vals) == 0 {
		return "", false, nil
	}
	return vals[0], true, nil
}

// SetSetting writes a node setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value).Error
	if err != nil {
		return fmt.Errorf("library: set setting %s: %w", key, err)
	}
	return nil
}
