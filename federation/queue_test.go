package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestQueueSurvivesRestart: an offer posted while its peer is down waits in
// the queue through a restart of the sender (as after kill -9: nothing is in
// memory), and arrives once the peer is back. The sender keeps production
// back-off (16 s and more); the peer's greeting at start makes it retry at once.
func TestQueueSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: restarts nodes")
	}
	a, b := newNode(t, "a"), newNode(t, "b")
	org := a.org("riverside", "Riverside Support", "GB")
	a.peer(b)
	settle(t, a, b)

	b.down()
	offer := a.post(library.Offer, org, "Matching staff with the person", "We match by interests first.", "public")
	eventually(t, 10*time.Second, "a first attempt failed", func() bool {
		st, err := a.fed.Status(context.Background())
		return err == nil && len(st.Peers) == 1 && st.Peers[0].Failures > 0
	})

	cfg := testConfig(a.URL)
	cfg.Backoff = nil // production schedule: the next attempt is 16 s or more away
	a.restart(cfg)
	if n := a.fed.DeliveriesForTest(context.Background(), "pending"); n != 1 {
		t.Fatalf("%d pending deliveries after restart, want 1", n)
	}

	failures := func() int {
		st, err := a.fed.Status(context.Background())
		if err != nil || len(st.Peers) != 1 {
			return 0
		}
		return st.Peers[0].Failures
	}
	before := failures()
	eventually(t, 10*time.Second, "an attempt failed after the restart", func() bool { return failures() > before })

	b.up()
	b.restart(testConfig(b.URL))
	start := time.Now()
	eventually(t, 15*time.Second, "offer at b after restarts", func() bool { return b.remote(offer.APID) != nil })
	t.Logf("arrived %s after b came back", time.Since(start).Round(time.Millisecond))
}

// TestRetryNowAndBreaker: a dead host trips the circuit breaker; the
// coordinator's "retry now" closes it and delivers the backlog.
func TestRetryNowAndBreaker(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	org := a.org("riverside", "Riverside Support", "GB")
	a.peer(b)
	b.down()
	for i := 0; i < 3; i++ {
		a.post(library.Need, org, "Planning with families", "We want to learn.", "public")
	}
	eventually(t, 20*time.Second, "breaker open", func() bool {
		st, err := a.fed.Status(context.Background())
		return err == nil && len(st.Peers) == 1 && st.Peers[0].OpenUntil != nil
	})
	b.up()
	if code, body := a.api("POST", "/api/v1/admin/federation/retry", map[string]string{"host": b.host()}); code != 202 {
		t.Fatalf("retry: %d %s", code, body)
	}
	eventually(t, 10*time.Second, "backlog delivered", func() bool {
		n, _ := b.store.Listings(context.Background(), library.ListingQuery{Kind: library.Need})
		return len(n) == 3
	})
}
