package federation_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestPeeringCarriesListings: two nodes peer through the coordinator API;
// an offer created, changed and deleted on one reaches the other's store and
// search index with every field, and local objects never leave.
func TestPeeringCarriesListings(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	org := a.org("riverside", "Riverside Support", "GB")
	a.peer(b)

	body := "We recruit **personal assistants** with the people they will support.\n\nOur guide covers adverts, interviews and matching."
	offer := a.post(library.Offer, org, "Recruiting staff together with the person", body, "public", "personnel", "staff-matching")
	secret := a.post(library.Need, org, "A draft we keep to ourselves", "Not ready.", "local")
	eventually(t, 10*time.Second, "offer at b", func() bool { return b.remote(offer.APID) != nil })

	got := b.remote(offer.APID)
	switch {
	case got.Local || got.Kind != library.Offer || got.Title != offer.Title || got.Body != body:
		t.Fatalf("fields not recovered: %+v", got)
	case !slices.Equal(got.Themes, offer.Themes) || !slices.Equal(got.Languages, offer.Languages) || got.Visibility != "public":
		t.Fatalf("themes, languages or visibility lost: %+v vs %+v", got, offer)
	case got.Org == nil || got.Org.Domain != a.host() || got.Org.Handle != "riverside" || got.Org.Country != "GB":
		t.Fatalf("author not recovered: %+v", got.Org)
	}
	eventually(t, 10*time.Second, "offer in b's index", func() bool {
		for _, h := range b.searchHits("personal assistants") {
			if h.APID == offer.APID && h.Title == offer.Title {
				return true
			}
		}
		return false
	})

	newTitle, formats := "Recruiting and matching staff together", []string{"online", "mentoring"}
	if _, err := a.store.UpdateListing(context.Background(), library.Offer, offer.ID, library.ListingInput{Title: &newTitle, Formats: &formats}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "update at b", func() bool {
		l := b.remote(offer.APID)
		return l != nil && l.Title == newTitle && slices.Equal(l.Formats, formats)
	})

	if err := a.store.DeleteListing(context.Background(), library.Offer, offer.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "delete at b", func() bool { return b.remote(offer.APID) == nil })
	settle(t, a, b)
	if b.remote(secret.APID) != nil {
		t.Fatal("a local-only need reached the peer")
	}

	resp, err := http.Get(offer.APID)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK { // HTML page of a deleted offer
		t.Logf("HTML of deleted offer: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", offer.APID, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("deleted offer answered %d, want 410", resp.StatusCode)
	}
}

// TestBackfillAfterPeering: history written before peering arrives by
// walking the outbox; network-visible objects come too (the fetch is signed
// by a peer), local ones do not.
func TestBackfillAfterPeering(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	org := a.org("lothian", "Lothian Circles", "GB")
	pub := a.post(library.Offer, org, "Sharing power with families", "How we plan with families as equals.", "public")
	net := a.post(library.Need, org, "Housing that fits the person", "We want to learn about shared tenancies.", "network")
	loc := a.post(library.Need, org, "Internal planning", "Only for us.", "local")
	settle(t, a)

	a.peer(b)
	eventually(t, 15*time.Second, "back-fill at b", func() bool { return b.remote(pub.APID) != nil && b.remote(net.APID) != nil })
	if got := b.remote(net.APID); got.Visibility != "network" {
		t.Fatalf("network visibility not kept: %q", got.Visibility)
	}
	settle(t, a, b)
	if b.remote(loc.APID) != nil {
		t.Fatal("a local-only need was back-filled")
	}

	// Network objects are readable only by a GET signed by a peer's instance actor.
	req, _ := http.NewRequest("GET", net.APID, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unsigned GET of a network object answered %d, want 404", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", net.APID, nil)
	req.Header.Set("Accept", "application/activity+json")
	if err := b.fed.SignForTest(context.Background(), req, b.fed.InstanceActor(), nil); err != nil {
		t.Fatal(err)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("peer-signed GET of a network object answered %d, want 200", resp.StatusCode)
	}
}

// TestPeeringErrorsInASentence (issue 12): asking an address where nothing
// answers says so in a sentence, without Go's chain of causes; asking a peer
// again answers that it is peered.
func TestPeeringErrorsInASentence(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	code, body := a.api("POST", "/api/v1/admin/peers", map[string]string{"url": "http://" + closed})
	var res struct{ Error string }
	_ = json.Unmarshal(body, &res)
	if code != http.StatusUnprocessableEntity || res.Error != "url: could not reach http://"+closed+": is the address right, and is the node up?" {
		t.Errorf("an address where nothing answers: %d %q", code, res.Error)
	}
	a.peer(b)
	code, body = a.api("POST", "/api/v1/admin/peers", map[string]string{"url": b.URL})
	var p struct{ State string }
	if _ = json.Unmarshal(body, &p); code != http.StatusAccepted || p.State != "peered" {
		t.Errorf("peering again: %d %s, want the peer, peered", code, body)
	}
}

// coordinatorClient is a browser logged in as a new coordinator of n.
func coordinatorClient(t *testing.T, n *testNode) *http.Client {
	t.Helper()
	_, token, err := n.store.CreateAccount(context.Background(), "coord@"+strings.Split(n.host(), ":")[0]+".example", library.RoleCoordinator, "")
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	form := formWithCSRF(t, c, n.URL+"/setup/"+token)
	form.Set("password", "correct horse battery")
	form.Set("confirm", "correct horse battery")
	res, err := c.PostForm(n.URL+"/setup/"+token, form)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("setup: %v %v", res, err)
	}
	res.Body.Close()
	return c
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formWithCSRF loads a page and returns the fields of its CSRF token.
func formWithCSRF(t *testing.T, c *http.Client, page string) url.Values {
	t.Helper()
	res, err := c.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field on %s (%d)", page, res.StatusCode)
	}
	return url.Values{"_csrf": {string(m[1])}}
}

// TestFederationPageForTheCoordinator (issue 12): times say their zone, a
// peering that fails is explained on the page (not in its URL), and asking a
// peer again says it is peered.
func TestFederationPageForTheCoordinator(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	org := a.org("riverside", "Riverside Support", "GB")
	a.peer(b)
	a.post(library.Offer, org, "Recruiting with the person", "Our guide.", "public")
	settle(t, a, b)
	c := coordinatorClient(t, a)
	page := func(res *http.Response) string {
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	res, err := c.Get(a.URL + "/admin/federation")
	if err != nil {
		t.Fatal(err)
	}
	if p := page(res); !strings.Contains(p, " UTC</time>") ||
		!strings.Contains(p, `<div class="scroll" role="region" aria-label="Peer nodes" tabindex="0"><table>`) {
		t.Errorf("the federation page's times do not say their zone, or its tables do not scroll in their own box:\n%s", p)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	form := formWithCSRF(t, c, a.URL+"/admin/federation")
	form.Set("url", "http://"+closed)
	res, err = c.PostForm(a.URL+"/admin/federation/peers", form)
	if err != nil {
		t.Fatal(err)
	}
	if p := page(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(p, "could not reach http://"+closed) ||
		strings.Contains(p, "dial tcp") || strings.Contains(res.Request.URL.RawQuery, "error") {
		t.Errorf("peering with nothing: %d %s\n%s", res.StatusCode, res.Request.URL, p)
	}
	form = formWithCSRF(t, c, a.URL+"/admin/federation")
	form.Set("url", b.URL)
	res, err = c.PostForm(a.URL+"/admin/federation/peers", form)
	if err != nil {
		t.Fatal(err)
	}
	if p := page(res); !strings.Contains(p, "Already peered with "+b.host()) {
		t.Errorf("peering again:\n%s", p)
	}
}
