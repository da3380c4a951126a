package dump

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"

	"github.com/citizen-network/commonplace/library"
)

// Restore puts the backup in dir (see Backup) into dataDir, a new or empty
// data folder: it copies the database with the node's modes (folder 0700,
// file 0600), then checks the copy's integrity and that each table counts
// the rows of the backup's manifest. The node rebuilds its index at start.
func Restore(ctx context.Context, schema []Component, dir, dataDir string) (Manifest, error) {
	var want Manifest
	raw, err := os.ReadFile(filepath.Join(dir, "backup.json"))
	if err == nil {
		err = json.Unmarshal(raw, &want)
	}
	if err != nil || want.Format != BackupFormat {
		return Manifest{}, fmt.Errorf("dump: %s is not a Commonplace backup (backup.json: %v)", dir, err)
	}
	if err := emptyFolder(dataDir); err != nil {
		return Manifest{}, fmt.Errorf("%w: restore into a new data folder", err)
	}
	if err := copyFile(library.DBFile(dir), library.DBFile(dataDir)); err != nil {
		return Manifest{}, err
	}
	got, err := describe(ctx, dataDir, schema)
	if err != nil {
		return Manifest{}, err
	}
	if !maps.Equal(got.Rows, want.Rows) {
		return Manifest{}, fmt.Errorf("dump: the restored database counts %v rows, the backup's manifest %v", got.Rows, want.Rows)
	}
	return got, nil
}

// copyFile copies from into a new file to (0600), synced before it is named.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("dump: restore: %w", err)
	}
	defer src.Close()
	tmp := to + ".restoring"
	dst, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("dump: restore: %w", err)
	}
	_, err = io.Copy(dst, src)
	err = errors.Join(err, dst.Sync(), dst.Close())
	if err == nil {
		err = os.Rename(tmp, to)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("dump: restore into %s: %w", to, err)
	}
	return nil
}
