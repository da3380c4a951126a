package library

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// TestPostgresSessionsRunInUTC: a URL's timezone made GORM's driver read the
// UTC in TIMESTAMP columns as that zone's wall clock (every time read back
// five hours off with timezone=America/Toronto: TestEventDocumentForMobilizon,
// TestExpiredLeftOut, TestQueueFigures failed so), so a zone other than UTC
// is refused, and UTC is asked for when none is given.
func TestPostgresSessionsRunInUTC(t *testing.T) {
	tests := []struct {
		name, url, want string
		refused         bool
	}{
		{"none", "postgres://u@h/db", "postgres://u@h/db?timezone=UTC", false},
		{"other parameters", "postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable&timezone=UTC", false},
		{"UTC kept", "postgres://u@h/db?TimeZone=UTC", "postgres://u@h/db?TimeZone=UTC", false},
		{"another zone", "postgres://u@h/db?sslmode=disable&timezone=America/Toronto", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := utcDSN(tc.url)
			if tc.refused {
				if err == nil || !strings.Contains(err.Error(), "timezone=America/Toronto") {
					t.Fatalf("got %q, %v; want an error naming the parameter", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
