package search

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestSweepWeights is the tool the weights were chosen with, on a set that
// may guide changes: COMMONPLACE_SWEEP_SET=tune
// COMMONPLACE_SWEEP="lexical,widened,concept,otherLanguage,bridge;..."
// prints MRR and recall@3 for each list of weights. Never run it on a set
// that only measures.
func TestSweepWeights(t *testing.T) {
	if os.Getenv("COMMONPLACE_SWEEP") == "" {
		t.Skip("set COMMONPLACE_SWEEP")
	}
	set := loadLabelledSet(t, os.Getenv("COMMONPLACE_SWEEP_SET"))
	for _, spec := range strings.Split(os.Getenv("COMMONPLACE_SWEEP"), ";") {
		f := strings.Split(spec, ",")
		w := DefaultWeights
		v := make([]float64, len(f))
		for i := range f {
			v[i], _ = strconv.ParseFloat(f[i], 64)
		}
		w.Lexical, w.Widened, w.Concept = v[0], v[1], v[2]
		if len(v) > 3 {
			w.OtherLanguage = v[3]
		}
		if len(v) > 4 {
			w.Bridge = v[4]
		}
		set.svc.weights = w
		m := set.evaluate(t, "sweep", set.matcherRanking(t))
		fmt.Printf("%-24s MRR %.3f R@3 %.3f  fr %.3f %.3f\n", spec, m.all.mrr, m.all.recall3, m.french.mrr, m.french.recall3)
	}
}
