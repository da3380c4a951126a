package library

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestViewerCanSee is the visibility rule as a table: who sees what.
func TestViewerCanSee(t *testing.T) {
	const own, other = "org-own", "org-other"
	cases := []struct {
		name   string
		viewer Viewer
		// sees is the visibilities seen of another organisation's objects, and of an unknown one.
		sees []string
	}{
		{"anonymous", AnonymousViewer, []string{"public"}},
		{"zero viewer is anonymous", Viewer{}, []string{"public"}},
		{"signed peer", PeerViewer, []string{"public", "network"}},
		{"member without organisation", MemberViewer(""), []string{"public", "network", "local"}},
		{"member of another organisation", MemberViewer(other), []string{"public", "network", "local"}},
		{"staff of the owner", MemberViewer(own), []string{"public", "network", "local", "draft"}},
		{"coordinator", Viewer{Kind: Coordinator}, []string{"public", "network", "local", "draft"}},
		{"the node itself", SystemViewer, []string{"public", "network", "local", "draft"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, vis := range []string{"public", "network", "local", "draft"} {
				want := slices.Contains(tc.sees, vis)
				if got := tc.viewer.CanSee(vis, own); got != want {
					t.Errorf("CanSee(%s) = %v, want %v", vis, got, want)
				}
				if err := tc.viewer.Show(&Listing{Visibility: vis, OrgID: own}); (err == nil) != want {
					t.Errorf("Show(%s) = %v, want shown %v", vis, err, want)
				}
			}
		})
	}
}

// TestViewerScope checks that lists keep exactly what CanSee allows.
func TestViewerScope(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	a, b := newTestOrg(t, s, "riverside"), newTestOrg(t, s, "hillside")
	for _, org := range []*Organization{a, b} {
		for _, vis := range Visibilities {
			if _, err := s.CreateListing(ctx, Offer, org.ID, ListingInput{Title: ptr(org.Handle + " " + vis), Visibility: ptr(vis)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, v := range []Viewer{AnonymousViewer, PeerViewer, MemberViewer(""), MemberViewer(a.ID), {Kind: Coordinator}, SystemViewer} {
		items, err := s.Listings(ctx, ListingQuery{Viewer: v})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, org := range []*Organization{a, b} {
			for _, vis := range Visibilities {
				if v.CanSee(vis, org.ID) {
					want++
				}
			}
		}
		var got []string
		for _, l := range items {
			if !v.Sees(&l) {
				t.Errorf("viewer %+v: listed %q, which it may not see", v, l.Title)
			}
			got = append(got, l.Title)
		}
		if len(items) != want {
			t.Errorf("viewer %+v: %d listed (%s), want %d", v, len(items), strings.Join(got, ", "), want)
		}
	}
}
