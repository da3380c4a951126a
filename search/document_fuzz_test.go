package search

import (
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/citizen-network/commonplace/themes"
)

// FuzzThemeWeights reads the theme_weights and concept_weights fields of an
// index document back, as matching does. Properties: every weight is a
// number between 0 and 1 (a stored NaN, infinity or out-of-range value must
// not poison a match score); writing the weights out as the index does and
// reading them again gives the same slugs and the same weights to the
// precision written: within half a unit of the last decimal written (a
// weight of 0.125 written to two decimals reads back as 0.12, 0.005 away,
// which the float difference exceeds by 4e-18).
func FuzzThemeWeights(f *testing.F) {
	for _, s := range []string{"housing=1.00 employment=0.83", "person-centred-planning=0.41", "", "a", "a= b=x",
		"c=0.512 d=0.101 e=0.000", "dup=0.3 dup=0.4", "=0.5"} {
		f.Add(s)
	}
	for _, text := range []string{"We help people find a home and a job.", "Nous accompagnons les aidants."} {
		_, w := themeFields(nil, themes.Infer(text, "en"))
		f.Add(w)
		f.Add(formatWeights(concepts(text, "en")))
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := parseThemeWeights(s)
		for k, v := range m {
			if math.IsNaN(v) || v < 0 || v > 1 {
				t.Fatalf("%q: weight %v for %q", s, v, k)
			}
		}
		checkWeightsRoundTrip(t, m, parseThemeWeights(formatWeights(m)), 0.0005+1e-9)
		slugs := slices.Sorted(maps.Keys(m))
		var scored []themes.Score
		for _, k := range slugs {
			scored = append(scored, themes.Score{Slug: k, Score: m[k]})
		}
		_, w := themeFields(slugs, scored)
		checkWeightsRoundTrip(t, m, parseThemeWeights(w), 0.005+1e-9)
	})
}

func checkWeightsRoundTrip(t *testing.T, want, got map[string]float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("round trip: %v became %v", want, got)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || math.Abs(g-v) > tol {
			t.Fatalf("round trip: %q %v became %v", k, v, g)
		}
	}
}
