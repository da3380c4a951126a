package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/testdb"
	"github.com/citizen-network/commonplace/search"
)

// newSearchNode is a test node with its search index fed by the change log.
func newSearchNode(t *testing.T, opts ...search.Option) *testNode {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: dir, URL: testdb.URL(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		name  string
		steps []library.Migration
	}{{"library", library.Migrations}, {"events", library.EventMigrations},
		{"introductions", library.IntroductionMigrations}, {"search", search.Migrations}} {
		if err := library.Migrate(ctx, db, m.name, m.steps); err != nil {
			t.Fatal(err)
		}
	}
	n := &testNode{}
	var handler http.Handler
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	log := quietLogger()
	n.store = library.NewStore(db, library.Config{BaseURL: n.srv.URL}, log)
	svc, err := search.Open(ctx, filepath.Join(t.TempDir(), "index.bleve"), n.store, log, nil, opts...)
	if err != nil {
		t.Fatal(err)
	}
	svc.Subscribe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); n.store.RunSubscribers(ctx) }()
	handler = New(Config{BaseURL: n.srv.URL, Version: "test"}, n.store, log, WithSearch(svc)).Handler()
	t.Cleanup(func() { n.srv.Close(); cancel(); wg.Wait(); svc.Close(); n.store.Close() })
	return n
}

// settle waits until the index has seen every change.
func (n *testNode) settle(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := n.store.WaitSubscribers(ctx); err != nil {
		t.Fatal(err)
	}
}

// getJSON fetches an API path into v and returns the status.
func getJSON(t *testing.T, base, path string, v any) int {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil && res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode
}

// postListing creates a listing for the organisation with this handle.
func postListing(t *testing.T, n *testNode, kind library.ListingKind, handle, title, body string) *library.Listing {
	t.Helper()
	org, err := n.store.OrganizationByHandle(context.Background(), handle)
	if err != nil {
		t.Fatal(err)
	}
	formats := []string{"online"}
	l, err := n.store.CreateListing(context.Background(), kind, org.ID, library.ListingInput{Title: &title, Body: &body, Formats: &formats})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestSearchAPIContract(t *testing.T) {
	n := newSearchNode(t)
	newStaff(t, n, "alpha", "a@alpha.example")
	postListing(t, n, library.Offer, "alpha", "Values-based recruitment", "How we hire & keep support workers.")
	n.settle(t)
	var res map[string]any
	if status := getJSON(t, n.srv.URL, "/api/v1/search?q=recruitment&kind=offer", &res); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	hits := res["hits"].([]any)
	if res["total"].(float64) != 1 || len(hits) != 1 {
		t.Fatalf("result %v", res)
	}
	hit := hits[0].(map[string]any)
	for _, k := range []string{"kind", "id", "ap_id", "url", "title", "snippet", "org", "themes", "score"} {
		if _, ok := hit[k]; !ok {
			t.Errorf("hit lacks %q: %v", k, hit)
		}
	}
	org := hit["org"].(map[string]any)
	if org["handle"] != "alpha" || org["node"] == "" || org["name"] == "" {
		t.Errorf("org %v", org)
	}
	for _, f := range []string{"kind", "theme", "country", "lang"} {
		if _, ok := res["facets"].(map[string]any)[f]; !ok {
			t.Errorf("no facet %q", f)
		}
	}
	if status := getJSON(t, n.srv.URL, "/api/v1/search?kind=story-ish", nil); status != http.StatusUnprocessableEntity {
		t.Errorf("bad kind: %d", status)
	}
	b := newBrowser(t, n.srv.URL)
	status, page := b.get("/search?q=recruitment+workers")
	if status != http.StatusOK || !strings.Contains(page, "<mark>workers</mark>") || !strings.Contains(page, `href="/search?kind=offer&amp;q=recruitment&#43;workers"`) {
		t.Fatalf("search page %d:\n%s", status, page)
	}
}

var introID = regexp.MustCompile(`action="/introductions/([a-z0-9]+)/answer"`)

func TestMatchAndIntroduceOnOneNode(t *testing.T) {
	n := newSearchNode(t)
	alpha := newStaff(t, n, "alpha", "a@alpha.example")
	bravo := newStaff(t, n, "bravo", "b@bravo.example")
	need := postListing(t, n, library.Need, "alpha", "Starting individual service funds",
		"The council asked us to hold individual service funds. How do you keep the accounts and report on them?")
	offer := postListing(t, n, library.Offer, "bravo", "Running individual service funds",
		"We hold ISFs for 70 people: agreements, monthly statements, accounts and underspends.")
	n.settle(t)

	var ms struct {
		Matches []struct {
			Offer   search.ListingRef `json:"offer"`
			Score   float64           `json:"score"`
			Reasons []string          `json:"reasons"`
		} `json:"matches"`
	}
	if status := getJSON(t, n.srv.URL, "/api/v1/needs/"+need.ID+"/matches?limit=5", &ms); status != http.StatusOK || len(ms.Matches) == 0 {
		t.Fatalf("matches %d: %+v", status, ms)
	}
	if m := ms.Matches[0]; m.Offer.ID != offer.ID || m.Score <= 0 || m.Score > 1 || len(m.Reasons) == 0 {
		t.Fatalf("best match %+v", m)
	}
	if _, body := alpha.get("/dashboard"); !strings.Contains(body, "Running individual service funds") || !strings.Contains(body, "match ") {
		t.Fatalf("alpha's dashboard lacks the match:\n%s", body)
	}
	if status, feed := alpha.get("/orgs/alpha/matches.atom"); status != http.StatusOK || !strings.Contains(feed, "Running individual service funds") {
		t.Fatalf("feed %d:\n%s", status, feed)
	}

	// The need's owner may ask the offer's organisation; the offer's staff
	// may introduce their own offer, not put it under another's.
	if _, pg := alpha.get("/needs/" + need.ID + "/matches"); !strings.Contains(pg, "Ask Org bravo for an introduction") || strings.Contains(pg, "Introduce") {
		t.Errorf("the need owner's matches page:\n%s", pg)
	}
	if _, pg := bravo.get("/needs/" + need.ID + "/matches"); !strings.Contains(pg, "Introduce this offer of ours") || strings.Contains(pg, "Ask ") {
		t.Errorf("the offer's staff's matches page:\n%s", pg)
	}
	status, body, _ := bravo.submit("/needs/"+need.ID+"/matches", "/introductions",
		url.Values{"offer_id": {offer.ID}, "need_id": {need.ID}, "message": {"We can help."}})
	if status != http.StatusOK || !strings.Contains(body, "pending") {
		t.Fatalf("introduce: %d\n%s", status, body)
	}
	if status, body, _ := bravo.submit("/needs/"+need.ID+"/matches", "/introductions",
		url.Values{"offer_id": {offer.ID}, "need_id": {need.ID}}); status != http.StatusOK || !strings.Contains(body, "already introduced") {
		t.Fatalf("second introduction: %d, want the first one shown\n%s", status, body)
	}
	_, dash := alpha.get("/dashboard")
	m := introID.FindStringSubmatch(dash)
	if m == nil || !strings.Contains(dash, "We can help.") {
		t.Fatalf("alpha's dashboard lacks the introduction:\n%s", dash)
	}
	if status, _, _ := bravo.submit("/dashboard", "/introductions/"+m[1]+"/answer", url.Values{"decision": {"accept"}}); status != http.StatusForbidden {
		t.Fatalf("bravo answered its own introduction: %d", status)
	}
	if status, body, _ := alpha.submit("/dashboard", "/introductions/"+m[1]+"/answer", url.Values{"decision": {"accept"}}); status != http.StatusOK || !strings.Contains(body, "accepted") {
		t.Fatalf("accept: %d", status)
	}
	if _, body := bravo.get("/dashboard"); !strings.Contains(body, "accepted") || !strings.Contains(body, "/introductions/"+m[1]) {
		t.Fatalf("bravo's dashboard lacks the answer and the conversation:\n%s", body)
	}
	converse(t, n, alpha, bravo, m[1])
}

func TestContactChosenOnTheDashboard(t *testing.T) {
	n := newTestNode(t)
	alpha := newStaff(t, n, "alpha", "a@alpha.example")
	if status, body, _ := alpha.submit("/dashboard", "/dashboard/contact", url.Values{"contact_name": {"Ann Lee"}, "contact_email": {"ann@alpha.example"}}); status != http.StatusOK ||
		!strings.Contains(body, `value="ann@alpha.example"`) {
		t.Fatalf("contact: %d\n%s", status, body)
	}
	if status, _, _ := alpha.submit("/dashboard", "/dashboard/contact", url.Values{"contact_name": {"Ann"}, "contact_email": {"not an address"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("a bad e-mail: %d, want 422", status)
	}
	if _, page := newBrowser(t, n.srv.URL).get("/orgs/alpha"); strings.Contains(page, "ann@alpha.example") {
		t.Error("the contact is on the public page")
	}
	if status, _, body := query(t, http.DefaultClient, n.srv.URL, "/api/v1/orgs/alpha"); status != http.StatusOK || strings.Contains(body, "ann@alpha.example") {
		t.Errorf("the contact is in the public API: %d %s", status, body)
	}
}

// converse walks the conversation of an accepted introduction between the
// need's staff (alpha) and the offer's (bravo), in the pages (issue 12).
func converse(t *testing.T, n *testNode, alpha, bravo *browser, id string) {
	t.Helper()
	page := "/introductions/" + id
	if status, body, _ := bravo.submit(page, page+"/messages", url.Values{"body": {"Shall we meet on Tuesday?"}}); status != http.StatusOK || !strings.Contains(body, "Shall we meet on Tuesday?") {
		t.Fatalf("bravo writes: %d\n%s", status, body)
	}
	if status, body, _ := alpha.submit(page, page+"/messages", url.Values{"body": {"Tuesday suits us."}}); status != http.StatusOK ||
		!strings.Contains(body, "Shall we meet on Tuesday?") || !strings.Contains(body, "Tuesday suits us.") {
		t.Fatalf("alpha answers: %d\n%s", status, body)
	}
	if status, _, _ := alpha.submit(page, page+"/messages", url.Values{"body": {"  "}}); status != http.StatusUnprocessableEntity {
		t.Errorf("an empty message: %d, want 422", status)
	}
	charlie := newStaff(t, n, "charlie", "c@charlie.example")
	if status, _ := charlie.get(page); status != http.StatusForbidden {
		t.Errorf("a third organisation's staff read the conversation: %d, want 403", status)
	}
	if status, body, _ := alpha.submit(page, page+"/close", url.Values{"outcome": {"helped"}, "note": {"We set up our first ISF."}}); status != http.StatusOK ||
		!strings.Contains(body, "closed: <strong>it helped</strong>") || strings.Contains(body, page+"/messages") {
		t.Fatalf("close: %d\n%s", status, body)
	}
	if _, body := bravo.get(page); !strings.Contains(body, "We set up our first ISF.") {
		t.Errorf("bravo does not see the outcome:\n%s", body)
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
