package search

import (
	"context"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

// TestDocFreqCacheFollowsTheIndex: the cache answers what the index holds
// now, never a count of before a change; and it answers what docFreqs does.
func TestDocFreqCacheFollowsTheIndex(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	a := newOrg(t, store, "alpha", "GB")
	post(t, store, library.Offer, a, listing{title: "Tenancy support", body: "Landlords and tenancy agreements."})
	settle(t, store)
	field, _ := textFieldFor(library.KindOffer, "en")
	terms := map[string]int{"tenanc": 1, "landlord": 1, "garden": 1}
	idx, feats := svc.reader()
	first := feats.dfs.docFreqs(ctx, idx, field, terms)
	if want := docFreqs(ctx, idx, field, terms); !sameCounts(first, want) {
		t.Fatalf("cached %v, index %v", first, want)
	}
	post(t, store, library.Offer, a, listing{title: "Garden tenancy", body: "A tenancy of allotments for a community garden."})
	settle(t, store)
	idx, feats = svc.reader()
	second := feats.dfs.docFreqs(ctx, idx, field, terms)
	want := docFreqs(ctx, idx, field, terms)
	if !sameCounts(second, want) || second["garden"] != first["garden"]+1 {
		t.Fatalf("after a change: cached %v, index %v (before %v)", second, want, first)
	}
}

func sameCounts(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
