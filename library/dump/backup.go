package dump

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Manifest describes a backup folder; it is written as backup.json beside the database.
type Manifest struct {
	Format    string           `json:"format"`
	CreatedAt time.Time        `json:"created_at"`
	Database  string           `json:"database"`
	Schema    map[string]int   `json:"schema"`
	Rows      map[string]int64 `json:"rows"`
	// Note says what a restore needs and what it rebuilds.
	Note string `json:"note"`
}

// BackupFormat names a backup's manifest.
const BackupFormat = "commonplace-backup"

// Backup writes a consistent copy of a SQLite node's database into dir, a
// new or empty folder, with SQLite's VACUUM INTO: a read transaction, safe
// while the node serves and writes, which never takes the write lock. The
// copy holds the actors' private keys, so dir is 0700 and the file 0600.
// It checks the copy (integrity_check) and counts its rows into the manifest.
func Backup(ctx context.Context, db *gorm.DB, schema []Component, dir string) (Manifest, error) {
	if library.IsPostgres(db) {
		return Manifest{}, errors.New("dump: backup copies a SQLite database; for PostgreSQL use pg_dump, or commonplace export")
	}
	if err := emptyFolder(dir); err != nil {
		return Manifest{}, fmt.Errorf("%w: give a new folder for each backup", err)
	}
	path := library.DBFile(dir)
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return Manifest{}, fmt.Errorf("dump: back up into %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return Manifest{}, fmt.Errorf("dump: back up into %s: %w", path, err)
	}
	m, err := describe(ctx, dir, schema)
	if err != nil {
		return Manifest{}, err
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "backup.json"), append(b, '\n'), 0o600); err != nil {
		return Manifest{}, fmt.Errorf("dump: write manifest: %w", err)
	}
	return m, nil
}

// emptyFolder makes dir (0700) or checks that it holds nothing.
func emptyFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dump: folder %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("dump: folder %s is not empty", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("dump: folder %s: %w", dir, err)
	}
	return os.Chmod(dir, 0o700)
}

// describe checks the copy in dir and counts its rows.
func describe(ctx context.Context, dir string, schema []Component) (Manifest, error) {
	db, err := library.OpenReadOnlyDB(ctx, library.DBConfig{DataDir: dir})
	if err != nil {
		return Manifest{}, err
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	var check string
	if err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		return Manifest{}, fmt.Errorf("dump: the copy in %s fails its integrity check (%q): %v", dir, check, err)
	}
	m := Manifest{Format: BackupFormat, CreatedAt: time.Now().UTC(), Database: "commonplace.db", Rows: map[string]int64{},
		Note: "restore: commonplace restore --from THIS_FOLDER --data NEW_DATA_FOLDER, or copy commonplace.db (mode 0600) into an empty data folder (mode 0700); then start the node, which rebuilds the search index from the database"}
	if m.Schema, err = library.AppliedMigrations(ctx, db); err != nil {
		return Manifest{}, err
	}
	tables, err := Tables(ctx, schema)
	if err != nil {
		return Manifest{}, err
	}
	for _, t := range tables {
		if db.Migrator().HasTable(t.Name) {
			if m.Rows[t.Name], err = count(db, t.Name); err != nil {
				return Manifest{}, err
			}
		}
	}
	return m, nil
}
