package search

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestFeaturesMirrorIndex checks that the features matching keeps in memory
// are what the index holds, however they were made: by a rebuild, by
// changes (creations, updates, deletions), or read back from the index.
func TestFeaturesMirrorIndex(t *testing.T) {
	set := loadEvalSet(t)
	ctx := context.Background()
	store, svc := set.svc.store, set.svc
	title := "Values-based recruitment, now also for volunteers"
	if _, err := store.UpdateListing(ctx, library.Offer, set.ids["o01"], library.ListingInput{Title: &title}); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteListing(ctx, library.Offer, set.ids["o02"]); err != nil {
		t.Fatal(err)
	}
	settle(t, store)
	assertMirror(t, svc, "after changes")
	if err := svc.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	assertMirror(t, svc, "after a rebuild")
}

// assertMirror compares the service's features with those read from its index.
func assertMirror(t *testing.T, svc *Service, when string) {
	t.Helper()
	idx, kept := svc.reader()
	read, err := loadFeatures(context.Background(), idx)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept.listings) != len(read.listings) || len(kept.orgs) != len(read.orgs) {
		t.Fatalf("%s: %d listings and %d organisations kept, %d and %d in the index",
			when, len(kept.listings), len(kept.orgs), len(read.listings), len(read.orgs))
	}
	for id := range read.listings {
		kind, _ := splitDocID(id)
		a, _ := kept.candidate(id, library.ListingKind(kind))
		b, _ := read.candidate(id, library.ListingKind(kind))
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %s kept as %+v, indexed as %+v", when, id, a, b)
		}
	}
	for id, o := range read.orgs {
		if kept.orgs[id].offers == nil && o.offers != nil || !reflect.DeepEqual(kept.orgs[id], o) {
			t.Errorf("%s: organisation %s kept as %+v, indexed as %+v", when, id, kept.orgs[id], o)
		}
	}
}

// TestRebuildGathersOpenThemes holds that a rebuild, which gathers the
// themes of what each organisation has open from the listings it reads,
// gives organisations the same themes as indexing each alone, which reads
// them from the database: closed, expired and deleted listings left out.
func TestRebuildGathersOpenThemes(t *testing.T) {
	set := loadEvalSet(t)
	ctx := context.Background()
	store, svc := set.svc.store, set.svc
	closed := "closed"
	if _, err := store.UpdateListing(ctx, library.Offer, set.ids["o01"], library.ListingInput{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteListing(ctx, library.Offer, set.ids["o02"]); err != nil {
		t.Fatal(err)
	}
	if err := store.DB().Model(&library.Listing{}).Where("id = ?", set.ids["n01"]).Update("expires_at", time.Now().Add(-time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
	alone, err := loadOrganizations(ctx, svc, store.DB())
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, kept := svc.reader()
	themesOf := func(list []string) []string { return slices.Sorted(slices.Values(list)) }
	checked := 0
	for id, d := range alone {
		offers, needs := themesOf(strings.Fields(str(d[fOffersAbout]))), themesOf(strings.Fields(str(d[fNeedsAbout])))
		o := kept.orgs[id]
		if !slices.Equal(themesOf(o.offers), offers) || !slices.Equal(themesOf(o.needs), needs) {
			t.Errorf("organisation %s: rebuilt with %v / %v, alone %v / %v", id, o.offers, o.needs, offers, needs)
		}
		if len(offers)+len(needs) > 0 {
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d organisations have open themes", checked)
	}
}
