package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-fed/httpsig"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/testdb"
)

// attackObject is an object posted on the attacked node, in one visibility.
type attackObject struct {
	kind, plural, vis, id, apID, word string
}

// attackViewer is who sends the requests, and what it must be shown.
type attackViewer struct {
	name   string
	client *http.Client
	dress  func(*http.Request)
	sees   []string
}

// TestAttackVisibility is item 12 of issue 18 against the real binary:
// `network` and `local` objects must not reach anonymous visitors on any
// surface (pages, API, lists, search, feeds), nor unsigned ActivityPub
// fetches; a fetch signed by a peered node's instance actor reads network
// objects, never local ones; a logged-in member (session or token) reads all.
// Hidden objects answer 404, like absent ones.
func TestAttackVisibility(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes")
	}
	a, aTokens := startEventNode(t, "riverside", "hillside")
	b, _ := startEventNode(t, "lakeside")
	if status, res := call(t, "POST", a.srv.base+"/api/v1/admin/peers", a.admin, `{"url": "`+b.srv.base+`"}`); status != http.StatusAccepted {
		t.Fatalf("peer: %d %v", status, res)
	}
	waitFor(t, 30*time.Second, "a and b peered", func() bool { return a.peered(t, b) && b.peered(t, a) })

	objects := postAttackObjects(t, a.srv.base, aTokens["riverside"])
	member := aTokens["hillside"]
	waitFor(t, 30*time.Second, "every object in a's search", func() bool {
		for _, o := range objects {
			if !attackListed(t, http.DefaultClient, a.srv.base+"/api/v1/search?q="+o.word, bearer(member), o.apID) {
				return false
			}
		}
		return true
	})

	anon := func(*http.Request) {}
	viewers := []attackViewer{
		{"anonymous", http.DefaultClient, anon, []string{"public"}},
		{"member by session", memberSession(t, a, "hillside"), anon, []string{"public", "network", "local"}},
		{"member by token", http.DefaultClient, bearer(member), []string{"public", "network", "local"}},
	}
	surfaces := []struct {
		name  string
		kinds []string
		shown func(v attackViewer, o attackObject) bool
	}{
		{"HTML page", nil, func(v attackViewer, o attackObject) bool { return attackFound(t, v, a.srv.base+"/"+o.plural+"/"+o.id) }},
		{"API get", nil, func(v attackViewer, o attackObject) bool {
			return attackFound(t, v, a.srv.base+"/api/v1/"+o.plural+"/"+o.id)
		}},
		{"API list", nil, func(v attackViewer, o attackObject) bool {
			return attackListed(t, v.client, a.srv.base+"/api/v1/"+o.plural, v.dress, o.apID)
		}},
		{"API search", nil, func(v attackViewer, o attackObject) bool {
			return attackListed(t, v.client, a.srv.base+"/api/v1/search?q="+o.word, v.dress, o.apID)
		}},
		{"HTML list", nil, func(v attackViewer, o attackObject) bool { return attackShows(t, v, a.srv.base+"/"+o.plural, o.id) }},
		{"home page", []string{"offer", "need"}, func(v attackViewer, o attackObject) bool { return attackShows(t, v, a.srv.base+"/", o.id) }},
		{"organisation page", []string{"offer", "need"}, func(v attackViewer, o attackObject) bool {
			return attackShows(t, v, a.srv.base+"/orgs/riverside", o.id)
		}},
		{"search page", nil, func(v attackViewer, o attackObject) bool {
			return attackShows(t, v, a.srv.base+"/search?q="+o.word, o.id)
		}},
		{"event calendar", []string{"event"}, func(v attackViewer, o attackObject) bool {
			return attackFound(t, v, a.srv.base+"/events/"+o.id+".ics")
		}},
		{"node calendar", []string{"event"}, func(v attackViewer, o attackObject) bool {
			return attackShows(t, v, a.srv.base+"/events.ics", o.id)
		}},
	}
	for _, sf := range surfaces {
		for _, v := range viewers {
			if v.name == "member by token" && (strings.HasPrefix(sf.name, "HTML") || strings.Contains(sf.name, "page") || strings.Contains(sf.name, "calendar")) {
				continue // a token speaks for the API only
			}
			t.Run(sf.name+"/"+v.name, func(t *testing.T) {
				for _, o := range objects {
					if sf.kinds != nil && !slices.Contains(sf.kinds, o.kind) {
						continue
					}
					if got, want := sf.shown(v, o), slices.Contains(v.sees, o.vis); got != want {
						t.Errorf("%s %s: shown %v, want %v", o.vis, o.kind, got, want)
					}
				}
			})
		}
	}

	key := instanceKey(t, b)
	fetchers := []attackViewer{
		{"unsigned fetch", http.DefaultClient, activityJSON, []string{"public"}},
		{"fetch signed by the peer", http.DefaultClient, func(r *http.Request) { activityJSON(r); key.sign(t, r) }, []string{"public", "network"}},
	}
	for _, v := range fetchers {
		t.Run("ActivityPub object/"+v.name, func(t *testing.T) {
			for _, o := range objects {
				if got, want := attackFound(t, v, a.srv.base+"/"+o.plural+"/"+o.id), slices.Contains(v.sees, o.vis); got != want {
					t.Errorf("%s %s: shown %v, want %v", o.vis, o.kind, got, want)
				}
			}
		})
	}
}

// postAttackObjects posts an offer, a need, a story and an event in each visibility.
func postAttackObjects(t *testing.T, base, token string) []attackObject {
	t.Helper()
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	var out []attackObject
	for _, kind := range []string{"offer", "need", "story", "event"} {
		for _, vis := range []string{"public", "network", "local"} {
			o := attackObject{kind: kind, plural: kind + "s", vis: vis, word: "atk" + kind + vis}
			if kind == "story" {
				o.plural = "stories"
			}
			body := fmt.Sprintf(`{"title": "Peer support %s", "body": "Learning together, %s.", "visibility": %q`, o.word, o.word, vis)
			if kind == "event" {
				body += fmt.Sprintf(`, "start": %q, "end": %q, "timezone": "Europe/London", "online_url": "https://meet.example/x"`,
					start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339))
			}
			status, res := call(t, "POST", base+"/api/v1/"+o.plural, token, body+"}")
			if status != http.StatusCreated {
				t.Fatalf("post %s %s: %d %v", vis, kind, status, res)
			}
			o.id, o.apID = res["id"].(string), res["ap_id"].(string)
			out = append(out, o)
		}
	}
	return out
}

func bearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func activityJSON(r *http.Request) { r.Header.Set("Accept", "application/activity+json") }

// memberSession invites a staff member of the organisation with the CLI, sets
// the password through the setup form, and returns a client holding the session.
func memberSession(t *testing.T, n *eventNode, handle string) *http.Client {
	t.Helper()
	link := lastLine(cli(t, "account", "invite", "--data", n.data, "--base-url", n.srv.base, "--email", "sam@"+handle+".example", "--org", handle))
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the setup page (%d)", res.StatusCode)
	}
	form := url.Values{"_csrf": {string(m[1])}, "password": {"a long enough password"}, "confirm": {"a long enough password"}}
	res, err = client.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %d", res.StatusCode)
	}
	return client
}

// attackGet sends a GET as the viewer.
func attackGet(t *testing.T, v attackViewer, u string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	v.dress(req)
	res, err := v.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// attackFound reports whether one object's URL answers 200; a hidden one must answer 404.
func attackFound(t *testing.T, v attackViewer, u string) bool {
	t.Helper()
	status, body := attackGet(t, v, u)
	if status != http.StatusOK && status != http.StatusNotFound {
		t.Errorf("GET %s: %d, want 200 or 404: %.200s", u, status, body)
	}
	return status == http.StatusOK
}

// attackShows reports whether a page (200) holds the text.
func attackShows(t *testing.T, v attackViewer, u, text string) bool {
	t.Helper()
	status, body := attackGet(t, v, u)
	if status != http.StatusOK {
		t.Errorf("GET %s: %d: %.200s", u, status, body)
	}
	return strings.Contains(body, text)
}

// attackListed reports whether a JSON list (items, or search hits) holds the IRI.
func attackListed(t *testing.T, client *http.Client, u string, dress func(*http.Request), apID string) bool {
	t.Helper()
	status, body := attackGet(t, attackViewer{client: client, dress: dress}, u)
	var res struct {
		Items, Hits []struct {
			APID string `json:"ap_id"`
		}
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || status != http.StatusOK {
		t.Errorf("GET %s: %d %v: %.200s", u, status, err, body)
	}
	for _, it := range append(res.Items, res.Hits...) {
		if it.APID == apID {
			return true
		}
	}
	return false
}

// actorKey is a node's instance actor key, read from its database, to sign
// fetches as that node does.
type actorKey struct {
	id  string
	key *rsa.PrivateKey
}

func instanceKey(t *testing.T, n *eventNode) actorKey {
	t.Helper()
	ctx := context.Background()
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: n.data, URL: testdb.Known(n.data)})
	if err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	var row struct{ KeyID, PrivatePEM string }
	if err := db.WithContext(ctx).Raw(`SELECT key_id, private_pem FROM federation_keys WHERE actor_id = ?`, n.srv.base+"/actor").Scan(&row).Error; err != nil || row.KeyID == "" {
		t.Fatalf("b's instance key: %v", err)
	}
	block, _ := pem.Decode([]byte(row.PrivatePEM))
	if block == nil {
		t.Fatal("b's instance key is not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return actorKey{id: row.KeyID, key: k.(*rsa.PrivateKey)}
}

// sign signs a GET the Cavage way, over (request-target), host and date.
func (k actorKey) sign(t *testing.T, r *http.Request) {
	t.Helper()
	r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	r.Header.Set("Host", r.URL.Host)
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		[]string{httpsig.RequestTarget, "host", "date"}, httpsig.Signature, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := signer.SignRequest(k.key, k.id, r, nil); err != nil {
		t.Fatal(err)
	}
}
