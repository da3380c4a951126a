package search

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/citizen-network/commonplace/themes"
)

// Concepts place a text among the learning topics of the taxonomy by its single
// words, not only by the phrases that theme inference looks for: each topic is
// described by all its labels, synonyms and descriptions in every language,
// and a text is close to a theme as far as it uses words that are typical of
// it (explicit semantic analysis). Two listings about the same things are
// close in this space even when they share few words and inference missed one
// of their themes.

// maxConcepts is how many of a text's strongest concepts are kept.
const maxConcepts = 8

// conceptSpace is the taxonomy as weighted words, for one analyzer.
type conceptSpace struct {
	slugs []string
	terms map[string][]conceptWeight // analysed word -> themes typical of it
}

type conceptWeight struct {
	theme  int
	weight float64
}

// spaces caches a conceptSpace per analyzer name.
var spaces sync.Map

// analyzers builds the analyzers that concepts read texts with; it is safe for
// concurrent use.
var analyzers = registry.NewCache()

// conceptSpaceFor returns the concept space read with the named analyzer.
func conceptSpaceFor(name string) *conceptSpace {
	if v, ok := spaces.Load(name); ok {
		return v.(*conceptSpace)
	}
	a, err := analyzers.AnalyzerNamed(name)
	if err != nil {
		return &conceptSpace{terms: map[string][]conceptWeight{}}
	}
	sp := buildConceptSpace(a, boilerplateTerms(name, a))
	v, _ := spaces.LoadOrStore(name, sp)
	return v.(*conceptSpace)
}

// buildConceptSpace weighs every word of every topic's description by tf·idf
// across topics, each topic's vector scaled to unit length. Only topics count:
// offers and needs are about what is learned, and the groups supported and
// the features of personalised support, which most listings share, blurred
// the space (held-out needs: MRR 0.74 with them, 0.84 without).
func buildConceptSpace(a analysis.Analyzer, stop map[string]bool) *conceptSpace {
	all := themes.ByKind(themes.KindTopic)
	sp := &conceptSpace{terms: map[string][]conceptWeight{}}
	tfs := make([]map[string]int, len(all))
	df := map[string]int{}
	for i, t := range all {
		sp.slugs = append(sp.slugs, t.Slug)
		profile := strings.Join(themes.Terms(t.Slug), " . ")
		for _, d := range t.Description {
			profile += " . " + d
		}
		tfs[i] = termCounts(stop, a.Analyze([]byte(profile)))
		for term := range tfs[i] {
			df[term]++
		}
	}
	n := float64(len(all))
	for i, tf := range tfs {
		var norm float64
		ws := map[string]float64{}
		for term, c := range tf {
			w := (1 + math.Log(float64(c))) * math.Log(n/float64(df[term]))
			ws[term], norm = w, norm+w*w
		}
		norm = math.Sqrt(norm)
		for term, w := range ws {
			if w > 0 && norm > 0 { // never empty: conceptsOf tells terms by their first weight
				sp.terms[term] = append(sp.terms[term], conceptWeight{i, w / norm})
			}
		}
	}
	return sp
}

// termCounts counts the analysed words, leaving out boilerplate.
func termCounts(stop map[string]bool, words analysis.TokenStream) map[string]int {
	out := map[string]int{}
	for _, tok := range words {
		if len(tok.Term) > 1 && !stop[string(tok.Term)] {
			out[string(tok.Term)]++
		}
	}
	return out
}

// concepts returns the text's strongest concepts, as unit-length weights.
func concepts(text, lang string) map[string]float64 {
	name := analyzerFor(lang)
	return conceptsOf(name, analyse(name, text))
}

// analyse returns the words of text as the named analyzer makes them.
func analyse(name, text string) analysis.TokenStream {
	a, err := analyzers.AnalyzerNamed(name)
	if err != nil {
		return nil
	}
	return a.Analyze([]byte(text))
}

// conceptsOf returns the strongest concepts of a text that the named
// analyzer has made into the streams. Only the words of the space count:
// boilerplate and one-letter words are not in it.
func conceptsOf(name string, streams ...analysis.TokenStream) map[string]float64 {
	sp := conceptSpaceFor(name)
	type count struct {
		weights []conceptWeight
		n       int
	}
	var counts []count // few words of a text are in the space
	for _, s := range streams {
		for _, tok := range s {
			ws, ok := sp.terms[string(tok.Term)]
			if !ok {
				continue
			}
			i := slices.IndexFunc(counts, func(c count) bool { return &c.weights[0] == &ws[0] })
			if i < 0 {
				i = len(counts)
				counts = append(counts, count{weights: ws})
			}
			counts[i].n++
		}
	}
	v := make([]float64, len(sp.slugs))
	for _, c := range counts {
		for _, cw := range c.weights {
			v[cw.theme] += (1 + math.Log(float64(c.n))) * cw.weight
		}
	}
	return topConcepts(sp.slugs, v)
}

// topConcepts keeps the strongest maxConcepts dimensions, scaled to unit length.
func topConcepts(slugs []string, v []float64) map[string]float64 {
	idx := make([]int, 0, len(v))
	for i, x := range v {
		if x > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		if v[a] != v[b] {
			return int(math.Copysign(1, v[b]-v[a]))
		}
		return a - b
	})
	idx = idx[:min(len(idx), maxConcepts)]
	var norm float64
	for _, i := range idx {
		norm += v[i] * v[i]
	}
	out := make(map[string]float64, len(idx))
	for _, i := range idx {
		out[slugs[i]] = v[i] / math.Sqrt(norm)
	}
	return out
}

// cosine is the similarity of two unit-length sparse vectors.
func cosine(a, b map[string]float64) float64 {
	var dot float64
	for k, x := range a {
		dot += x * b[k]
	}
	return dot
}

// formatWeights writes weights as "slug=0.83 slug2=0.41", strongest first.
func formatWeights(w map[string]float64) string {
	var b strings.Builder
	for i, k := range strongestFirst(w) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + "=" + strconv.FormatFloat(w[k], 'f', 3, 64))
	}
	return b.String()
}

// strongestFirst returns the keys of m by their values, greatest first, and
// keys of equal values in order.
func strongestFirst[V cmp.Ordered](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}
