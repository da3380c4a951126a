// Package testdb gives each test a database of its own: SQLite in the test's
// folder, or, when COMMONPLACE_TEST_POSTGRES holds a postgres:// URL, a fresh
// PostgreSQL schema of that database, dropped when the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver of the admin connection
)

// EnvVar names the PostgreSQL database the tests use when it is set.
const EnvVar = "COMMONPLACE_TEST_POSTGRES"

var (
	mu      sync.Mutex
	admin   *sql.DB
	schemas = map[string]string{} // data folder → database URL
)

// Postgres reports whether the tests run on PostgreSQL: EnvVar is set.
func Postgres() bool { return os.Getenv(EnvVar) != "" }

// URL is the database URL of the node whose data folder is dir: "" for
// SQLite in dir, or a PostgreSQL URL whose search_path is a schema made for
// dir. The same dir gives the same schema, so a test can reopen its store;
// the schema is dropped when t ends, after the cleanups registered later
// (which close the stores).
func URL(t testing.TB, dir string) string {
	t.Helper()
	if !Postgres() {
		return ""
	}
	mu.Lock()
	defer mu.Unlock()
	if u, ok := schemas[dir]; ok {
		return u
	}
	if raw := os.Getenv(EnvVar); !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		// Not SQLite in silence: the run was meant for PostgreSQL.
		t.Fatalf("testdb: %s must be a postgres:// URL, not %q", EnvVar, raw)
	}
	db, err := adminDB()
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	name := newSchemaName()
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	u, err := withSearchPath(os.Getenv(EnvVar), name)
	if err != nil {
		t.Fatalf("testdb: %s: %v", EnvVar, err)
	}
	schemas[dir] = u
	t.Cleanup(func() {
		mu.Lock()
		delete(schemas, dir)
		mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// A connection the test's node has not quite let go of can make the
		// drop a deadlock victim (40P01): PostgreSQL aborts the drop, not the
		// other side, so it is tried again after a moment.
		var err error
		for try := 0; try < 10; try++ {
			if _, err = db.ExecContext(ctx, `DROP SCHEMA `+name+` CASCADE`); err == nil || !strings.Contains(err.Error(), "40P01") {
				break
			}
			time.Sleep(time.Duration(try+1) * 100 * time.Millisecond)
		}
		if err != nil {
			t.Errorf("testdb: drop schema %s: %v", name, err)
		}
	})
	return u
}

// Schema makes a PostgreSQL schema that outlives any one test, for data
// that several benchmarks of a process share; drop removes it (call it once
// they are done, from TestMain). On SQLite it returns "" and a drop that does
// nothing.
func Schema() (u string, drop func() error, err error) {
	if !Postgres() {
		return "", func() error { return nil }, nil
	}
	mu.Lock()
	db, err := adminDB()
	mu.Unlock()
	if err != nil {
		return "", nil, err
	}
	name := newSchemaName()
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		return "", nil, err
	}
	if u, err = withSearchPath(os.Getenv(EnvVar), name); err != nil {
		return "", nil, err
	}
	return u, func() error {
		_, err := db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
		return err
	}, nil
}

// Known is the URL already given for dir, or "" (also when on SQLite).
func Known(dir string) string {
	mu.Lock()
	defer mu.Unlock()
	return schemas[dir]
}

// adminDB is the connection that creates and drops schemas; mu is held.
func adminDB() (*sql.DB, error) {
	if admin != nil {
		return admin, nil
	}
	db, err := sql.Open("pgx", os.Getenv(EnvVar))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	admin = db
	return db, nil
}

// newSchemaName is a random, valid, lowercase identifier.
func newSchemaName() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "test_" + hex.EncodeToString(b)
}

// withSearchPath adds search_path to the URL's query, which pgx sends as a
// run-time parameter of every connection. The other parameters are kept as
// written: GORM reads timezone=Area/City unescaped.
func withSearchPath(raw, schema string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	var kept []string
	for _, p := range strings.Split(u.RawQuery, "&") {
		if p != "" && !strings.HasPrefix(p, "search_path=") {
			kept = append(kept, p)
		}
	}
	u.RawQuery = strings.Join(append(kept, "search_path="+schema), "&")
	return u.String(), nil
}
