package search

import (
	"math"
	"slices"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// Weights are the shares of the parts of a match score; they add up to 1.
// Lexical, Widened and Concept are the three ways of finding a candidate,
// fused by adding their scores (each from 0 to 1): the subject's own words
// (what plain search weighs; a candidate that it finds first keeps that
// share whatever the others say), the words related to them and those of
// the best first matches, and the closeness of the two texts' concepts and
// themes. Bridge weighs the words translated into the other language.
type Weights struct {
	Lexical, Widened, Concept     float64
	Reach, Freshness, Reciprocity float64
	// ConceptShare is how much of the concept part comes from the closeness
	// of the two texts' concepts rather than from their inferred themes.
	ConceptShare float64
	// OtherLanguage is the share of its score kept by a listing in no
	// language of the subject: many members read both of the network's
	// languages, and only a bridge between them can have found it.
	OtherLanguage float64
	// Bridge is how much finding a candidate by the subject's words
	// translated into its language counts against finding it by the words
	// themselves.
	Bridge float64
}

// DefaultWeights were chosen on testdata/matching/tune and the team's own
// set; testdata/matching/judge and fresh only measure them.
var DefaultWeights = Weights{Lexical: 0.42, Widened: 0.10, Concept: 0.38,
	Reach: 0.04, Freshness: 0.02, Reciprocity: 0.04, ConceptShare: 0.8, OtherLanguage: 0.9, Bridge: 0.6}

// WithWeights replaces the weights of the parts of a match score.
func WithWeights(w Weights) Option { return func(s *Service) { s.weights = w } }

// Tuning of scores.
const (
	minMatchScore = 0.15
	// textSaturation is the share of a text's similarity to itself at which
	// another text counts as fully relevant.
	textSaturation = 0.1
	// freshnessHalfLife is the age at which freshness counts half.
	freshnessHalfLife = 120 * 24 * time.Hour
)

// score weighs one candidate against the subject and explains the result.
// about is what the subject is about, as enriched by its closest matches; the
// reasons only name the subject's own themes.
func (s *Service) score(sub subject, about profileOf, c *candidate, recip reciprocity, now time.Time) Match {
	p := Parts{
		Theme:     themeSimilarity(about.themes, c.themes, about.concepts, c.concepts, s.weights.ConceptShare),
		Text:      c.text,
		Language:  languageFit(sub.langs, c.langs),
		Reach:     reachFit(sub.countries, c.countries, c.formats),
		Freshness: freshness(c.published, now),
	}
	p.Reciprocity = recip.strength
	w := s.weights
	total := w.Lexical*max(c.lex, w.Bridge*c.bridge) + w.Widened*c.wide + w.Concept*p.Theme +
		w.Reach*p.Reach + w.Freshness*p.Freshness + w.Reciprocity*p.Reciprocity
	if p.Language == 0 {
		total *= w.OtherLanguage
	}
	m := Match{Listing: c.ref, Score: total, Parts: p}
	m.Reasons = reasons(sub, c, p, recip.themes, now)
	return m
}

// textScale is the text score that counts as fully relevant: the best
// candidate's, unless even that one shares only a small part of the subject's
// own score (textSaturation), which then sets the scale.
func textScale(self float64, hits []*bsearch.DocumentMatch) float64 {
	scale := self * textSaturation
	if len(hits) > 0 {
		scale = max(scale, hits[0].Score)
	}
	if scale <= 0 {
		return 1
	}
	return scale
}

// themeSimilarity blends the overlap of inferred (or chosen) themes with the
// closeness of the two texts' concepts.
func themeSimilarity(subThemes, candThemes, subConcepts, candConcepts map[string]float64, share float64) float64 {
	return share*cosine(subConcepts, candConcepts) + (1-share)*themeOverlap(subThemes, candThemes)
}

// themeOverlap is the cosine of the two sides' theme weights: 1 when they
// are about the same themes with the same confidence, less when either is
// also about something else.
func themeOverlap(sub, cand map[string]float64) float64 {
	var dot, a, b float64
	for slug, w := range sub {
		a += w * w
		dot += w * cand[slug]
	}
	for _, w := range cand {
		b += w * w
	}
	if a == 0 || b == 0 {
		return 0
	}
	return math.Min(1, dot/math.Sqrt(a*b))
}

// sharedThemes are the themes of both, the subject's surest first.
func sharedThemes(sub, cand map[string]float64) []string {
	var out []string
	for slug := range sub {
		if _, ok := cand[slug]; ok {
			out = append(out, slug)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if d := sub[b] - sub[a]; d != 0 {
			return int(math.Copysign(1, d))
		}
		return compareStrings(a, b)
	})
	return out
}

// languageFit is 1 when both share a language (or one says none), else 0.
func languageFit(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 || len(sharedValues(a, b)) > 0 {
		return 1
	}
	return 0
}

// reachFit is 1 when the candidate can be reached: online, or in a shared
// country, or when a side names no country; less when it is elsewhere.
func reachFit(subCountries, candCountries, formats []string) float64 {
	if slices.Contains(formats, "online") || len(subCountries) == 0 || len(candCountries) == 0 {
		return 1
	}
	if len(sharedValues(subCountries, candCountries)) > 0 {
		return 1
	}
	return 0.2
}

// freshness halves every freshnessHalfLife of age.
func freshness(published, now time.Time) float64 {
	if published.IsZero() {
		return 0.5
	}
	age := max(now.Sub(published), 0)
	return math.Pow(0.5, float64(age)/float64(freshnessHalfLife))
}

// sharedValues are the values in both lists, in a's order.
func sharedValues(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
