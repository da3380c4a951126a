package library

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DBConfig says where the database is: SQLite in DataDir by default, or PostgreSQL at URL.
type DBConfig struct {
	DataDir string
	// URL, when it starts with postgres:// or postgresql://, selects PostgreSQL.
	URL string
}

// OpenDB opens the configured database. SQLite runs in WAL mode with a busy
// timeout and foreign keys, so that a CLI command and a running server can share it.
func OpenDB(ctx context.Context, cfg DBConfig) (*gorm.DB, error) {
	gcfg := &gorm.Config{Logger: logger.Discard, NowFunc: func() time.Time { return time.Now().UTC() }}
	if strings.HasPrefix(cfg.URL, "postgres://") || strings.HasPrefix(cfg.URL, "postgresql://") {
		db, err := gorm.Open(postgres.Open(cfg.URL), gcfg)
		if err != nil {
			return nil, fmt.Errorf("library: open postgres: %w", err)
		}
		return db, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("library: create data folder %s: %w", cfg.DataDir, err)
	}
	path := filepath.Join(cfg.DataDir, "commonplace.db")
	dsn := "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate"
	db, err := gorm.Open(sqlite.Open(dsn), gcfg)
	if err != nil {
		return nil, fmt.Errorf("library: open %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("library: open %s: %w", path, err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("library: open %s: %w", path, err)
	}
	return db, nil
}

// IsPostgres reports whether db talks to PostgreSQL; migrations use it where SQL differs.
func IsPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }
