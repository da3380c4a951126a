package search

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

// TestFeaturesReadBySegment: the table read segment by segment holds what
// reading each document whole gives, for the live version of every
// organisation, offer and need (an updated listing's old version is left).
func TestFeaturesReadBySegment(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	a, b := newOrg(t, store, "alpha", "GB"), newOrg(t, store, "bravo", "FR")
	post(t, store, library.Offer, a, listing{title: "Tenancy support", body: "Landlords and tenancy agreements.", formats: []string{"online"}})
	n := post(t, store, library.Need, b, listing{title: "Logement", body: "Trouver un logement pour des adultes autistes.", langs: []string{"fr"}, countries: []string{"FR", "BE"}})
	settle(t, store)
	title := "Logement autonome"
	if _, err := store.UpdateListing(ctx, library.Need, n.ID, library.ListingInput{Title: &title}); err != nil {
		t.Fatal(err)
	}
	post(t, store, library.Offer, b, listing{title: "Budgets", body: "Individual service funds and accounting.", themes: []string{"financial-management"}})
	settle(t, store)
	idx, _ := svc.reader()
	got, err := loadFeatures(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := openReader(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := newFeatures()
	for _, kind := range []library.ObjectKind{library.KindOrganization, library.KindOffer, library.KindNeed} {
		if err := want.read(ctx, r, kind); err != nil {
			t.Fatal(err)
		}
	}
	if g, w := slices.Sorted(maps.Keys(got.listings)), slices.Sorted(maps.Keys(want.listings)); !slices.Equal(g, w) || len(w) != 3 {
		t.Fatalf("listings %v, want %v", g, w)
	}
	for id := range want.listings {
		kind, _ := splitDocID(id)
		g, _ := got.candidate(id, library.ListingKind(kind))
		w, _ := want.candidate(id, library.ListingKind(kind))
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %+v, want %+v", id, g, w)
		}
	}
	if !reflect.DeepEqual(got.orgs, want.orgs) || len(want.orgs) != 2 {
		t.Errorf("orgs %v, want %v", got.orgs, want.orgs)
	}
}
