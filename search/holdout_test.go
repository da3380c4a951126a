package search

import (
	"context"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

// TestMatchingHoldout measures the matcher on needs written and labelled after
// its weights were chosen (testdata/matching/holdout_needs.json), against the
// same offers: the honest estimate of how it does on new needs. It must still
// beat plain full-text search there.
func TestMatchingHoldout(t *testing.T) {
	set := loadEvalSet(t)
	var hold []evalListing
	readJSON(t, "holdout_needs.json", &hold)
	for _, e := range hold {
		l := post(t, set.svc.store, library.Need, &library.Organization{ID: set.orgIDs[e.Org]},
			listing{title: e.Title, body: e.Body, langs: e.Languages, countries: e.Countries})
		set.ids[e.Key], set.keys[l.ID] = l.ID, e.Key
	}
	settle(t, set.svc.store)
	set.needs = hold
	ctx := context.Background()
	matcher := set.evaluate(t, "held-out", func(t *testing.T, need evalListing) []string {
		ms, err := set.svc.Matches(ctx, library.Need, set.ids[need.Key], 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, set.keys[m.Listing.ID])
		}
		return out
	})
	plain := set.evaluate(t, "plain", func(t *testing.T, need evalListing) []string { return set.plainSearch(t, need) })
	t.Logf("%d held-out needs: matcher MRR %.3f recall@3 %.3f; plain full-text MRR %.3f recall@3 %.3f",
		len(hold), matcher.mrr, matcher.recall3, plain.mrr, plain.recall3)
	if matcher.mrr <= plain.mrr || matcher.recall3 <= plain.recall3 {
		t.Errorf("on held-out needs the matcher does not beat plain search")
	}
}
