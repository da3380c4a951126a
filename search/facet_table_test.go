package search

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// TestFacetTableMatchesBleve: the facets counted from the in-memory table
// equal those counted by Bleve's doc values, on an index of many segments
// (one per batch of changes) with deleted and updated documents, before
// and after its segments are merged.
func TestFacetTableMatchesBleve(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	orgs := []*library.Organization{newOrg(t, store, "alpha", "GB"), newOrg(t, store, "bravo", "FR"), newOrg(t, store, "charlie", "CA")}
	themeSets := [][]string{{"housing"}, {"personnel", "housing"}, nil, {"commissioning", "risk", "children"}}
	var posted []*library.Listing
	for round := range 6 {
		for i := range 7 {
			kind := library.Offer
			if i%2 == 1 {
				kind = library.Need
			}
			l := listing{title: fmt.Sprintf("Support planning %d-%d", round, i), body: "We share how we support families at home.",
				countries: []string{[]string{"GB", "FR", "CA"}[i%3]}, themes: themeSets[(round+i)%len(themeSets)]}
			if i%3 == 1 {
				l.langs = []string{"fr", "en"}
			}
			posted = append(posted, post(t, store, kind, orgs[i%3], l))
		}
		settle(t, store) // each round reaches the index as a batch of its own
		if round%2 == 1 {
			gone := posted[round*3]
			if err := store.DeleteListing(ctx, gone.Kind, gone.ID); err != nil {
				t.Fatal(err)
			}
			title := "Support planning, revised"
			changed := posted[round*5]
			if _, err := store.UpdateListing(ctx, changed.Kind, changed.ID, library.ListingInput{Title: &title}); err != nil {
				t.Fatal(err)
			}
			settle(t, store)
		}
	}
	compare := func(when string) {
		for _, q := range []Query{{}, {Text: "support"}, {Text: "families", Kind: "need"}, {Country: "FR"}} {
			req := bleve.NewSearchRequestOptions(svc.searchQuery(q, false), 10, 0, false)
			fromTable, table, err := searchFaceted(ctx, svc.index(), req, &svc.facets)
			if err != nil {
				t.Fatal(err)
			}
			fromBleve, bleveCounts, err := searchFaceted(ctx, svc.index(), req, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, want := facetsOf(table), facetsOf(bleveCounts)
			if fromTable.Total != fromBleve.Total || fromTable.Total == 0 {
				t.Errorf("%s, %+v: totals %d and %d", when, q, fromTable.Total, fromBleve.Total)
			}
			for name := range want {
				if !maps.Equal(got[name], want[name]) {
					t.Errorf("%s, %+v: facet %s from the table %v, from Bleve %v", when, q, name, got[name], want[name])
				}
			}
			if len(want["theme"]) == 0 || len(want["country"]) == 0 {
				t.Errorf("%s, %+v: facets not counted: %v", when, q, want)
			}
		}
	}
	compare("many segments")
	if err := compact(ctx, svc.index()); err != nil {
		t.Fatal(err)
	}
	compare("merged")
}

// TestFacetTableSegmentsWithHoles: the same, on an index held in memory,
// which Bleve never merges: every batch stays a segment of its own, and
// the documents deleted or replaced keep their numbers in the segments
// before the last.
func TestFacetTableSegmentsWithHoles(t *testing.T) {
	idx, err := bleve.NewUsing("", buildMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	countries, langs := []string{"GB", "FR", "CA", "IE"}, []string{"en", "fr"}
	themeSets := [][]string{{"housing"}, {"personnel", "housing"}, nil, {"commissioning", "risk", "children"}}
	doc := func(i, version int) document {
		kind := []string{"offer", "need", "story"}[i%3]
		return withFacets(document{fKind: kind, fText: fmt.Sprintf("support number %d version %d", i, version),
			fCountry: []string{countries[(i+version)%4]}, fLang: langs[:1+i%2], fThemes: themeSets[(i+version)%4]})
	}
	for batch := range 5 {
		b := idx.NewBatch()
		for i := batch * 20; i < batch*20+20; i++ {
			if err := b.Index(fmt.Sprint(i), doc(i, 0)); err != nil {
				t.Fatal(err)
			}
		}
		if batch >= 2 { // delete from, and replace in, the segments before
			b.Delete(fmt.Sprint(batch*20 - 15))
			if err := b.Index(fmt.Sprint((batch-2)*20+7), doc((batch-2)*20+7, batch)); err != nil {
				t.Fatal(err)
			}
		}
		if err := idx.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	segs, holed := segmentShape(t, idx)
	if segs < 5 || holed < 2 {
		t.Fatalf("%d segments, %d with holes before the last: the test needs more", segs, holed)
	}
	table := &facetTable{}
	for _, text := range []string{"", "support", "version", "1"} {
		var q query.Query = query.NewMatchAllQuery()
		if text != "" {
			m := query.NewMatchQuery(text)
			m.SetField(fText)
			q = m
		}
		req := bleve.NewSearchRequestOptions(q, 5, 0, false)
		fromTable, counted, err := searchFaceted(context.Background(), idx, req, table)
		if err != nil {
			t.Fatal(err)
		}
		fromBleve, bleveCounts, err := searchFaceted(context.Background(), idx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, want := facetsOf(counted), facetsOf(bleveCounts)
		if fromTable.Total != fromBleve.Total || fromTable.Total == 0 || len(want["theme"]) == 0 {
			t.Errorf("%q: totals %d and %d, facets %v", text, fromTable.Total, fromBleve.Total, want)
		}
		for name := range want {
			if !maps.Equal(got[name], want[name]) {
				t.Errorf("%q: facet %s from the table %v, from Bleve %v", text, name, got[name], want[name])
			}
		}
	}
}

// segmentShape counts the segments of an index, and those before the last
// that hold deleted documents (whose numbers still count).
func segmentShape(t *testing.T, idx bleve.Index) (segs, holed int) {
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	all := r.(*scorch.IndexSnapshot).Segments()
	for i, ss := range all {
		if i < len(all)-1 && ss.Deleted() != nil && !ss.Deleted().IsEmpty() {
			holed++
		}
	}
	return len(all), holed
}
