package federation_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestPruneInbox empties the bodies of processed activities once they are
// old enough, and a replayed activity is still refused as already seen.
func TestPruneInbox(t *testing.T) {
	ctx := context.Background()
	a, b := newNode(t, "a"), newNode(t, "b")
	b.org("moray", "Moray Homes Together", "GB")
	a.peer(b)
	body := createFrom(b, "moray", "01prune", "Shared tenancies that work")
	if got := postInbox(t, a, b, b.URL+"/orgs/moray", body, nil); got != http.StatusAccepted {
		t.Fatalf("got %d, want 202", got)
	}
	settle(t, a, b)
	withBody := func() (n int64) {
		a.store.DB().Raw(`SELECT COUNT(*) FROM federation_inbox WHERE body <> ''`).Scan(&n)
		return n
	}
	kept := withBody()
	if kept == 0 {
		t.Fatal("no inbox body to prune")
	}
	if n, err := a.fed.PruneInbox(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("recent activities: pruned %d, %v", n, err)
	}
	n, err := a.fed.PruneInbox(ctx, time.Now().Add(time.Hour))
	if err != nil || n != kept {
		t.Fatalf("pruned %d, %v; want %d", n, err, kept)
	}
	if left := withBody(); left != 0 {
		t.Errorf("%d bodies left", left)
	}
	rows := a.fed.InboxRowsForTest(ctx)
	postInbox(t, a, b, b.URL+"/orgs/moray", body, nil) // the answer is the replay window's business
	if after := a.fed.InboxRowsForTest(ctx); after != rows {
		t.Errorf("a replayed activity was stored again: %d rows, want %d", after, rows)
	}
}
