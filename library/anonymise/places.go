package anonymise

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// findPlaces generalises places below the size of a city, found in the
// GeoNames towns: "Llanrwst" becomes "a village in Wales", "à Landivisiau"
// "dans un village". Cities, regions and countries stay. A place whose
// name is also a word or a person's name ("Alma", "Walker") counts only
// after "in", "from", "à"...
func findPlaces(r *run, text string) []hit {
	g := r.a.gaz
	words := tokenize(text, false)
	var out []hit
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w.number || !unicode.IsUpper(firstUpperAfterElision(w.text)) {
			continue
		}
		if len(w.text) <= 2 && !saintWords[w.lower] && (i+1 >= len(words) || !words[i+1].joined || !capitalised(words[i+1])) {
			continue // WA, NY: a state, and no place's description fits in five times two letters
		}
		k, t, ok := longestTown(g, text, words, i)
		if !ok {
			if k, ok := unknownPlace(r, text, words, i); ok {
				out = append(out, placeHit(r, text, words, i, k, town{}))
				i = k
			}
			continue
		}
		if !t.small() || !placeContext(r, text, words, i, k) {
			i = k
			continue
		}
		out = append(out, placeHit(r, text, words, i, k, t))
		i = k
	}
	return out
}

// longestTown returns the last word of the longest run of up to four words
// from i that names a town.
func longestTown(g *gazetteer, text string, words []word, i int) (int, town, bool) {
	start := words[i].s
	if rest, ok := elided(words[i].lower); ok {
		start = words[i].e - len(rest)
	}
	for k := min(len(words)-1, i+3); k >= i; k-- {
		if !townGaps(text, words, i, k) {
			continue
		}
		name := strings.ToLower(text[start:words[k].e])
		if regionWords[name] || keepWords[name] || timeNames[name] || monthIndex[name] > 0 {
			continue
		}
		if t, ok := g.town(name); ok && capitalised(word{text: words[k].text}) {
			return k, t, true
		}
	}
	return 0, town{}, false
}

// townGaps reports whether words[i..k] are joined as a place name is: by
// single spaces, or ". " after St.
func townGaps(text string, words []word, i, k int) bool {
	for x := i + 1; x <= k; x++ {
		gap := text[words[x-1].e:words[x].s]
		if gap != " " && !(gap == ". " && abbreviations[words[x-1].lower]) {
			return false
		}
	}
	return true
}

// placeContext decides whether words[i..k], a small town's name, are that
// town here. A name that is also a word, a person's name or the first word
// of a sentence needs a word of place before it.
func placeContext(r *run, text string, words []word, i, k int) bool {
	g := r.a.gaz
	if i > 0 && (words[i-1].cls == clsTitle || titles[words[i-1].lower]) {
		return false
	}
	if k+1 < len(words) && capitalised(words[k+1]) && text[words[k].e:words[k+1].s] == " " {
		return false // part of a longer name: "Walker Hall"
	}
	if i > 0 && capitalised(words[i-1]) && !words[i].initial && text[words[i-1].e:words[i].s] == " " &&
		!(words[i-1].initial && functionWords[words[i-1].lower]) {
		return false // "Priya Raman", "Nova Scotia"
	}
	ambiguous, name := words[i].initial, false
	for x := i; x <= k; x++ {
		l := words[x].lower
		if rest, ok := elided(l); ok {
			l = rest
		}
		name = name || g.isName(l)
		if g.isWord(l, r.lang) || g.isName(l) || functionWords[l] || particles[l] {
			ambiguous = true
		}
	}
	if !ambiguous {
		return true
	}
	if _, ok := elided(words[i].lower); ok {
		return true // d'Ussel
	}
	if i == 0 || words[i].initial || text[words[i-1].e:words[i].s] != " " {
		return false
	}
	if name { // "speak to Marcus" is a person; "in Marcus", a town
		return strongLocatives[words[i-1].lower]
	}
	return locatives[words[i-1].lower] || words[i-1].lower == "de" || words[i-1].lower == "outside"
}

// strongLocatives come before places, seldom before people.
var strongLocatives = set("in", "near", "outside", "around", "across", "throughout", "à", "dans",
	"près", "en", "bij", "nabij", "i")

// unknownPlace reports whether words[i], capitalised mid-sentence after a
// word of place and in no list at all, is a place too small for the
// gazetteer ("in Cullivoe", "près de Romainmôtier"), and returns the last
// word of its name ("Spean Bridge", "Ebute Metta").
func unknownPlace(r *run, text string, words []word, i int) (int, bool) {
	w := words[i]
	if i == 0 || w.initial || w.possessive || !w.joined || !capitalised(w) {
		return 0, false
	}
	g := r.a.gaz
	if !g.unknownWord(w.lower, r.lang) && !(len(w.lower) == 2 && !g.isWord(w.lower, r.lang) && !functionWords[w.lower] &&
		i+1 < len(words) && words[i+1].joined && capitalised(words[i+1]) && g.unknownWord(words[i+1].lower, r.lang)) {
		return 0, false // "in Te Awamutu"
	}
	prev := words[i-1].lower
	switch {
	case strongLocatives[prev] || prev == "de" && i > 1 && words[i-2].lower == "près":
	case locatives[prev] || prev == "de" || prev == "d'":
	default:
		return 0, false
	}
	k := i
	for k+1 < len(words) && k-i < 2 && words[k+1].joined && capitalised(words[k+1]) && !words[k+1].initial &&
		!isAcronym(words[k+1].text) {
		k++
		if words[k].possessive {
			break
		}
	}
	return k, true
}

// placeHit writes the replacement, taking in "à" ("dans un village") and
// "de" ("d'un village") before a French place.
func placeHit(r *run, text string, words []word, i, k int, t town) hit {
	s, lead := words[i].s, ""
	if rest, ok := elided(words[i].lower); ok {
		s = words[i].e - len(rest)
	} else if r.lang == french && i > 0 && text[words[i-1].e:s] == " " {
		switch words[i-1].lower {
		case "à":
			s, lead = words[i-1].s, "dans "
		case "de":
			s, lead = words[i-1].s, "d'"
		}
	}
	repl := lead + t.describe(r.lang)
	if n := utf8.RuneCountInString(text[s:words[k].e]); len(repl) > maxGrowthRepl*n {
		repl = lead + strings.SplitN(t.describe(r.lang), " in ", 2)[0]
	}
	if first, _ := utf8.DecodeRuneInString(text[s:]); unicode.IsUpper(first) && words[i].initial {
		repl = upperFirst(repl)
	}
	return hit{s, words[k].e, repl}
}

// maxGrowthRepl bounds a replacement to this many times the bytes of what
// it replaces, so that the output stays within a few times the input.
const maxGrowthRepl = 4
