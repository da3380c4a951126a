package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
)

// TestWithdrawnConsent: on three nodes, an offer and then a whole
// organisation withdraw their consent to be indexed beyond their node; every
// peer drops them from its index and says so, and the peer that was down at
// the time purges when it comes back. The origin still finds its own.
func TestWithdrawnConsent(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: three nodes and a restart")
	}
	ctx := context.Background()
	a, b, c := newNode(t, "a"), newNode(t, "b"), newNode(t, "c")
	org := a.org("riverside", "Riverside Support", "GB")
	a.peer(b)
	a.peer(c)
	offer := a.post(library.Offer, org, "Circles of support for young carers", "How we start a circle with a young carer.", "public")
	other := a.post(library.Offer, org, "Individual Service Funds in practice", "How we hold ISFs with families.", "network")
	for _, n := range []*testNode{b, c} {
		eventually(t, 15*time.Second, n.name+" finds both offers", func() bool {
			return finds(n, "young carers", offer.APID) && finds(n, "Individual Service Funds", other.APID)
		})
	}

	// One offer withdraws, every node up.
	if code, body := a.api("PUT", "/api/v1/offers/"+offer.ID+"/consent", map[string]bool{"indexable": false}); code != 200 {
		t.Fatalf("withdraw the offer: %d %s", code, body)
	}
	for _, n := range []*testNode{b, c} {
		eventually(t, 15*time.Second, n.name+" no longer finds the offer", func() bool { return !finds(n, "young carers", offer.APID) })
		if l := n.remote(offer.APID); l == nil || l.Indexable {
			t.Fatalf("%s: the copy should be kept, not indexable: %+v", n.name, l)
		}
	}
	if !finds(a, "young carers", offer.APID) {
		t.Fatal("the origin no longer finds its own offer")
	}
	eventually(t, 15*time.Second, "receipts of b and c for the offer", func() bool {
		return confirmed(t, a, org, offer.APID, b.host(), c.host())
	})

	// The organisation withdraws while c is down.
	c.down()
	c.stop()
	if code, body := a.api("PATCH", "/api/v1/orgs/riverside", map[string]bool{"indexable": false}); code != 200 {
		t.Fatalf("withdraw the organisation: %d %s", code, body)
	}
	eventually(t, 15*time.Second, "b no longer finds the organisation's other offer", func() bool {
		return !finds(b, "Individual Service Funds", other.APID)
	})
	eventually(t, 15*time.Second, "b's receipt, and a's failed delivery to c", func() bool {
		st, err := a.fed.Status(ctx)
		if err != nil {
			return false
		}
		failed := false
		for _, p := range st.Peers {
			failed = failed || p.Domain == c.host() && p.Failures > 0
		}
		return failed && confirmed(t, a, org, org.APID, b.host())
	})
	if confirmed(t, a, org, org.APID, c.host()) {
		t.Fatal("a receipt from c, which is down")
	}

	c.up()
	c.start(testConfig(c.URL))
	eventually(t, 20*time.Second, "c purges when it comes back", func() bool {
		return !finds(c, "Individual Service Funds", other.APID)
	})
	eventually(t, 15*time.Second, "c's receipt for the organisation", func() bool {
		return confirmed(t, a, org, org.APID, b.host(), c.host())
	})
	if !finds(a, "Individual Service Funds", other.APID) {
		t.Fatal("the origin no longer finds its own offer")
	}
}

// finds reports whether n's search finds the object apID.
func finds(n *testNode, q, apID string) bool {
	for _, h := range n.searchHits(q) {
		if h.APID == apID {
			return true
		}
	}
	return false
}

// confirmed reports whether each of peers sent a current receipt for the
// withdrawal of subject, as the origin's consent report shows it.
func confirmed(t *testing.T, n *testNode, org *library.Organization, subject string, peers ...string) bool {
	t.Helper()
	o, err := n.store.Organization(context.Background(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	report, err := n.fed.Consent(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]federation.Receipt{}
	for _, w := range report.Withdrawn {
		if w.APID == subject {
			for _, r := range w.Receipts {
				got[r.Peer] = r
			}
		}
	}
	for _, p := range peers {
		if r := got[p]; r.RemovedAt == nil || !r.Current {
			return false
		}
	}
	return true
}
