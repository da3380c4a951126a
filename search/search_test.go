package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

func TestSearch(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	a, b := newOrg(t, store, "alpha", "GB"), newOrg(t, store, "bravo", "FR")
	post(t, store, library.Offer, a, listing{title: "Recruiting personal assistants", body: "How we recruit and keep good support workers.", countries: []string{"GB"}})
	post(t, store, library.Need, b, listing{title: "Développement du logement", body: "Nous voulons aider les personnes à trouver un chez-soi.", langs: []string{"fr"}, countries: []string{"FR"}})
	closed := post(t, store, library.Offer, b, listing{title: "Old recruitment guide", body: "Outdated."})
	status := "closed"
	if _, err := store.UpdateListing(ctx, library.Offer, closed.ID, library.ListingInput{Status: &status}); err != nil {
		t.Fatal(err)
	}
	settle(t, store)

	tests := []struct {
		name  string
		q     Query
		want  []string // titles, in any order
		total int
	}{
		{"everything, newest first", Query{}, nil, 4},
		{"words", Query{Text: "recruiting"}, []string{"Recruiting personal assistants"}, 1},
		{"accents folded", Query{Text: "developpement"}, []string{"Développement du logement"}, 1},
		{"stemmed in French", Query{Text: "logements", Lang: "fr"}, []string{"Développement du logement"}, 1},
		{"kind filter", Query{Kind: "need"}, []string{"Développement du logement"}, 1},
		{"country filter", Query{Country: "gb", Kind: "offer"}, []string{"Recruiting personal assistants"}, 1},
		{"closed left out", Query{Text: "guide"}, nil, 0},
		{"closed with status=all", Query{Text: "guide", AllStatuses: true}, []string{"Old recruitment guide"}, 1},
		{"organisation by handle", Query{Org: "bravo", Kind: "need"}, []string{"Développement du logement"}, 1},
		{"theme synonyms", Query{Text: "hiring", Kind: "offer"}, []string{"Recruiting personal assistants"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := svc.Search(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if int(res.Total) != tc.total {
				t.Fatalf("total = %d, want %d: %+v", res.Total, tc.total, res.Hits)
			}
			for _, w := range tc.want {
				found := false
				for _, h := range res.Hits {
					found = found || h.Title == w
				}
				if !found {
					t.Errorf("missing %q in %+v", w, res.Hits)
				}
			}
		})
	}
}

func TestSearchHitShape(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	a := newOrg(t, store, "alpha", "GB")
	o := post(t, store, library.Offer, a, listing{title: "Individual service funds", body: "We run ISFs for 40 people & their families."})
	settle(t, store)
	res, err := svc.Search(context.Background(), Query{Text: "families"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %+v", res.Hits)
	}
	h := res.Hits[0]
	if h.ID != o.ID || h.Kind != "offer" || h.APID != o.APID || h.Org.Handle != "alpha" || h.Org.Node != "node.test" || h.Score <= 0 {
		t.Errorf("hit = %+v", h)
	}
	if !strings.Contains(h.Snippet, "<mark>families</mark>") || !strings.Contains(h.Snippet, "&amp;") {
		t.Errorf("snippet = %q", h.Snippet)
	}
	if res.Facets["kind"]["offer"] != 1 || res.Facets["theme"] == nil {
		t.Errorf("facets = %+v", res.Facets)
	}
}

// TestSnippetsReadAsText (issue 12): a snippet is the text as it reads,
// without its Markdown, and without the title the hit already shows.
func TestSnippetsReadAsText(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	a := newOrg(t, store, "alpha", "GB")
	post(t, store, library.Offer, a, listing{title: "Recruiting with the person",
		body: "## How we do it\n\nWe **recruit** with the person, and [our guide](https://example.org/guide) says how:\n\n- interviews\n- *shadow shifts*"})
	settle(t, store)
	for _, q := range []string{"recruit guide", ""} {
		res, err := svc.Search(context.Background(), Query{Text: q})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].Kind != "offer" {
			t.Fatalf("%q: %+v %v", q, res, err)
		}
		sn := res.Hits[0].Snippet
		for _, raw := range []string{"**", "##", "](", "- interviews", "*shadow", "Recruiting with the person"} {
			if strings.Contains(sn, raw) {
				t.Errorf("%q: snippet %q holds %q", q, sn, raw)
			}
		}
		if !strings.Contains(sn, "How we do it We") {
			t.Errorf("%q: snippet %q does not read as the text", q, sn)
		}
	}
}

func TestIndexFollowsDeletesAndConsent(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	remote, err := store.UpsertRemoteOrganization(ctx, &library.Organization{Handle: "far", Domain: "far.test", Name: "Far away", APID: "https://far.test/orgs/far", Indexable: true})
	if err != nil {
		t.Fatal(err)
	}
	l, err := store.UpsertRemoteListing(ctx, &library.Listing{Kind: library.Offer, OrgID: remote.ID, APID: "https://far.test/offers/1", Title: "Peer mentoring for self-advocates", Status: "open", Visibility: "public", Indexable: true, Languages: []string{"en"}, Themes: []string{"empowerment"}, Countries: []string{}, Formats: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	count := func(q Query) int {
		t.Helper()
		res, err := svc.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return int(res.Total)
	}
	if n := count(Query{Text: "mentoring"}); n != 1 {
		t.Fatalf("indexable remote offer: %d hits", n)
	}
	remote.Indexable = false
	if _, err := store.UpsertRemoteOrganization(ctx, remote); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	if n := count(Query{Node: "far.test"}); n != 0 {
		t.Fatalf("after indexable off: %d hits", n)
	}
	remote.Indexable = true
	if _, err := store.UpsertRemoteOrganization(ctx, remote); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	if n := count(Query{Node: "far.test"}); n != 2 {
		t.Fatalf("after indexable on: %d hits", n)
	}
	if err := store.DeleteRemoteListing(ctx, l.APID, remote.ID); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	if n := count(Query{Text: "mentoring"}); n != 0 {
		t.Fatalf("after delete: %d hits", n)
	}
	if err := store.PurgeDomain(ctx, "far.test"); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	if n := count(Query{Node: "far.test"}); n != 0 {
		t.Fatalf("after purge: %d hits", n)
	}
}

func TestExpiredLeftOut(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	a := newOrg(t, store, "alpha", "GB")
	l := post(t, store, library.Offer, a, listing{title: "Short-lived offer", body: "Expires soon."})
	soon := time.Now().Add(1500 * time.Millisecond)
	if _, err := store.UpdateListing(ctx, library.Offer, l.ID, library.ListingInput{ExpiresAt: library.OptionalTime{Set: true, Time: &soon}}); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	if res, _ := svc.Search(ctx, Query{Text: "short"}); res.Total != 1 {
		t.Fatalf("before expiry: %d hits", res.Total)
	}
	time.Sleep(time.Until(soon) + 100*time.Millisecond)
	if res, _ := svc.Search(ctx, Query{Text: "short"}); res.Total != 0 {
		t.Fatalf("after expiry: %d hits", res.Total)
	}
	if res, _ := svc.Search(ctx, Query{Text: "short", AllStatuses: true}); res.Total != 1 {
		t.Fatalf("status=all: %d hits", res.Total)
	}
}

func TestStoriesAndEventsIndexed(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	a := newOrg(t, store, "alpha", "GB")
	title, body := "A home of her own at last", "After twenty years in a group home, she chose her flat and her supporters."
	if _, err := store.CreateStory(ctx, a.ID, library.StoryInput{Title: &title, Body: &body}); err != nil {
		t.Fatal(err)
	}
	etitle, ebody := "Workshop on tenancies", "An online workshop about tenancies and landlords."
	start, end, online := time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339), time.Now().Add(50*time.Hour).UTC().Format(time.RFC3339), "https://meet.example/x"
	tz := "Europe/London"
	ev, err := store.CreateEvent(ctx, a.ID, library.EventInput{Title: &etitle, Body: &ebody, Start: &start, End: &end, Timezone: &tz, OnlineURL: &online})
	if err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	for kind, q := range map[string]string{"story": "flat", "event": "tenancies"} {
		res, err := svc.Search(ctx, Query{Text: q, Kind: kind})
		if err != nil || res.Total != 1 {
			t.Fatalf("%s: %v %+v", kind, err, res)
		}
	}
	if _, err := store.CancelEvent(ctx, ev.ID); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	if res, _ := svc.Search(ctx, Query{Kind: "event"}); res.Total != 0 {
		t.Fatalf("cancelled event still listed: %+v", res.Hits)
	}
}

// TestObjectConsent: a remote object that says it is not indexable is kept
// out of the index, and dropped when an update withdraws it; a local one is
// indexed here whatever its flag, which speaks of other nodes.
func TestObjectConsent(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	remote, err := store.UpsertRemoteOrganization(ctx, &library.Organization{Handle: "far", Domain: "far.test", Name: "Far away", APID: "https://far.test/orgs/far", Indexable: true})
	if err != nil {
		t.Fatal(err)
	}
	copyOf := func(indexable bool) {
		t.Helper()
		_, err := store.UpsertRemoteListing(ctx, &library.Listing{Kind: library.Offer, OrgID: remote.ID, APID: "https://far.test/offers/1", Title: "Peer mentoring for self-advocates",
			Status: "open", Visibility: "public", Indexable: indexable, Languages: []string{"en"}, Themes: []string{}, Countries: []string{}, Formats: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		settle(t, store)
	}
	hits := func(text string) int {
		t.Helper()
		res, err := svc.Search(ctx, Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return int(res.Total)
	}
	copyOf(true)
	if n := hits("mentoring"); n != 1 {
		t.Fatalf("indexable remote offer: %d hits", n)
	}
	copyOf(false)
	if n := hits("mentoring"); n != 0 {
		t.Fatalf("withdrawn remote offer: %d hits", n)
	}
	local := post(t, store, library.Offer, newOrg(t, store, "riverside", "GB"), listing{title: "Circles of support", body: "How we start a circle."})
	if _, err := store.SetIndexable(ctx, library.KindOffer, local.ID, false); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	if n := hits("circles"); n != 1 {
		t.Fatalf("local offer not to be indexed elsewhere: %d hits here, want 1", n)
	}
}
