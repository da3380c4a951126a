package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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
		dsn, err := utcDSN(cfg.URL)
		if err != nil {
			return nil, err
		}
		db, err := gorm.Open(postgres.Open(dsn), gcfg)
		if err != nil {
			return nil, fmt.Errorf("library: open postgres: %w", err)
		}
		return db, nil
	}
	path := filepath.Join(cfg.DataDir, "commonplace.db")
	if err := secureDataDir(cfg.DataDir, path); err != nil {
		return nil, err
	}
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

// timeZoneParam finds a time zone in a PostgreSQL URL as GORM's driver does.
var timeZoneParam = regexp.MustCompile(`(time_zone|TimeZone|timezone)=(.*?)($|&| )`)

// utcDSN makes the sessions of a PostgreSQL URL run in UTC. The columns are
// TIMESTAMP holding UTC; given timezone=Area/City, GORM's driver reads them
// as that zone's wall clock, shifting every time by its offset, so any
// zone but UTC is refused, and UTC is added when none is given.
func utcDSN(u string) (string, error) {
	if m := timeZoneParam.FindStringSubmatch(u); m != nil {
		if m[2] != "UTC" && m[2] != "Etc/UTC" {
			return "", fmt.Errorf("library: database URL: %s=%s: the database keeps its times in UTC; remove the parameter or write %s=UTC", m[1], m[2], m[1])
		}
		return u, nil
	}
	if strings.Contains(u, "?") {
		return u + "&timezone=UTC", nil
	}
	return u + "?timezone=UTC", nil
}

// IsPostgres reports whether db talks to PostgreSQL; migrations use it where SQL differs.
func IsPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

// secureDataDir makes the data folder readable by the node's user only
// (0700) and the database with its -wal and -shm files 0600, creating
// them so, and mending the modes of a folder made before: the database
// holds the actors' private keys in plain text. SQLite gives the -wal and
// -shm files it creates the database file's mode.
func secureDataDir(dir, dbPath string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("library: create data folder %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("library: data folder %s: make it owned by the user running the node: %w", dir, err)
	}
	f, err := os.OpenFile(dbPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("library: create %s: %w", dbPath, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("library: create %s: %w", dbPath, err)
	}
	for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("library: %s: make it owned by the user running the node: %w", p, err)
		}
	}
	return nil
}
