package library

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// TestPruneSessions deletes the expired sessions and keeps the live ones.
func TestPruneSessions(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	org := newTestOrg(t, s, "riverside")
	acc, _, err := s.CreateAccount(ctx, "staff@riverside.example", RoleEditor, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	short, _ := s.CreateSession(ctx, acc.ID, time.Hour)
	long, _ := s.CreateSession(ctx, acc.ID, 48*time.Hour)
	n, err := s.PruneSessions(ctx, time.Now().Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want 1", n, err)
	}
	if got := countRows(t, s, "sessions"); got != 1 {
		t.Errorf("%d sessions left, want 1", got)
	}
	if _, err := s.SessionAccount(ctx, long); err != nil {
		t.Errorf("live session: %v", err)
	}
	if _, err := s.SessionAccount(ctx, short); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
}

// TestPruneChanges deletes only the change log rows every subscriber has
// passed, counting a registered subscriber without a cursor as at the start.
func TestPruneChanges(t *testing.T) {
	ctx := context.Background()
	later := time.Now().Add(48 * time.Hour)
	s := newTestStore(t)
	org := newTestOrg(t, s, "riverside")
	for i := 0; i < 5; i++ {
		newTestListing(t, s, Offer, org, "Offer")
	}
	latest, err := s.LatestSeq(ctx)
	if err != nil || latest < 6 {
		t.Fatalf("latest %d, %v", latest, err)
	}
	if n, err := s.PruneChanges(ctx, later); err != nil || n != 0 {
		t.Fatalf("no subscriber yet: pruned %d, %v", n, err)
	}
	must(t, s.SetCursor(ctx, "search", latest))
	must(t, s.SetCursor(ctx, "federation", 3))
	s.Subscribe("newcomer", func(context.Context, []Change) error { return nil })
	if n, err := s.PruneChanges(ctx, later); err != nil || n != 0 {
		t.Fatalf("a subscriber at the start: pruned %d, %v", n, err)
	}
	must(t, s.SetCursor(ctx, "newcomer", latest))
	if n, err := s.PruneChanges(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("changes younger than the margin: pruned %d, %v", n, err)
	}
	if n, err := s.PruneChanges(ctx, later); err != nil || n != 2 {
		t.Fatalf("behind at 3: pruned %d, %v; want 2 (seq 1 and 2)", n, err)
	}
	must(t, s.SetCursor(ctx, "federation", latest))
	if _, err := s.PruneChanges(ctx, later); err != nil {
		t.Fatal(err)
	}
	if got := countRows(t, s, "changes"); got != 1 {
		t.Errorf("%d changes left, want the newest only", got)
	}
	if got, _ := s.LatestSeq(ctx); got != latest {
		t.Errorf("LatestSeq %d after pruning, want %d", got, latest)
	}
	newTestListing(t, s, Offer, org, "Offer")
	if got, _ := s.LatestSeq(ctx); got != latest+1 {
		t.Errorf("next seq %d, want %d", got, latest+1)
	}
}

// TestPruneDeletedBodies empties the text of objects deleted long enough
// ago and keeps their tombstones; live objects and recent deletions stay.
func TestPruneDeletedBodies(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	org := newTestOrg(t, s, "riverside")
	live := newTestListing(t, s, Offer, org, "Still here")
	gone := newTestListing(t, s, Offer, org, "Private words")
	ev, err := s.CreateEvent(ctx, org.ID, eventIn(3))
	must(t, err)
	st, err := s.CreateStory(ctx, org.ID, StoryInput{Title: ptr("A new home"), Summary: ptr("Moving out"), Body: ptr("She moved out in spring.")})
	must(t, err)
	must(t, s.DeleteListing(ctx, Offer, gone.ID))
	must(t, s.DeleteEvent(ctx, ev.ID))
	must(t, s.DeleteStory(ctx, st.ID))

	if n, err := s.PruneDeletedBodies(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("recent deletions: pruned %d, %v", n, err)
	}
	if d, _ := s.DeletedListing(ctx, Offer, gone.ID); d == nil || d.Title != "Private words" {
		t.Fatalf("recently deleted listing lost its text: %+v", d)
	}
	n, err := s.PruneDeletedBodies(ctx, time.Now().Add(time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("pruned %d, %v; want 3", n, err)
	}
	d, err := s.DeletedListing(ctx, Offer, gone.ID)
	must(t, err)
	if d.Title != "" || d.Body != "" || d.ContentHTML != "" || d.APID == "" || d.OrgID != org.ID || !d.DeletedAt.Valid {
		t.Errorf("deleted listing after pruning: %+v", d)
	}
	de, err := s.DeletedEvent(ctx, ev.ID)
	must(t, err)
	if de.Title != "" || de.OnlineURL != "" || de.APID == "" || de.OrgID != org.ID {
		t.Errorf("deleted event after pruning: %+v", de)
	}
	ds, err := s.DeletedStory(ctx, st.ID)
	must(t, err)
	if ds.Title != "" || ds.Summary != "" || ds.Body != "" || ds.APID == "" || ds.OrgID != org.ID {
		t.Errorf("deleted story after pruning: %+v", ds)
	}
	if l, err := s.Listing(ctx, Offer, live.ID); err != nil || l.Title != "Still here" {
		t.Errorf("live listing: %+v, %v", l, err)
	}
	if n, err := s.PruneDeletedBodies(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("second run: pruned %d, %v; want 0", n, err)
	}
}

// TestPrunerRuns checks the job with an injected clock: it prunes at start,
// and again at each tick, with the clock's time.
func TestPrunerRuns(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	org := newTestOrg(t, s, "riverside")
	acc, _, err := s.CreateAccount(ctx, "staff@riverside.example", RoleEditor, org.ID)
	must(t, err)
	_, err = s.CreateSession(ctx, acc.ID, time.Hour)
	must(t, err)
	_, err = s.CreateSession(ctx, acc.ID, 3*time.Hour)
	must(t, err)
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	p := NewPruner(slog.New(slog.NewTextHandler(io.Discard, nil)), now, s.PruneSteps(DefaultRetention)...)
	ticks := make(chan time.Time)
	done := make(chan struct{})
	go func() { p.Run(ctx, ticks); close(done) }()
	ticks <- now() // received once the start-up run is over
	ticks <- now() // and once the first tick's run is over
	if got := countRows(t, s, "sessions"); got != 2 {
		t.Fatalf("%d sessions before their expiry, want 2", got)
	}
	clock.Add(int64(2 * time.Hour))
	ticks <- now()
	close(ticks)
	<-done
	if got := countRows(t, s, "sessions"); got != 1 {
		t.Errorf("%d sessions after the first expired, want 1", got)
	}
}

func countRows(t *testing.T, s *Store, table string) int64 {
	t.Helper()
	var n int64
	must(t, s.DB().Table(table).Count(&n).Error)
	return n
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
