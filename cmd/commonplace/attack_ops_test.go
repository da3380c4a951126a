package main

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library/testdb"
)

// getMetrics fetches /metrics with the given Authorization header.
func getMetrics(t *testing.T, base, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestAttackMetricsAnonymous: /metrics gives nothing to an anonymous client
// or an organisation's token, and the operations figures to the metrics
// token and to a coordinator's token (issue 18, item 13).
func TestAttackMetricsAnonymous(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	staff := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	admin := lastLine(cli(t, "token", "create", "--data", data, "--admin"))
	srv := startServer(t, data, addr, "--metrics-token", "prometheus-secret")
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"anonymous", "", http.StatusUnauthorized},
		{"guessed token", "Bearer prometheus", http.StatusUnauthorized},
		{"organisation token", "Bearer " + staff, http.StatusForbidden},
	} {
		status, body := getMetrics(t, srv.base, tc.auth)
		if status != tc.want || strings.Contains(body, "commonplace_http_requests_total") {
			t.Errorf("%s: %d, want %d without figures: %.200s", tc.name, status, tc.want, body)
		}
	}
	for _, auth := range []string{"Bearer prometheus-secret", "Bearer " + admin} {
		status, body := getMetrics(t, srv.base, auth)
		if status != http.StatusOK {
			t.Fatalf("%s: %d: %.200s", auth[:12], status, body)
		}
		for _, want := range []string{"commonplace_inbox_backlog 0", "commonplace_inbox_lag_seconds 0", "commonplace_index_documents 1",
			"commonplace_matches_computed_total", "commonplace_index_rebuild_total_objects", "commonplace_logins_refused_total",
			`commonplace_ops_scrape_errors{figure="queue"} 0`} {
			if !strings.Contains(body, want) {
				t.Errorf("no %q in the metrics", want)
			}
		}
	}
}

// TestAttackDatabaseFileMode: the data folder, which holds the actors'
// private keys in its database, is the node's user's only: a folder and a
// database made with looser modes are mended when the node starts.
func TestAttackDatabaseFileMode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	if testdb.Postgres() {
		t.Skip("the database file is SQLite's")
	}
	data, addr := filepath.Join(t.TempDir(), "data"), freeAddr(t)
	cli(t, "migrate", "--data", data)
	db := filepath.Join(data, "commonplace.db")
	for _, p := range []string{data, db} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	srv := startServer(t, data, addr)
	if status, _ := getMetrics(t, srv.base, ""); status != http.StatusUnauthorized {
		t.Errorf("anonymous /metrics: %d, want 401", status)
	}
	checks := map[string]fs.FileMode{data: 0o700, db: 0o600, db + "-wal": 0o600, db + "-shm": 0o600}
	for p, want := range checks {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %#o, want %#o", filepath.Base(p), got, want)
		}
	}
}

// TestAttackOpsJSONLog: with --log-format json every line the node writes
// is one JSON object, which a log collector can read.
func TestAttackOpsJSONLog(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	data, addr := t.TempDir(), freeAddr(t)
	srv := startServer(t, data, addr, "--log-format", "json")
	srv.stop()
	ready := false
	for _, line := range strings.Split(strings.TrimSpace(srv.out.String()), "\n") {
		if !strings.HasPrefix(line, "{") {
			if strings.Contains(line, "level=") {
				t.Errorf("a text log line: %q", line)
			}
			continue // the coordinator's set-up link, on standard output
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		if rec["msg"] == "node ready" && rec["addr"] == addr {
			ready = true
		}
	}
	if !ready {
		t.Errorf("no JSON 'node ready' line in:\n%s", srv.out)
	}
}
