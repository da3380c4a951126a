package library

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestDataFileModes checks that the database, which holds the actors'
// private keys, and its folder are readable by the node's user only: when
// they are created, and when a node starts on a folder made with looser modes.
func TestDataFileModes(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
	}{
		{"new folder", func(t *testing.T, dir string) {}},
		{"existing, too open", func(t *testing.T, dir string) {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			first, err := OpenDB(context.Background(), DBConfig{DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if err := first.Exec(`CREATE TABLE t (x)`).Error; err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := first.DB()
			sqlDB.Close()
			for _, p := range []string{dir, filepath.Join(dir, "commonplace.db")} {
				if err := os.Chmod(p, 0o755); err != nil {
					t.Fatal(err)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			tc.prepare(t, dir)
			db, err := OpenDB(context.Background(), DBConfig{DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { sqlDB.Close() })
			// A write makes SQLite create the -wal and -shm files.
			if err := db.Exec(`CREATE TABLE IF NOT EXISTS w (x); INSERT INTO w VALUES (1)`).Error; err != nil {
				t.Fatal(err)
			}
			wantMode(t, dir, 0o700)
			for _, f := range []string{"commonplace.db", "commonplace.db-wal", "commonplace.db-shm"} {
				wantMode(t, filepath.Join(dir, f), 0o600)
			}
		})
	}
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s: mode %#o, want %#o", filepath.Base(path), got, want)
	}
}
