package anonymise

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// class is what a capitalised word may be.
type class uint8

const (
	clsLower     class = iota // not capitalised, or a number
	clsCommon                 // an ordinary word with a capital letter
	clsAcronym                // NHS, ISF
	clsPlace                  // a known place and not a name
	clsProper                 // another proper noun: a brand, a nationality, a famous person
	clsTime                   // a month or season that is also a name: May, Autumn
	clsWeak                   // a known name that is also a word: Grace, Will, Green
	clsAmbiguous              // a known name that is also a place: Jordan, Victoria
	clsUnknown                // in no list at all: perhaps a name the gazetteers lack
	clsStrong                 // a known name and nothing else
	clsTitle                  // Mr, Dr, Sister
	clsParticle               // van, de, al
)

// nameish reports whether a word of class c can be part of a person's name.
func (c class) nameish() bool { return c >= clsTime && c <= clsStrong || c == clsParticle }

// word is one token of a view.
type word struct {
	s, e       int // byte offsets in the view, possessive "'s" excluded
	text       string
	lower      string
	cls        class
	initial    bool // first word of a sentence, line or heading
	joined     bool // separated from the previous word by one space only
	afterTitle bool // previous word is a title followed by ". "
	possessive bool
	number     bool
}

// tokenize splits a view into words and numbers.
func tokenize(text string, heading bool) []word {
	var out []word
	prevEnd := 0
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := wordEnd(text, i)
		w := word{s: i, e: j, text: text[i:j]}
		if isDigit(r) {
			w.number = true
		}
		if strings.HasSuffix(w.text, "'s") || strings.HasSuffix(w.text, "’s") {
			w.possessive = true
			w.text = w.text[:strings.LastIndexAny(w.text, "'’")]
			w.e = i + len(w.text)
		}
		gap := text[prevEnd:i]
		w.joined = gap == " " || gap == "\u00a0"
		w.initial = heading || len(out) == 0 || sentenceGap(gap, out[len(out)-1].lower)
		if len(out) > 0 && gap == ". " && titles[out[len(out)-1].lower] {
			w.afterTitle, w.joined = true, true
		}
		w.lower = strings.ToLower(w.text)
		out = append(out, w)
		prevEnd = j
		i = j
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// wordEnd finds the end of the word starting at i: letters and digits, with
// single apostrophes or hyphens inside (O'Neill, Mary-Jane).
func wordEnd(text string, i int) int {
	j := i
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) {
			j += n
			continue
		}
		if r == '\'' || r == '’' || r == '-' {
			if next, _ := utf8.DecodeRuneInString(text[j+n:]); j+n < len(text) && unicode.IsLetter(next) {
				j += n
				continue
			}
		}
		break
	}
	return j
}

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = set("mr", "mrs", "ms", "dr", "st", "rev", "prof", "fr", "sr", "jr", "no", "e",
	"g", "i", "eg", "ie", "etc", "vs", "approx", "apt", "app", "ave", "rd", "mt", "ft", "ch", "dhr",
	"mevr", "mme", "mlle")

// sentenceGap reports whether the text between two words ends a sentence.
func sentenceGap(gap, prev string) bool {
	if strings.ContainsAny(gap, "!?:;\n•*#|") {
		return true
	}
	return strings.Contains(gap, ".") && !abbreviations[prev]
}

// classify sets the class of every capitalised word.
func (g *gazetteer) classify(words []word, lang language) {
	for i := range words {
		w := &words[i]
		first, _ := utf8.DecodeRuneInString(w.text)
		switch {
		case w.number:
			w.cls = clsLower
		case !unicode.IsUpper(first):
			w.cls = clsLower
			if particles[w.lower] {
				w.cls = clsParticle
			}
		default:
			w.cls = g.classOf(w.text, w.lower, lang)
		}
	}
}

// classOf classifies one capitalised word.
func (g *gazetteer) classOf(text, lower string, lang language) class {
	switch {
	case titles[lower]:
		return clsTitle
	case gaelicParticles[lower]:
		return clsParticle // written capitalised: Gráinne Ní Bhriain, Seán Mac Giolla
	case keepWords[lower] || functionWords[lower]:
		return clsCommon
	case particles[lower]:
		return clsParticle
	case utf8.RuneCountInString(text) < 2:
		return clsCommon
	case isAcronym(text):
		return clsAcronym
	case timeNames[lower]:
		return clsTime
	}
	if strings.ContainsRune(lower, '-') {
		return g.compoundClass(lower, lang)
	}
	return g.simpleClass(lower, lang)
}

func (g *gazetteer) simpleClass(lower string, lang language) class {
	if rest, ok := elided(lower); ok && g.isWord(rest, lang) {
		return clsCommon // L'équipe, D'abord, Qu'elle
	}
	name := g.isName(lower) || isGaelicSurname(lower)
	word, place, proper := g.isWord(lower, lang), g.places.has(lower), g.proper.has(lower)
	switch {
	case name && place && !word:
		return clsAmbiguous
	case name && (word || place || proper):
		return clsWeak
	case name:
		return clsStrong
	case word:
		return clsCommon
	case place:
		return clsPlace
	case proper:
		return clsProper
	}
	return clsUnknown
}

// compoundClass classifies hyphenated words: as a whole when a list knows
// them (Trois-Rivières), else from their parts: Marie-Ève is a name,
// Self-directed and Rose-tinted are not, Al-Masri is unknown.
func (g *gazetteer) compoundClass(lower string, lang language) class {
	if c := g.simpleClass(lower, lang); c != clsUnknown {
		return c
	}
	strong, common, weak := false, false, false
	for _, part := range strings.Split(lower, "-") {
		if part == "" || particles[part] {
			continue
		}
		switch g.simpleClass(part, lang) {
		case clsStrong, clsAmbiguous:
			strong = true
		case clsCommon:
			common = true
		case clsWeak:
			weak = true
		}
	}
	switch {
	case strong:
		return clsStrong
	case common:
		return clsCommon
	case weak:
		return clsWeak
	}
	return clsUnknown
}

// elided strips a French elided article or pronoun: "l'équipe" gives
// "équipe".
func elided(lower string) (string, bool) {
	for _, p := range []string{"l'", "d'", "qu'", "j'", "n'", "s'", "c'", "m'", "t'", "jusqu'", "lorsqu'", "puisqu'", "l’", "d’", "qu’", "c’", "n’", "s’"} {
		if strings.HasPrefix(lower, p) && len(lower) > len(p) {
			return lower[len(p):], true
		}
	}
	return "", false
}

// isGaelicSurname recognises Mc, Mac and O' surnames: McAllister, O'Neill.
func isGaelicSurname(lower string) bool {
	for _, p := range []string{"mc", "o'", "o’", "d'"} {
		if strings.HasPrefix(lower, p) && len(lower) > len(p)+2 {
			return true
		}
	}
	return false
}

func isAcronym(text string) bool {
	upper := 0
	for _, r := range text {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}
