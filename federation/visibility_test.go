package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// visObject is one object of the walk: a kind posted with a visibility, and
// the one word of its title that finds it.
type visObject struct {
	kind, plural, vis string
	id, apID, word    string
}

// visViewer is who walks the surfaces: how its requests are dressed, which
// classes of surface it walks, and the visibilities it must be shown.
type visViewer struct {
	name    string
	classes []string // "html", "api", "ap" (ActivityPub on a), "peer" (b's copies)
	dress   func(r *http.Request)
	sees    []string
}

// visSurface is one place an object can show: shown reads the answer for
// one object and viewer (a surface that does not hold that kind is skipped).
type visSurface struct {
	name, class string
	kinds       []string // nil: every kind
	shown       func(t *testing.T, o visObject, v visViewer) bool
}

// TestVisibilityOnEverySurface is item 12 of issue 18: one object of each
// kind in each visibility, walked through every surface by each kind of
// viewer. Anonymous visitors see public objects only; this node's members
// (by session or token) see all; an unsigned ActivityPub fetch sees public
// ones, a fetch signed by a peer's instance actor network ones too, and
// local ones never leave; a peer's own visitors see its copies by the same
// rule. A hidden object answers 404, as one that does not exist.
func TestVisibilityOnEverySurface(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	ctx := context.Background()
	_, owner := a.orgToken("riverside")
	other, otherToken := a.orgToken("hillside")
	acct, _, err := a.store.CreateAccount(ctx, "sam@hillside.example", library.RoleEditor, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	session, err := a.store.CreateSession(ctx, acct.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	bOrg, bToken := b.orgToken("lakeside")
	_ = bOrg
	a.peer(b)

	// hillside's need, which riverside's offers meet: its feed of matches lists them.
	if status, res := a.call("POST", "/api/v1/needs", otherToken, `{"title": "Housing together",
		"body": "How we find homes with people.", "themes": ["housing"]}`); status != http.StatusCreated {
		t.Fatalf("post need: %d %v", status, res)
	}
	objects := postVisObjects(t, a, owner)
	settle(t, a, b)
	bMember := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+bToken) }
	for _, o := range objects {
		if o.vis == "local" {
			continue
		}
		eventually(t, 20*time.Second, "b's copy of "+o.word, func() bool {
			return visListed(t, b.URL+"/api/v1/"+o.plural, bMember, o.apID)
		})
	}
	settle(t, a, b)

	viewers := []visViewer{
		{"anonymous", []string{"html", "api"}, func(*http.Request) {}, []string{"public"}},
		{"member by session", []string{"html", "api"}, func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: "commonplace_session", Value: session})
		}, []string{"public", "network", "local"}},
		{"member by token", []string{"api"}, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+otherToken)
		}, []string{"public", "network", "local"}},
		{"unsigned fetch", []string{"ap"}, func(r *http.Request) {
			r.Header.Set("Accept", "application/activity+json")
		}, []string{"public"}},
		{"fetch signed by the peer", []string{"ap"}, func(r *http.Request) {
			r.Header.Set("Accept", "application/activity+json")
			if err := b.fed.SignForTest(ctx, r, b.fed.InstanceActor(), nil); err != nil {
				t.Fatal(err)
			}
		}, []string{"public", "network"}},
		{"peer's anonymous visitor", []string{"peer"}, func(*http.Request) {}, []string{"public"}},
		{"peer's member", []string{"peer"}, bMember, []string{"public", "network"}},
	}

	for _, sf := range visSurfaces(a, b) {
		for _, v := range viewers {
			if !slices.Contains(v.classes, sf.class) {
				continue
			}
			t.Run(sf.name+"/"+v.name, func(t *testing.T) {
				for _, o := range objects {
					if sf.kinds != nil && !slices.Contains(sf.kinds, o.kind) {
						continue
					}
					want := slices.Contains(v.sees, o.vis)
					if got := sf.shown(t, o, v); got != want {
						t.Errorf("%s %s (%s): shown %v, want %v", o.vis, o.kind, o.word, got, want)
					}
				}
			})
		}
	}

	// Once deleted, a hidden object still answers 404 to whom could not see
	// it, so that a 410 does not tell it was there; its members get 410.
	t.Run("deleted", func(t *testing.T) {
		for _, o := range objects {
			if o.kind != "offer" || o.vis == "public" {
				continue
			}
			if status, res := a.call("DELETE", "/api/v1/offers/"+o.id, owner, ""); status != http.StatusNoContent {
				t.Fatalf("delete: %d %v", status, res)
			}
			for _, v := range viewers[:2] {
				want := http.StatusNotFound
				if slices.Contains(v.sees, o.vis) {
					want = http.StatusGone
				}
				if status, _ := visGet(t, a.URL+"/offers/"+o.id, v.dress); status != want {
					t.Errorf("deleted %s offer, %s: %d, want %d", o.vis, v.name, status, want)
				}
			}
		}
	})
}

// postVisObjects posts, through a's API, an offer, a need, a story and an
// event in each visibility, all on the housing theme.
func postVisObjects(t *testing.T, a *testNode, token string) []visObject {
	t.Helper()
	start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
	var out []visObject
	for _, kind := range []string{"offer", "need", "story", "event"} {
		for _, vis := range library.Visibilities {
			o := visObject{kind: kind, plural: kind + "s", vis: vis, word: "vz" + kind + vis}
			if kind == "story" {
				o.plural = "stories"
			}
			title := "Housing together " + o.word
			body := fmt.Sprintf(`{"title": %q, "body": "How we find homes with people, %s.", "visibility": %q, "themes": ["housing"]`,
				title, o.word, vis)
			if kind == "event" {
				body += fmt.Sprintf(`, "start": %q, "end": %q, "timezone": "Europe/London", "online_url": "https://meet.example/%s"`,
					start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339), o.word)
			}
			status, res := a.call("POST", "/api/v1/"+o.plural, token, body+"}")
			if status != http.StatusCreated {
				t.Fatalf("post %s %s: %d %v", vis, kind, status, res)
			}
			o.id, o.apID = res["id"].(string), res["ap_id"].(string)
			out = append(out, o)
		}
	}
	return out
}

// visSurfaces are every surface that shows objects: a's pages, API, lists,
// search and feeds, its ActivityPub, and b's copies.
func visSurfaces(a, b *testNode) []visSurface {
	listings := []string{"offer", "need"}
	page := func(path func(o visObject) string) func(*testing.T, visObject, visViewer) bool {
		return func(t *testing.T, o visObject, v visViewer) bool { return visFound(t, a.URL+path(o), v.dress) }
	}
	shows := func(path func(o visObject) string) func(*testing.T, visObject, visViewer) bool {
		return func(t *testing.T, o visObject, v visViewer) bool {
			return strings.Contains(visBody(t, a.URL+path(o), v.dress), o.id)
		}
	}
	return []visSurface{
		{"HTML page", "html", nil, page(func(o visObject) string { return "/" + o.plural + "/" + o.id })},
		{"HTML list", "html", nil, shows(func(o visObject) string { return "/" + o.plural })},
		{"home page", "html", listings, shows(func(visObject) string { return "/" })},
		{"organisation page", "html", listings, shows(func(visObject) string { return "/orgs/riverside" })},
		{"theme page", "html", listings, shows(func(visObject) string { return "/themes/housing" })},
		{"search page", "html", nil, shows(func(o visObject) string { return "/search?q=" + o.word })},
		{"matches page", "html", listings, page(func(o visObject) string { return "/" + o.plural + "/" + o.id + "/matches" })},
		{"calendar of an event", "html", []string{"event"}, page(func(o visObject) string { return "/events/" + o.id + ".ics" })},
		{"calendar of the node", "html", []string{"event"}, shows(func(visObject) string { return "/events.ics" })},
		{"feed of matches", "html", []string{"offer"}, shows(func(visObject) string { return "/orgs/hillside/matches.atom" })},
		{"API get", "api", nil, page(func(o visObject) string { return "/api/v1/" + o.plural + "/" + o.id })},
		{"API list", "api", nil, func(t *testing.T, o visObject, v visViewer) bool {
			return visListed(t, a.URL+"/api/v1/"+o.plural+"?org=riverside", v.dress, o.apID)
		}},
		{"API search", "api", nil, func(t *testing.T, o visObject, v visViewer) bool {
			return visListed(t, a.URL+"/api/v1/search?q="+o.word, v.dress, o.apID)
		}},
		{"API matches", "api", listings, page(func(o visObject) string { return "/api/v1/" + o.plural + "/" + o.id + "/matches" })},
		{"API events for a need", "api", []string{"need"}, page(func(o visObject) string { return "/api/v1/events?need=" + o.id })},
		{"ActivityPub object", "ap", nil, page(func(o visObject) string { return "/" + o.plural + "/" + o.id })},
		{"peer's API list", "peer", nil, func(t *testing.T, o visObject, v visViewer) bool {
			return visListed(t, b.URL+"/api/v1/"+o.plural, v.dress, o.apID)
		}},
		{"peer's API search", "peer", nil, func(t *testing.T, o visObject, v visViewer) bool {
			return visListed(t, b.URL+"/api/v1/search?q="+o.word, v.dress, o.apID)
		}},
	}
}

// visGet sends a GET dressed for a viewer.
func visGet(t *testing.T, u string, dress func(*http.Request)) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	dress(req)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// visFound reports whether a page of one object answers 200; hidden ones must answer 404.
func visFound(t *testing.T, u string, dress func(*http.Request)) bool {
	t.Helper()
	status, b := visGet(t, u, dress)
	switch status {
	case http.StatusOK:
		return true
	case http.StatusNotFound:
		return false
	}
	t.Errorf("GET %s: %d, want 200 or 404: %.200s", u, status, b)
	return false
}

// visBody is a list's answer, which must be 200.
func visBody(t *testing.T, u string, dress func(*http.Request)) string {
	t.Helper()
	status, b := visGet(t, u, dress)
	if status != http.StatusOK {
		t.Errorf("GET %s: %d: %.200s", u, status, b)
	}
	return b
}

// visListed reports whether a JSON list (items, or search hits) holds the IRI.
func visListed(t *testing.T, u string, dress func(*http.Request), apID string) bool {
	t.Helper()
	var res struct {
		Items []struct {
			APID string `json:"ap_id"`
		} `json:"items"`
		Hits []struct {
			APID string `json:"ap_id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(visBody(t, u, dress)), &res); err != nil {
		t.Errorf("GET %s: %v", u, err)
	}
	for _, it := range append(res.Items, res.Hits...) {
		if it.APID == apID {
			return true
		}
	}
	return false
}
