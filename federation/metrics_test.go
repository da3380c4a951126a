package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestQueueFigures: a delivery waiting for a peer that is down shows in the
// figures by host, with the age of the oldest; the inbox has no backlog.
func TestQueueFigures(t *testing.T) {
	ctx := context.Background()
	a, b := newNode(t, "a"), newNode(t, "b")
	org := a.org("riverside", "Riverside Support", "GB")
	a.peer(b)
	settle(t, a, b)
	b.down()
	before := time.Now()
	a.post(library.Offer, org, "Matching staff with the person", "We match by interests first.", "public")
	eventually(t, 10*time.Second, "a delivery waits", func() bool { return a.fed.DeliveriesForTest(ctx, "pending") > 0 })
	f, err := a.fed.QueueFigures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Hosts) != 1 || f.Hosts[0].Host != b.host() || f.Hosts[0].Pending != 1 {
		t.Fatalf("hosts %+v, want one delivery to %s", f.Hosts, b.host())
	}
	if o := f.Hosts[0].Oldest; o.Before(before.Add(-time.Second)) || o.After(time.Now()) {
		t.Errorf("oldest %v, want between %v and now", o, before)
	}
	if f.InboxPending != 0 || !f.InboxOldest.IsZero() {
		t.Errorf("inbox %d, oldest %v; want none", f.InboxPending, f.InboxOldest)
	}
}
