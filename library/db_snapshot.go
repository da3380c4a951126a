package library

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DBFile is the SQLite database of a data folder.
func DBFile(dataDir string) string { return filepath.Join(dataDir, "commonplace.db") }

// OpenReadOnlyDB opens the configured database for reading a consistent copy
// of it (export, migrate-db) beside a running node. For SQLite it is a
// read-only connection whose transactions are deferred, so a reader never
// takes the write lock that OpenDB's immediate transactions take and the
// node keeps writing; a transaction on it sees one snapshot of the WAL. For
// PostgreSQL it is OpenDB: Snapshot asks for a repeatable-read transaction.
func OpenReadOnlyDB(ctx context.Context, cfg DBConfig) (*gorm.DB, error) {
	if strings.HasPrefix(cfg.URL, "postgres://") || strings.HasPrefix(cfg.URL, "postgresql://") {
		return OpenDB(ctx, cfg)
	}
	path := DBFile(cfg.DataDir)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("library: open %s: %w", path, err)
	}
	dsn := "file:" + path + "?mode=ro&_busy_timeout=10000&_txlock=deferred"
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Discard, NowFunc: func() time.Time { return time.Now().UTC() }})
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
