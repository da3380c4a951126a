package search

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// evalListing is an offer or a need of the labelled set in testdata/matching.
type evalListing struct {
	Key       string   `json:"key"`
	Org       string   `json:"org"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Languages []string `json:"languages"`
	Countries []string `json:"countries"`
	Formats   []string `json:"formats"`
	Relevant  []string `json:"relevant"`
}

// evalSet is the labelled set loaded into a real store and index.
type evalSet struct {
	svc    *Service
	needs  []evalListing
	ids    map[string]string // key -> listing id
	keys   map[string]string // listing id -> key
	orgIDs map[string]string // handle -> id
}

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "matching", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// loadEvalSet posts every organisation, offer and need through the store, so
// that themes are inferred as in production, and waits for the index.
func loadEvalSet(t *testing.T) *evalSet {
	store := newTestStore(t)
	set := &evalSet{svc: newTestService(t, store), ids: map[string]string{}, keys: map[string]string{}, orgIDs: map[string]string{}}
	var orgs []library.OrganizationInput
	var offers []evalListing
	readJSON(t, "organizations.json", &orgs)
	readJSON(t, "offers.json", &offers)
	readJSON(t, "needs.json", &set.needs)
	for _, in := range orgs {
		o, err := store.CreateOrganization(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		set.orgIDs[o.Handle] = o.ID
	}
	for _, part := range []struct {
		kind library.ListingKind
		ls   []evalListing
	}{{library.Offer, offers}, {library.Need, set.needs}} {
		kind, ls := part.kind, part.ls
		for _, e := range ls {
			l := post(t, store, kind, &library.Organization{ID: set.orgIDs[e.Org]},
				listing{title: e.Title, body: e.Body, langs: e.Languages, countries: e.Countries, formats: e.Formats})
			set.ids[e.Key], set.keys[l.ID] = l.ID, e.Key
		}
	}
	settle(t, store)
	return set
}

// metrics are mean reciprocal rank and mean recall in the top 3.
type metrics struct{ mrr, recall3 float64 }

// rankFunc returns the keys of the offers proposed for a need, best first.
type rankFunc func(t *testing.T, need evalListing) []string

func (set *evalSet) evaluate(t *testing.T, name string, rank rankFunc) metrics {
	var m metrics
	for _, need := range set.needs {
		got := rank(t, need)
		rr, hits := 0.0, 0
		for i, k := range got {
			if slices.Contains(need.Relevant, k) {
				if rr == 0 {
					rr = 1 / float64(i+1)
				}
				if i < 3 {
					hits++
				}
			}
		}
		m.mrr += rr
		m.recall3 += float64(hits) / float64(len(need.Relevant))
		if testing.Verbose() && (rr < 1 || hits < len(need.Relevant)) {
			t.Logf("%-8s %s want %v got %v", name, need.Key, need.Relevant, got[:min(len(got), 5)])
		}
	}
	n := float64(len(set.needs))
	return metrics{m.mrr / n, m.recall3 / n}
}

// TestMatchingQuality is acceptance 1 of issue 4: on the labelled set, the
// matcher beats plain full-text search of the need's own text.
func TestMatchingQuality(t *testing.T) {
	set := loadEvalSet(t)
	ctx := context.Background()
	matcher := set.evaluate(t, "matcher", func(t *testing.T, need evalListing) []string {
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
	plain := set.evaluate(t, "plain", func(t *testing.T, need evalListing) []string {
		return set.plainSearch(t, need)
	})
	endpoint := set.evaluate(t, "search", func(t *testing.T, need evalListing) []string {
		res, err := set.svc.Search(ctx, Query{Text: need.Title + "\n" + need.Body, Kind: "offer", Lang: need.Languages[0], Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			if h.Org.Handle != need.Org {
				out = append(out, set.keys[h.ID])
			}
		}
		return out
	})
	t.Logf("%d needs, %d offers", len(set.needs), len(set.ids)-len(set.needs))
	t.Logf("matcher /matches:              MRR %.3f  recall@3 %.3f", matcher.mrr, matcher.recall3)
	t.Logf("plain full-text of the need:   MRR %.3f  recall@3 %.3f", plain.mrr, plain.recall3)
	t.Logf("/search (same text as a query): MRR %.3f  recall@3 %.3f", endpoint.mrr, endpoint.recall3)
	if matcher.mrr < minMRR || matcher.recall3 < minRecall3 {
		t.Errorf("below the floor: MRR %.3f (floor %.2f), recall@3 %.3f (floor %.2f)", matcher.mrr, minMRR, matcher.recall3, minRecall3)
	}
	if matcher.mrr <= plain.mrr || matcher.recall3 <= plain.recall3 {
		t.Errorf("matcher does not beat plain search")
	}
}

// Floors on the team's set, where the matcher now scores MRR 0.81 and
// recall@3 0.74. Issue 4's goals (0.85, 0.90) were met by weights chosen on
// this same set; those weights did far worse on sets written by others
// (TestLabelledSets), and matching is now tuned for those.
const (
	minMRR     = 0.78
	minRecall3 = 0.70
)

// plainSearch is the baseline: the need's own text as a full-text query over
// the open offers (any language, and stemmed in the need's language), without
// themes or synonyms, leaving out the need's own organisation.
func (set *evalSet) plainSearch(t *testing.T, need evalListing) []string {
	text := need.Title + "\n" + need.Body
	field, _ := textFieldFor(library.KindOffer, need.Languages[0])
	q := query.NewConjunctionQuery([]query.Query{termQuery(fKind, "offer"),
		query.NewDisjunctionQuery([]query.Query{match(text, fText, 1, false), match(text, field, 1, false)})})
	req := bleve.NewSearchRequestOptions(q, 20, 0, false)
	req.Fields = []string{fOrgHandle}
	res, err := set.svc.index().Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		if !strings.EqualFold(str(h.Fields[fOrgHandle]), need.Org) {
			_, id := splitDocID(h.ID)
			out = append(out, set.keys[id])
		}
	}
	return out
}
