package search

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

func TestDebugEval(t *testing.T) {
	if os.Getenv("EVALDEBUG") == "" {
		t.Skip()
	}
	set := loadEvalSet(t)
	ctx := context.Background()
	for key, id := range set.ids {
		kind := library.Offer
		if key[0] == 'n' {
			kind = library.Need
		}
		l, _ := set.svc.store.Listing(ctx, kind, id)
		fmt.Printf("THEMES %s %v\n", key, l.Themes)
	}
	for _, need := range set.needs {
		if os.Getenv("EVALDEBUG") != "all" && os.Getenv("EVALDEBUG") != need.Key {
			continue
		}
		ms, _ := set.svc.Matches(ctx, library.Need, set.ids[need.Key], 60)
		fmt.Printf("== %s want %v\n", need.Key, need.Relevant)
		for _, m := range ms {
			fmt.Printf("   %s %.3f %+v %v\n", set.keys[m.Listing.ID], m.Score, m.Parts, m.Reasons)
		}
	}
}

func TestDebugInfer(t *testing.T) {
	if os.Getenv("EVALDEBUG") == "" {
		t.Skip()
	}
	var needs, offers []evalListing
	readJSON(t, "needs.json", &needs)
	readJSON(t, "offers.json", &offers)
	for _, l := range append(needs, offers...) {
		fmt.Printf("INFER %s %v\n", l.Key, themesInfer(l.Title+"\n"+l.Body, l.Languages[0]))
	}
}

func TestDebugTerms(t *testing.T) {
	if os.Getenv("EVALDEBUG") == "" {
		t.Skip()
	}
	set := loadEvalSet(t)
	for _, need := range set.needs {
		if need.Key != os.Getenv("EVALDEBUG") {
			continue
		}
		field, an := textFieldFor(need.Languages[0])
		fmt.Println(distinctiveTerms(context.Background(), set.svc.index(), need.Title+"\n"+need.Body, field, an))
	}
}

func TestDebugSweep(t *testing.T) {
	if os.Getenv("EVALDEBUG") != "sweep" {
		t.Skip()
	}
	set := loadEvalSet(t)
	ctx := context.Background()
	all := set.needs
	for _, th := range []float64{0.02, 0.05, 0.08} {
		for _, tx := range []float64{0.03, 0.07} {
			set.svc.weights = Weights{Theme: 0.6, Text: 0.2, Reach: tx, Freshness: 0.05, Reciprocity: th, ConceptShare: 0.8}
			var res []metrics
			for half := 0; half < 2; half++ {
				set.needs = nil
				for i, n := range all {
					if i%2 == half {
						set.needs = append(set.needs, n)
					}
				}
				res = append(res, set.evaluate(t, "x", func(t *testing.T, need evalListing) []string {
					ms, _ := set.svc.Matches(ctx, library.Need, set.ids[need.Key], 10)
					var out []string
					for _, m := range ms {
						out = append(out, set.keys[m.Listing.ID])
					}
					return out
				}))
			}
			fmt.Printf("SWEEP recip %.2f reach %.2f  even %.3f/%.3f odd %.3f/%.3f\n", th, tx, res[0].mrr, res[0].recall3, res[1].mrr, res[1].recall3)
		}
	}
}

func TestDebugConcepts(t *testing.T) {
	if os.Getenv("EVALDEBUG") != "concepts" {
		t.Skip()
	}
	var needs, offers []evalListing
	readJSON(t, "needs.json", &needs)
	readJSON(t, "offers.json", &offers)
	for _, l := range append(needs, offers...) {
		fmt.Printf("CONC %s %s\n", l.Key, formatWeights(concepts(l.Title+"\n"+l.Body, l.Languages[0])))
	}
}

func TestDebugRRF(t *testing.T) {
	if os.Getenv("EVALDEBUG") != "rrf" {
		t.Skip()
	}
	set := loadEvalSet(t)
	ctx := context.Background()
	for _, k := range []float64{1, 3, 10, 30} {
		for _, wt := range []float64{0.3, 0.5, 0.7} {
			m := set.evaluate(t, "rrf", func(t *testing.T, need evalListing) []string {
				ms, _ := set.svc.Matches(ctx, library.Need, set.ids[need.Key], 100)
				rank := func(f func(Match) float64) map[string]int {
					c := append([]Match(nil), ms...)
					slices.SortStableFunc(c, func(a, b Match) int {
						if f(a) > f(b) {
							return -1
						}
						if f(a) < f(b) {
							return 1
						}
						return 0
					})
					out := map[string]int{}
					for i, x := range c {
						out[x.Listing.ID] = i + 1
					}
					return out
				}
				rt, rh := rank(func(m Match) float64 { return m.Parts.Text }), rank(func(m Match) float64 { return m.Parts.Theme })
				sc := map[string]float64{}
				for _, x := range ms {
					sc[x.Listing.ID] = wt/(k+float64(rt[x.Listing.ID])) + (1-wt)/(k+float64(rh[x.Listing.ID])) + 0.0001*x.Score
				}
				slices.SortStableFunc(ms, func(a, b Match) int {
					if sc[a.Listing.ID] > sc[b.Listing.ID] {
						return -1
					}
					if sc[a.Listing.ID] < sc[b.Listing.ID] {
						return 1
					}
					return 0
				})
				var out []string
				for _, x := range ms {
					out = append(out, set.keys[x.Listing.ID])
				}
				return out
			})
			fmt.Printf("RRF k=%v wt=%v %.3f %.3f\n", k, wt, m.mrr, m.recall3)
		}
	}
}
