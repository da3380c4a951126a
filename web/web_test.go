package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/testdb"
)

// testNode is one node's web application over a real SQLite store.
type testNode struct {
	srv   *httptest.Server
	store *library.Store
}

func newTestNode(t testing.TB, opts ...Option) *testNode {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: dir, URL: testdb.URL(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	if err := library.Migrate(ctx, db, "library", library.Migrations); err != nil {
		t.Fatal(err)
	}
	if err := library.Migrate(ctx, db, "introductions", library.IntroductionMigrations); err != nil {
		t.Fatal(err)
	}
	if err := library.Migrate(ctx, db, "events", library.EventMigrations); err != nil {
		t.Fatal(err)
	}
	n := &testNode{}
	var handler http.Handler
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n.store = library.NewStore(db, library.Config{BaseURL: n.srv.URL}, log)
	handler = New(Config{BaseURL: n.srv.URL, Version: "test"}, n.store, log, opts...).Handler()
	t.Cleanup(func() { n.srv.Close(); n.store.Close() })
	return n
}

// browser is a person with a cookie jar, filling in forms.
type browser struct {
	t      testing.TB
	client *http.Client
	base   string
}

func newBrowser(t testing.TB, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, client: &http.Client{Jar: jar}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get fetches a page and returns its status and body.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	res, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// submit loads the page with the form, then posts the fields with its CSRF token.
func (b *browser) submit(formPage, action string, fields url.Values) (int, string, *http.Response) {
	b.t.Helper()
	_, page := b.get(formPage)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF field on %s", formPage)
	}
	fields.Set("_csrf", m[1])
	res, err := b.client.PostForm(b.base+action, fields)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res
}

// newStaff creates an organisation and an editor with a password, via the setup link.
func newStaff(t testing.TB, n *testNode, handle, email string) *browser {
	t.Helper()
	ctx := context.Background()
	org, err := n.store.CreateOrganization(ctx, library.OrganizationInput{Handle: handle, Name: "Org " + handle, Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := n.store.CreateAccount(ctx, email, library.RoleEditor, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, n.srv.URL)
	status, _, _ := b.submit("/setup/"+token, "/setup/"+token, url.Values{"password": {"correct horse battery"}, "confirm": {"correct horse battery"}})
	if status != http.StatusOK {
		t.Fatalf("setup: %d", status)
	}
	return b
}

func TestFormsPostEditDelete(t *testing.T) {
	n := newTestNode(t)
	newStaff(t, n, "riverside", "sam@riverside.example")
	b := newBrowser(t, n.srv.URL)
	if status, _, _ := b.submit("/login", "/login", url.Values{"email": {"sam@riverside.example"}, "password": {"wrong password"}}); status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", status)
	}
	if status, body, _ := b.submit("/login", "/login", url.Values{"email": {"sam@riverside.example"}, "password": {"correct horse battery"}}); status != http.StatusOK || !strings.Contains(body, "Dashboard") {
		t.Fatalf("login: %d", status)
	}
	for _, kind := range []string{"offers", "needs"} {
		t.Run(kind, func(t *testing.T) {
			status, body, res := b.submit("/"+kind+"/new", "/"+kind, url.Values{
				"title": {"Matching staff to the person"}, "body": {"How we recruit support workers *with* the person."},
				"languages": {"en, fr"}, "countries": {"GB"}, "formats": {"online", "mentoring"}, "status": {"open"}, "visibility": {"public"},
			})
			if status != http.StatusOK || !strings.Contains(body, "<em>with</em>") || !strings.Contains(body, "Personnel") {
				t.Fatalf("post: %d\n%s", status, body)
			}
			page := res.Request.URL.Path
			status, body, _ = b.submit(page+"/edit", page, url.Values{"title": {"Matching staff, revised"}, "status": {"closed"}, "visibility": {"local"}, "languages": {"en"}})
			if status != http.StatusOK || !strings.Contains(body, "Matching staff, revised") || !strings.Contains(body, "closed") {
				t.Fatalf("edit: %d", status)
			}
			status, body, _ = b.submit(page+"/edit", page, url.Values{"title": {""}, "languages": {"en"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, "title: is required") {
				t.Fatalf("bad edit: %d", status)
			}
			if status, _, _ = b.submit(page, page+"/delete", url.Values{}); status != http.StatusOK {
				t.Fatalf("delete: %d", status)
			}
			if status, _ := b.get(page); status != http.StatusGone {
				t.Fatalf("after delete: %d", status)
			}
		})
	}
}

func TestFormsRefuseMissingCSRFAndOtherOrgs(t *testing.T) {
	n := newTestNode(t)
	owner := newStaff(t, n, "riverside", "sam@riverside.example")
	other := newStaff(t, n, "hillside", "kim@hillside.example")
	_, _, res := owner.submit("/offers/new", "/offers", url.Values{"title": {"Risk enablement"}, "languages": {"en"}})
	page := res.Request.URL.Path
	if status, _, _ := other.submit("/dashboard", page+"/delete", url.Values{}); status != http.StatusForbidden {
		t.Fatalf("another organisation deleted it: %d", status)
	}
	res2, err := owner.client.PostForm(n.srv.URL+page+"/delete", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusForbidden {
		t.Fatalf("delete without CSRF token: %d", res2.StatusCode)
	}
	if status, _ := owner.get(page); status != http.StatusOK {
		t.Fatalf("the offer is gone: %d", status)
	}
}

func TestPagesRender(t *testing.T) {
	n := newTestNode(t)
	newStaff(t, n, "riverside", "sam@riverside.example")
	b := newBrowser(t, n.srv.URL)
	for _, p := range []string{"/", "/offers", "/needs", "/orgs", "/orgs/riverside", "/themes", "/themes/housing", "/login"} {
		status, body := b.get(p)
		if status != http.StatusOK || !strings.Contains(body, `<main id="main"`) || strings.Count(body, "<h1") != 1 {
			t.Errorf("%s: %d, one <h1> expected", p, status)
		}
		for _, m := range regexp.MustCompile(`<input id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			if !strings.Contains(body, `for="`+m[1]+`"`) {
				t.Errorf("%s: input %s has no label", p, m[1])
			}
		}
	}
	if status, _ := b.get("/orgs/nobody"); status != http.StatusNotFound {
		t.Errorf("unknown org: %d", status)
	}
	if status, _ := b.get("/dashboard"); status != http.StatusOK {
		t.Errorf("dashboard without login should land on the login page: %d", status)
	}
}

// TestRolesInWordsAndTheCoordinatorsMenu (issue 12): the staff list names
// roles in words, and a coordinator without an organisation is not offered a
// "Dashboard" that only leads to the coordinator's page.
func TestRolesInWordsAndTheCoordinatorsMenu(t *testing.T) {
	n := newTestNode(t)
	ctx := context.Background()
	org, err := n.store.CreateOrganization(ctx, library.OrganizationInput{Handle: "riverside", Name: "Riverside", Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	login := func(email string, role library.Role, orgID string) *browser {
		_, token, err := n.store.CreateAccount(ctx, email, role, orgID)
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, n.srv.URL)
		if status, _, _ := b.submit("/setup/"+token, "/setup/"+token, url.Values{"password": {"correct horse battery"}, "confirm": {"correct horse battery"}}); status != http.StatusOK {
			t.Fatalf("setup %s: %d", email, status)
		}
		return b
	}
	admin := login("admin@riverside.example", library.RoleOrgAdmin, org.ID)
	if _, page := admin.get("/dashboard"); !strings.Contains(page, "manages the organisation") || strings.Contains(page, ">org_admin<") {
		t.Errorf("the staff list shows the role as a raw value:\n%s", page)
	}
	coord := login("coord@node.example", library.RoleCoordinator, "")
	if _, page := coord.get("/admin"); strings.Contains(page, `href="/dashboard"`) || !strings.Contains(page, `href="/admin"`) {
		t.Errorf("the coordinator's menu:\n%s", page)
	}
}

// TestContentInAnotherLanguageIsMarked (issue 12): a French need's title and
// text carry lang="fr" on the English page, in the list and on its own page.
func TestContentInAnotherLanguageIsMarked(t *testing.T) {
	n := newTestNode(t)
	ctx := context.Background()
	org, err := n.store.CreateOrganization(ctx, library.OrganizationInput{Handle: "lyon", Name: "Lyon", Country: "FR"})
	if err != nil {
		t.Fatal(err)
	}
	title, body, langs := "Apprendre les budgets personnels", "Nous voulons apprendre.", []string{"fr"}
	need, err := n.store.CreateListing(ctx, library.Need, org.ID, library.ListingInput{Title: &title, Body: &body, Languages: &langs})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, n.srv.URL)
	if _, page := b.get("/needs/" + need.ID); !strings.Contains(page, `<h1 lang="fr">`) || !strings.Contains(page, `<div class="body" lang="fr">`) {
		t.Errorf("the need's page does not mark its French:\n%s", page)
	}
	if _, page := b.get("/needs"); !strings.Contains(page, `<h3 lang="fr">`) {
		t.Errorf("the list does not mark the French title:\n%s", page)
	}
}

// TestWaitingCounted (issue 12): what waits for an organisation — an
// introduction to answer — is counted at the top of its dashboard and in
// the menu of every page.
func TestWaitingCounted(t *testing.T) {
	n := newTestNode(t)
	alpha := newStaff(t, n, "alpha", "a@alpha.example")
	newStaff(t, n, "bravo", "b@bravo.example")
	ctx := context.Background()
	need := postListing(t, n, library.Need, "alpha", "Starting individual service funds", "How do you keep the accounts?")
	offer := postListing(t, n, library.Offer, "bravo", "Running individual service funds", "We hold ISFs for 70 people.")
	if _, page := alpha.get("/events"); strings.Contains(page, `class="badge"`) {
		t.Errorf("a badge with nothing waiting:\n%s", page)
	}
	if _, err := n.store.CreateIntroduction(ctx, offer.OrgID, library.IntroductionInput{OfferID: offer.ID, NeedID: need.ID}); err != nil {
		t.Fatal(err)
	}
	if _, page := alpha.get("/dashboard"); !strings.Contains(page, "1 introduction to answer") {
		t.Errorf("the dashboard does not count the introduction:\n%s", page)
	}
	if _, page := alpha.get("/events"); !strings.Contains(page, `Dashboard <span class="badge">1<span class="visually-hidden"> waiting</span>`) {
		t.Errorf("the menu does not count it:\n%s", page)
	}
}
