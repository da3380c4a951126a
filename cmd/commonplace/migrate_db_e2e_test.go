package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that makes the test's schema
)

// TestMigrateDBToPostgres copies a served SQLite node into PostgreSQL
// (COMMONPLACE_TEST_POSTGRES) with migrate-db; the node served from
// PostgreSQL answers the same searches; a second copy is refused.
func TestMigrateDBToPostgres(t *testing.T) {
	pg := os.Getenv("COMMONPLACE_TEST_POSTGRES")
	if pg == "" {
		t.Skip("COMMONPLACE_TEST_POSTGRES (a postgres:// URL) is not set")
	}
	data, addr := t.TempDir(), freeAddr(t)
	sqliteCLI(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside", "--country", "GB")
	token := lastLine(sqliteCLI(t, "token", "create", "--data", data, "--org", "riverside"))
	srv := startSQLiteServer(t, data, addr)
	waitIndexed(t, srv.base, fillNode(t, srv.base, token))
	before := answers(t, srv.base)
	srv.stop()

	to := postgresSchema(t, pg)
	out := sqliteCLI(t, "migrate-db", "--data", data, "--to", to)
	if !strings.Contains(out, "every table counts the same rows in PostgreSQL") || !strings.Contains(out, "Indexed 7 objects") {
		t.Errorf("migrate-db: %s", out)
	}
	cmd := exec.Command(binary, "migrate-db", "--data", data, "--to", to)
	cmd.Env = sqliteEnv()
	if res, err := cmd.CombinedOutput(); exitCode(err) != 1 || !strings.Contains(string(res), "the target database is not empty") {
		t.Errorf("a second migrate-db: %v %s", err, res)
	}
	srv = startSQLiteServer(t, data, addr, "--database-url", to)
	if after := answers(t, srv.base); !maps(before, after) {
		t.Errorf("search answers changed:\n SQLite     %v\n PostgreSQL %v", before, after)
	}
	// migrate-db moves the same node, its tokens too: the need only members see is listed
	if _, res := call(t, "GET", srv.base+"/api/v1/needs", token, ""); !strings.Contains(fmt.Sprint(res), "Recruiting in rural areas") {
		t.Errorf("the token does not work on PostgreSQL: %v", res)
	}
	if _, res := call(t, "GET", srv.base+"/api/v1/needs", "", ""); strings.Contains(fmt.Sprint(res), "Recruiting in rural areas") {
		t.Errorf("the network need is listed to anonymous: %v", res)
	}
}

// sqliteEnv is the environment without a database URL, so that the binary
// uses the SQLite database of --data whatever the suite runs on.
func sqliteEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "COMMONPLACE_DATABASE_URL=") {
			env = append(env, e)
		}
	}
	return env
}

func sqliteCLI(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = sqliteEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("commonplace %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// startSQLiteServer is startServer on the SQLite database of data (or on
// the --database-url among extra).
func startSQLiteServer(t *testing.T, data, addr string, extra ...string) *server {
	t.Helper()
	base := "http://" + addr
	s := &server{cmd: exec.Command(binary, append([]string{"serve", "--data", data, "--addr", addr, "--base-url", base}, extra...)...),
		base: base, out: &bytes.Buffer{}}
	s.cmd.Env = sqliteEnv()
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	waitFor(t, 30*time.Second, "serve healthy", func() bool {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil && res.StatusCode == http.StatusOK
	})
	return s
}

// postgresSchema makes a schema of the test's own in the database at raw
// and returns the URL that uses it; the schema is dropped at the end.
func postgresSchema(t *testing.T, raw string) string {
	t.Helper()
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("migrate_db_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`); admin.Close() })
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
