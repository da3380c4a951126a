package library

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestChangeLogUnderConcurrentWrites: a subscriber sees every change that
// concurrent writers commit. On PostgreSQL a sequence hands out numbers in
// the order transactions insert, not the order they commit, so a reader
// could pass a number whose transaction had not committed yet and never
// see it (two offers of 1,000 were never federated before the change log
// took a lock).
func TestChangeLogUnderConcurrentWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 400 listings")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newTestStore(t)
	org := newTestOrg(t, s, "riverside")
	var mu sync.Mutex
	seen := map[string]bool{}
	s.Subscribe("test", func(_ context.Context, b []Change) error {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range b {
			seen[c.ObjectID] = true
		}
		return nil
	})
	s.feed.poll = time.Millisecond
	go s.RunSubscribers(ctx)
	const writers, each = 8, 50
	var wg sync.WaitGroup
	ids := make(chan string, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				l, err := s.CreateListing(ctx, Offer, org.ID, ListingInput{Title: ptr(fmt.Sprintf("Offer %d.%d", w, i))})
				if err != nil {
					t.Error(err)
					return
				}
				ids <- l.ID
			}
		}()
	}
	wg.Wait()
	close(ids)
	if err := s.WaitSubscribers(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	missed := 0
	for id := range ids {
		if !seen[id] {
			missed++
		}
	}
	if missed > 0 {
		t.Fatalf("the subscriber missed %d of %d changes", missed, writers*each)
	}
}
