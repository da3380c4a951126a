package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// moveQueries are the searches whose answers must not change when a node's data moves.
var moveQueries = []string{"direct payments", "personal assistants", "recruiting", "budget planning", "kind=event", "kind=story"}

// answers are the ids of each query's hits, in order, with the total.
func answers(t *testing.T, base string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, q := range moveQueries {
		query := "q=" + url.QueryEscape(q)
		if strings.Contains(q, "=") {
			query = q
		}
		_, res := call(t, "GET", base+"/api/v1/search?"+query, "", "")
		hits, _ := res["hits"].([]any)
		var ids []string
		for _, h := range hits {
			m, _ := h.(map[string]any)
			ids = append(ids, fmt.Sprint(m["id"], " ", m["title"]))
		}
		out[q] = fmt.Sprintf("%v %s", res["total"], strings.Join(ids, ", "))
	}
	return out
}

// waitIndexed waits until the node's search counts n objects.
func waitIndexed(t *testing.T, base string, n int) {
	t.Helper()
	waitFor(t, 30*time.Second, fmt.Sprintf("%d objects in the index", n), func() bool {
		_, res := call(t, "GET", base+"/api/v1/search", "", "")
		return res["total"] == float64(n)
	})
}

// fillNode posts offers, needs, a story and an event with the organisation's
// token; it returns how many of them anonymous searches find then: all but
// the need seen by the network only, with the organisation.
func fillNode(t *testing.T, base, token string) int {
	t.Helper()
	posts := []struct{ path, body string }{
		{"offers", `{"title": "Direct payments, step by step", "body": "We help people plan a budget and employ personal assistants.", "visibility": "public"}`},
		{"offers", `{"title": "Recruiting personal assistants", "body": "Adverts, interviews with the person, references.", "visibility": "public"}`},
		{"needs", `{"title": "Budget planning for direct payments", "body": "The council asked us to hold budgets. How do you plan them?", "visibility": "public"}`},
		{"needs", `{"title": "Recruiting in rural areas", "body": "Nobody answers our adverts for personal assistants.", "visibility": "network"}`},
		{"stories", `{"title": "A year with a personal budget", "body": "We began with one person and a budget plan; the assistants came later.", "countries": ["GB"]}`},
		{"events", fmt.Sprintf(`{"title": "Recruiting with the person", "start": %q, "end": %q, "timezone": "Europe/London", "online_url": "https://meet.example/r"}`,
			time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339), time.Now().Add(49*time.Hour).UTC().Format(time.RFC3339))},
	}
	for _, p := range posts {
		if status, res := call(t, "POST", base+"/api/v1/"+p.path, token, p.body); status != http.StatusCreated {
			t.Fatalf("post %s: %d %v", p.path, status, res)
		}
	}
	return len(posts)
}

// fetchActivity fetches an ActivityPub document of the node.
func fetchActivity(t *testing.T, u string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, raw)
	}
	return out
}

// TestExportImportMovesANode is acceptance 3 of issue 15 for export and
// import: a node with offers, needs, a story, an event and a peer that
// follows it is exported while it serves; the export is imported into a new
// data folder, served at the same address, and answers the same searches,
// with the same actor key and followers; no password, session or token
// came along, and a second import into it is refused.
func TestExportImportMovesANode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes")
	}
	a, b := startFedNode(t, "riverside"), startFedNode(t, "lochside")
	if status, res := call(t, "POST", a.srv.base+"/api/v1/admin/peers", a.admin, `{"url": "`+b.srv.base+`"}`); status != http.StatusAccepted {
		t.Fatalf("peer: %d %v", status, res)
	}
	followers := func(base string) any { return fetchActivity(t, base+"/actor/followers")["totalItems"] }
	waitFor(t, 30*time.Second, "b following a", func() bool { return followers(a.srv.base) == float64(1) })
	waitIndexed(t, a.srv.base, fillNode(t, a.srv.base, a.orgToken))
	before, key := answers(t, a.srv.base), fetchActivity(t, a.srv.base+"/orgs/riverside")["publicKey"]
	if !strings.HasPrefix(before["direct payments"], "2 ") || key == nil {
		t.Fatalf("the node does not answer as expected: %v, key %v", before, key)
	}

	file := filepath.Join(t.TempDir(), "riverside.jsonl.gz")
	out := cli(t, "export", "--data", a.data, "--out", file)
	if !strings.Contains(out, "Left behind: sessions, one_time_tokens, api_tokens, calendar_tokens") {
		t.Errorf("export: %s", out)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the export file: %v %v", info.Mode(), err)
	}
	if out, err := runBinary("export", "--data", a.data, "--out", file); err == nil || !strings.Contains(out, "the file exists") {
		t.Errorf("export over an existing file: %v %s", err, out)
	}
	a.srv.stop()

	moved := t.TempDir()
	out = cli(t, "import", "--data", moved, "--base-url", a.srv.base, file)
	if !strings.Contains(out, "accounts have no password here") || !strings.Contains(out, "Indexed 7 objects") {
		t.Errorf("import: %s", out)
	}
	out, err := runBinary("import", "--data", moved, file)
	if code := exitCode(err); code != 1 || !strings.Contains(out, "the target database is not empty (organizations has 1 rows") {
		t.Errorf("a second import: exit %d, %s", code, out)
	}
	srv := startServer(t, moved, a.addr, "--insecure-local-federation")
	if after := answers(t, srv.base); !maps(before, after) {
		t.Errorf("search answers changed:\n before %v\n after  %v", before, after)
	}
	if got := fetchActivity(t, srv.base+"/orgs/riverside")["publicKey"]; fmt.Sprint(got) != fmt.Sprint(key) {
		t.Errorf("the actor's key changed:\n before %v\n after  %v", key, got)
	}
	if n := followers(srv.base); n != float64(1) {
		t.Errorf("followers after the move: %v", n)
	}
	if status, _ := call(t, "GET", srv.base+"/api/v1/needs", a.orgToken, ""); status != http.StatusUnauthorized {
		t.Errorf("the old API token still works after the move: %d", status)
	}
	link := lastLine(cli(t, "account", "password-link", "--data", moved, "--base-url", srv.base, "--email", "coordinator@127.0.0.1"))
	if !strings.HasPrefix(link, srv.base+"/setup/") {
		t.Errorf("password link: %s", link)
	}
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
