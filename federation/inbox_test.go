package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// createFrom builds a Create{Note} for an offer, as a Commonplace node sends it.
func createFrom(n *testNode, handle, slug, title string) []byte {
	actor := n.URL + "/orgs/" + handle
	note := map[string]any{
		"id": n.URL + "/offers/" + slug, "type": "Note", "attributedTo": actor, "name": title,
		"content": "<p>" + title + "</p>", "to": "https://www.w3.org/ns/activitystreams#Public",
		"published":        time.Now().UTC().Format(time.RFC3339),
		"source":           map[string]string{"content": title + ", in detail.", "mediaType": "text/markdown"},
		"commonplace:kind": "offer", "commonplace:themes": []string{"https://commonplace.citizen-network.org/ns/themes/housing"},
	}
	act := map[string]any{"@context": []any{"https://www.w3.org/ns/activitystreams", map[string]string{"commonplace": "https://commonplace.citizen-network.org/ns#"}},
		"id": n.URL + "/activities/" + slug, "type": "Create", "actor": actor, "object": note, "to": "https://www.w3.org/ns/activitystreams#Public"}
	b, _ := json.Marshal(act)
	return b
}

// postInbox sends body to to's shared inbox, signed by signer's actor unless signerActor is "".
func postInbox(t *testing.T, to, signer *testNode, signerActor string, body []byte, tamper func(*http.Request)) int {
	t.Helper()
	req, _ := http.NewRequest("POST", to.URL+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	if signerActor != "" {
		if err := signer.fed.SignForTest(context.Background(), req, signerActor, body); err != nil {
			t.Fatal(err)
		}
	}
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestInboxRefusesWhatIsNotProven: only signed, untampered, fresh requests
// whose key belongs to the activity's actor are accepted, once.
func TestInboxRefusesWhatIsNotProven(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	b.org("moray", "Moray Homes Together", "GB")
	b.org("other", "Another Org", "GB")
	a.peer(b)
	moray := b.URL + "/orgs/moray"
	body := createFrom(b, "moray", "01housing", "Shared tenancies that work")

	cases := []struct {
		name   string
		signer string
		body   []byte
		tamper func(*http.Request)
		want   int
	}{
		{"unsigned", "", body, nil, http.StatusUnauthorized},
		{"tampered body", moray, body, func(r *http.Request) {
			r.Body = readCloser(bytes.Replace(body, []byte("Shared"), []byte("Sharex"), 1))
		}, http.StatusUnauthorized},
		{"digest removed", moray, body, func(r *http.Request) { r.Header.Del("Digest") }, http.StatusUnauthorized},
		{"spoofed actor", b.URL + "/orgs/other", body, nil, http.StatusUnauthorized},
		{"date unsigned", moray, body, func(r *http.Request) {
			r.Header.Set("Date", time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat))
		}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := postInbox(t, a, b, tc.signer, tc.body, tc.tamper); got != tc.want {
				t.Fatalf("got %d, want %d", got, tc.want)
			}
		})
	}
	t.Run("stale date", func(t *testing.T) {
		req, _ := http.NewRequest("POST", a.URL+"/inbox", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/activity+json")
		if err := b.fed.SignAtForTest(context.Background(), req, moray, body, time.Now().Add(-13*time.Hour)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("got %d, want 401", resp.StatusCode)
		}
	})
	settle(t, a)
	if a.remote(b.URL+"/offers/01housing") != nil {
		t.Fatal("a refused request still had an effect")
	}

	t.Run("signed, twice: one effect", func(t *testing.T) {
		before := a.fed.InboxRowsForTest(context.Background())
		for i := 0; i < 2; i++ {
			if got := postInbox(t, a, b, moray, body, nil); got != http.StatusAccepted {
				t.Fatalf("delivery %d: got %d, want 202", i+1, got)
			}
		}
		if n := a.fed.InboxRowsForTest(context.Background()) - before; n != 1 {
			t.Fatalf("stored %d activities, want 1", n)
		}
		eventually(t, 10*time.Second, "offer stored", func() bool { return a.remote(b.URL+"/offers/01housing") != nil })
	})

	t.Run("RFC 9421 signature", func(t *testing.T) {
		body := createFrom(b, "moray", "02housing", "Housing with support, the 9421 way")
		req, _ := http.NewRequest("POST", a.URL+"/inbox", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/activity+json")
		if err := b.fed.SignMessageForTest(context.Background(), req, moray, body); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("got %d, want 202", resp.StatusCode)
		}
		eventually(t, 10*time.Second, "offer stored", func() bool { return a.remote(b.URL+"/offers/02housing") != nil })
	})

	t.Run("only the owner may update", func(t *testing.T) {
		hijack := createFrom(b, "moray", "01housing", "Taken over")
		var act map[string]any
		_ = json.Unmarshal(hijack, &act)
		act["id"], act["type"], act["actor"] = b.URL+"/activities/hijack", "Update", b.URL+"/orgs/other"
		act["object"].(map[string]any)["attributedTo"] = b.URL + "/orgs/other"
		hijack, _ = json.Marshal(act)
		if got := postInbox(t, a, b, b.URL+"/orgs/other", hijack, nil); got != http.StatusAccepted {
			t.Fatalf("got %d", got)
		}
		settle(t, a)
		if l := a.remote(b.URL + "/offers/01housing"); l == nil || l.Title != "Shared tenancies that work" {
			t.Fatalf("another actor changed the offer: %+v", l)
		}
	})
}

// TestBlockedDomainIsRefusedAndPurged: blocking a peer removes what we hold
// of it and refuses what it sends next; its deliveries fail for good.
func TestBlockedDomainIsRefusedAndPurged(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	org := b.org("moray", "Moray Homes Together", "GB")
	a.peer(b)
	first := b.post(library.Offer, org, "Tenancy support that follows the person", "We share our tenancy agreements.", "public")
	eventually(t, 10*time.Second, "offer at a", func() bool { return a.remote(first.APID) != nil })

	if code, body := a.api("POST", "/api/v1/admin/domains", map[string]string{"domain": b.host(), "policy": "block", "reason": "test"}); code != http.StatusNoContent {
		t.Fatalf("block: %d %s", code, body)
	}
	if a.remote(first.APID) != nil {
		t.Fatal("the blocked domain's offer was not purged")
	}
	if _, err := a.store.OrganizationByAPID(context.Background(), org.APID); err == nil {
		t.Fatal("the blocked domain's organisation was not purged")
	}
	if got := postInbox(t, a, b, org.APID, createFrom(b, "moray", "03x", "Blocked"), nil); got != http.StatusForbidden {
		t.Fatalf("blocked domain's POST answered %d, want 403", got)
	}
	b.post(library.Offer, org, "After the block", "This must not arrive.", "public")
	eventually(t, 10*time.Second, "b's delivery fails for good", func() bool {
		return b.fed.DeliveriesForTest(context.Background(), "failed") > 0
	})
	settle(t, a, b)
	if l, _ := a.store.Listings(context.Background(), library.ListingQuery{Kind: library.Offer}); len(l) != 0 {
		t.Fatalf("a holds %d offers from a blocked domain", len(l))
	}
}

// TestThreeNodes: a peers with b and with c; a's offer reaches both, b's
// reaches a but not c, which is not b's peer.
func TestThreeNodes(t *testing.T) {
	a, b, c := newNode(t, "a"), newNode(t, "b"), newNode(t, "c")
	oa, ob := a.org("england", "Sheffield Support", "GB"), b.org("scotland", "Highland Circles", "GB")
	a.peer(b)
	a.peer(c)
	fromA := a.post(library.Offer, oa, "Individual Service Funds in practice", "How we hold ISFs.", "public", "financial-management")
	fromB := b.post(library.Need, ob, "Non-verbal communication", "We want to learn from others.", "network", "non-verbal-communication")
	eventually(t, 10*time.Second, "a's offer at b and c", func() bool { return b.remote(fromA.APID) != nil && c.remote(fromA.APID) != nil })
	eventually(t, 10*time.Second, "b's need at a", func() bool { return a.remote(fromB.APID) != nil })
	settle(t, a, b, c)
	if c.remote(fromB.APID) != nil {
		t.Fatal("b's network need reached c, which is not b's peer")
	}
	for _, n := range []*testNode{b, c} {
		hits := n.searchHits("Individual Service Funds")
		if len(hits) == 0 || hits[0].APID != fromA.APID {
			t.Fatalf("%s: search did not find a's offer: %+v", n.name, hits)
		}
	}
}

type bytesReadCloser struct{ *bytes.Reader }

func (bytesReadCloser) Close() error { return nil }

func readCloser(b []byte) bytesReadCloser { return bytesReadCloser{bytes.NewReader(b)} }
