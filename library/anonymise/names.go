package anonymise

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameSpan is a stretch of a view judged to be a person's name.
type nameSpan struct {
	s, e   int      // offsets in the view
	words  []string // the name's words as written, particles left out
	titled bool     // follows Mr, Dr, Sister...
}

// context is what surrounds a run of capitalised words.
type context struct {
	det, loc        bool // after "the", "a"...; after "in", "from"... or an address
	afterAddress    bool // straight after an address or postcode: a town
	verb, looseVerb bool // followed by "said"...; by "is", "has"...
	number          bool // followed by a number: Line 1, Ward 7, May 2021
	adjective       bool // followed by "man", "food"...: Anishinaabe man
	eponym          bool // followed by "syndrome", "disease"...
	possessive      bool
}

// findNames returns the names of one view, and the unknown words it took
// for places (for the risk warnings).
func (g *gazetteer) findNames(text string, heading bool, lang language) ([]nameSpan, []string) {
	words := tokenize(text, heading)
	g.classify(words, lang)
	var names []nameSpan
	var places []string
	for i := 0; i < len(words); {
		j := runEnd(words, i)
		if j == i {
			i++
			continue
		}
		n, p := judgeRun(text, words, i, j)
		names = append(names, n...)
		places = append(places, p...)
		i = j
	}
	return names, places
}

func capitalised(w word) bool {
	r, _ := utf8.DecodeRuneInString(w.text)
	return unicode.IsUpper(r)
}

// runEnd returns the end of the run of capitalised words starting at i, with
// lower-case particles inside it, or i when no run starts there.
func runEnd(words []word, i int) int {
	if words[i].cls == clsLower || !capitalised(words[i]) {
		return i
	}
	j := i + 1
	for j < len(words) && !words[j-1].possessive {
		k := j
		for k < len(words) && words[k].joined && words[k].cls == clsParticle && !capitalised(words[k]) {
			k++
		}
		if k == len(words) || !words[k].joined || words[k].cls == clsLower || !capitalised(words[k]) {
			break
		}
		j = k + 1
	}
	return j
}

// judgeRun decides which words of the run words[i:j] are names.
func judgeRun(text string, words []word, i, j int) ([]nameSpan, []string) {
	k := i
	if words[k].initial && k+1 < j && isPlain(words[k].cls) {
		k++ // "Then Aisha": the first word is capitalised only because it starts the sentence
	}
	titled := false
	for k < j && words[k].cls == clsTitle {
		titled, k = true, k+1
	}
	if k == j {
		return nil, nil
	}
	if titled {
		return []nameSpan{makeSpan(words, k, titledEnd(words, k, j), true)}, nil
	}
	if orgEnds[words[j-1].lower] || placeStarts[words[k].lower] && k+1 < j {
		return nil, nil
	}
	sandwichPlaces(words, k, j)
	return judgeSubRuns(text, words, k, j)
}

// judgeSubRuns splits words[k:j] at the words that are never names and
// judges each stretch of name-like words.
func judgeSubRuns(text string, words []word, k, j int) ([]nameSpan, []string) {
	ctx := runContext(text, words, k, j)
	contaminated := false
	for x := k; x < j; x++ {
		contaminated = contaminated || isPlain(words[x].cls)
	}
	var names []nameSpan
	var places []string
	for a := k; a < j; {
		if isPlain(words[a].cls) {
			a++
			continue
		}
		b := a
		for b < j && !isPlain(words[b].cls) {
			b++
		}
		c := ctx
		if a != k {
			c.det, c.loc, c.afterAddress = false, false, false
		}
		if b != j {
			c.verb, c.looseVerb, c.possessive, c.number, c.eponym = false, false, false, false, false
		}
		switch isName, isPlace := judgeSubRun(words[a:b], c, contaminated); {
		case isName:
			if surnameWord(words, a, b, j) {
				b++ // "Thierry Baud", "Geneviève Paradis": a surname that is also a word
			}
			names = append(names, makeSpan(words, a, b, false))
		case isPlace:
			places = append(places, text[words[a].s:words[b-1].e])
		}
		a = b
	}
	return names, places
}

// surnameWord reports whether words[b], an ordinary capitalised word right
// after a lone known given name words[a:b], is that person's surname.
func surnameWord(words []word, a, b, j int) bool {
	if b-a != 1 || b >= j || words[a].cls != clsStrong {
		return false
	}
	w := words[b]
	return w.cls == clsCommon && w.joined && !w.initial && !orgEnds[w.lower] && !functionWords[w.lower] &&
		!keepWords[w.lower] && !conditionWords[w.lower] && !peopleNouns[w.lower] && utf8.RuneCountInString(w.text) > 2
}

// sandwichPlaces treats a place between two names as part of the name:
// "Tsang Wai Ling", where Wai is also a town.
func sandwichPlaces(words []word, k, j int) {
	for x := k + 1; x < j-1; x++ {
		if words[x].cls == clsPlace && words[x-1].cls.nameish() && words[x+1].cls.nameish() {
			words[x].cls = clsAmbiguous
		}
	}
}

// isPlain reports whether a word of class c is never part of a name.
func isPlain(c class) bool {
	return c == clsCommon || c == clsAcronym || c == clsPlace || c == clsLower
}

// titledEnd returns the end of the name after a title: the next words up to
// an acronym or an organisation word.
func titledEnd(words []word, k, j int) int {
	e := k
	for e < j && words[e].cls != clsAcronym && !orgEnds[words[e].lower] {
		e++
	}
	if e == k {
		e = k + 1
	}
	return e
}

func runContext(text string, words []word, k, j int) context {
	var c context
	if k > 0 && !words[k].initial && words[k].joined {
		prev := words[k-1].lower
		c.det, c.loc = determiners[prev], locatives[prev]
		c.adjective = languageVerbs[prev]
	}
	if k > 0 && !words[k].initial && text[words[k-1].e:words[k].s] == ", " && words[k-1].cls == clsPlace {
		c.loc = true // "Halifax, Nova Scotia"
	}
	before := strings.TrimRight(text[:words[k].s], " ,")
	if strings.HasSuffix(before, placeholders[KindAddress]) || strings.HasSuffix(before, placeholders[KindPostcode]) {
		c.loc, c.afterAddress = true, true
	}
	c.possessive = words[j-1].possessive
	if j < len(words) && !words[j].initial {
		next := words[j]
		c.verb = nameVerbs[next.lower]
		c.looseVerb = c.verb || looseVerbs[next.lower]
		c.number = next.number && next.joined
		c.eponym = conditionWords[next.lower]
		c.adjective = c.adjective || peopleNouns[next.lower] && next.joined
	}
	return c
}

// judgeSubRun decides whether consecutive name-like words are a name, or
// an unknown place.
func judgeSubRun(ws []word, c context, contaminated bool) (isName, isPlace bool) {
	strong, loose, count := false, false, 0
	for _, w := range ws {
		if w.cls == clsParticle {
			continue
		}
		count++
		strong = strong || w.cls == clsStrong
		loose = loose || w.cls == clsWeak || w.cls == clsUnknown || w.cls == clsAmbiguous
	}
	switch {
	case count == 0 || c.eponym || count > 5 && !strong:
		return false, false
	case c.afterAddress:
		return false, hasUnknown(ws)
	case strong:
		return true, false
	case contaminated || c.number:
		return false, false
	case count >= 2:
		if c.loc {
			return false, hasUnknown(ws)
		}
		return loose && !c.det, false
	}
	return judgeWord(ws[len(ws)-1], c)
}

// hasUnknown reports whether a word is in no list: a place too small for
// the gazetteers, which the risk warnings mention.
func hasUnknown(ws []word) bool {
	for _, w := range ws {
		if w.cls == clsUnknown {
			return true
		}
	}
	return false
}

// judgeWord decides a lone capitalised word that is not a certain name.
func judgeWord(w word, c context) (isName, isPlace bool) {
	switch w.cls {
	case clsWeak:
		if w.initial {
			return c.verb || c.possessive, false
		}
		return !c.det && !c.loc, false
	case clsTime:
		return c.verb, false
	case clsAmbiguous, clsUnknown:
		if c.adjective {
			return false, false
		}
		if c.loc {
			return false, w.cls == clsUnknown
		}
		if w.initial {
			return c.looseVerb || c.possessive, false
		}
		return !c.det, false
	case clsProper:
		return w.initial && c.verb, false
	}
	return false, false
}

func makeSpan(words []word, a, b int, titled bool) nameSpan {
	for a < b-1 && words[a].cls == clsParticle {
		a++
	}
	for b > a+1 && words[b-1].cls == clsParticle {
		b--
	}
	sp := nameSpan{s: words[a].s, e: words[b-1].e, titled: titled}
	for _, w := range words[a:b] {
		if w.cls != clsParticle {
			sp.words = append(sp.words, w.text)
		}
	}
	return sp
}
