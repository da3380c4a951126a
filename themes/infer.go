package themes

import (
	"math"
	"slices"
	"strings"
)

// Score is a topic inferred from a text, with a confidence in (0,1].
type Score struct {
	Slug  string
	Score float64
}

// Tuning of Infer. A phrase says more than a word; terms marked strong in the
// taxonomy ("individual service fund") count double, weak ones ("budget") less
// than half; a word listed under several topics is shared out between them.
const (
	weightWord     = 1.0
	weightPair     = 1.7 // two-word phrase
	weightPhrase   = 2.3 // three words or more
	factorStrong   = 2.0
	factorWeak     = 0.4
	factorLangHint = 1.15 // term in the language the caller suggested
	factorRepeat   = 0.3  // each further occurrence of a term already counted
	scale          = 1.5  // evidence giving a confidence of 1-1/e
	minConfidence  = 0.3  // below this a topic is noise
	minShareOfBest = 0.2  // evidence relative to the best topic
	maxResults     = 5
	maxPhrase      = 8 // longest phrase indexed, in words
)

// Infer returns the learning topics (KindTopic only) a free text is most
// likely about, best first: at most five, each above a noise threshold, and
// none at all for a text about something else. It reads English and French
// (and a little Spanish, German and Dutch) whatever lang says; lang, a BCP 47
// tag or "", only favours terms of that language slightly. Infer is
// deterministic and safe for concurrent use.
func Infer(text, lang string) []Score {
	return taxonomy.index.infer(text, lang)
}

// match is an occurrence of an entry in a text, covering tokens [start, end).
type match struct {
	start, end, entry int
}

// infer scores the text's tokens against the index; see Infer.
func (ix *index) infer(text, lang string) []Score {
	toks := ix.tokens(text)
	matches := ix.matches(toks)
	sums := make([]float64, len(ix.topics))
	hint := ix.langBit[primaryLang(lang)]
	for i, m := range matches {
		if contained(m, matches) {
			continue
		}
		e := ix.entries[m.entry]
		w := e.weight
		if e.langs&hint != 0 {
			w *= factorLangHint
		}
		if seenBefore(m.entry, matches[:i]) {
			w *= factorRepeat
		}
		sums[e.topic] += w
	}
	return ix.rank(sums)
}

// tokens returns the stem ids of the text; words the index does not know get -1.
func (ix *index) tokens(text string) []int32 {
	var out []int32
	eachStem(normalise(make([]byte, 0, len(text)+8), text), func(st []byte) {
		id, ok := ix.dict[string(st)]
		if !ok {
			id = -1
		}
		out = append(out, id)
	})
	return out
}

// matches finds every entry occurring in toks.
func (ix *index) matches(toks []int32) []match {
	var out []match
	for i, id := range toks {
		if id < 0 {
			continue
		}
		for _, ei := range ix.byFirst[id] {
			p := ix.entries[ei].toks
			if i+len(p) <= len(toks) && slices.Equal(toks[i:i+len(p)], p) {
				out = append(out, match{start: i, end: i + len(p), entry: ei})
			}
		}
	}
	return out
}

// contained reports whether m lies inside a longer match, as "advocacy" does
// inside "self advocacy": the longer reading wins.
func contained(m match, all []match) bool {
	for _, o := range all {
		if o.start <= m.start && m.end <= o.end && o.end-o.start > m.end-m.start {
			return true
		}
	}
	return false
}

// seenBefore reports whether the entry already matched earlier in the text.
func seenBefore(entry int, earlier []match) bool {
	for _, o := range earlier {
		if o.entry == entry {
			return true
		}
	}
	return false
}

// rank turns evidence per topic into the sorted, thresholded result.
func (ix *index) rank(sums []float64) []Score {
	best := 0.0
	for _, s := range sums {
		best = max(best, s)
	}
	var out []Score
	for t, s := range sums {
		conf := 1 - math.Exp(-s/scale)
		if s > 0 && conf >= minConfidence && s >= minShareOfBest*best {
			out = append(out, Score{Slug: ix.topics[t], Score: conf})
		}
	}
	slices.SortStableFunc(out, func(a, b Score) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	if len(out) > maxResults {
		out = out[:maxResults]
	}
	return out
}

// primaryLang returns the primary language subtag of a BCP 47 tag, lowercased.
func primaryLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}
