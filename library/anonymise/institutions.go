package anonymise

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// instType is what a named institution becomes, in English and in French.
type instType struct{ en, fr string }

// articlesBefore are lower-case articles and contractions that the type's
// own article replaces: "the Marine Hotel" gives "a hotel", "au CHS" gives
// "à un hôpital".
var articlesBefore = map[string]string{"the": "", "la": "", "le": "", "l'": "", "l’": "", "les": "",
	"au": "à ", "du": "d'", "de": "de ", "à": "à "}

// findInstitutions generalises named institutions to their type: "Kingsmuir
// Hospital" becomes "a hospital", "IME Les Cèdres" "un IME". The name's own
// words, found again alone ("St Fintan's"), get the same type.
func findInstitutions(r *run, text string) []hit {
	words := tokenize(text, false)
	var out []hit
	floor := 0
	for i := 0; i < len(words); i++ {
		if h, ok := numberedHead(r, text, words, i); ok {
			out = append(out, h)
			i++
			floor = i + 1
		} else if h, next, ok := headLast(r, text, words, i, floor); ok {
			out = append(out, h)
			i, floor = next, next+1
		} else if h, next, ok := headFirst(r, text, words, i); ok {
			out = append(out, h)
			i, floor = next, next+1
		}
	}
	out = append(out, shortForms(r, text, out)...)
	out = append(out, findSaints(r, text, words, out)...)
	out = append(out, findBusinesses(r, text, words, out)...)
	out = append(out, findAppositions(r, text, words, out)...)
	out = append(out, findOrganisations(r, text, words, out)...)
	return append(out, findTheNames(r, text, words, out)...)
}

// numberedHead finds "Ward 7", "Pavillon 4": a part of a hospital or home
// known by its number.
func numberedHead(r *run, text string, words []word, i int) (hit, bool) {
	t, ok := numberedHeads[words[i].lower]
	if !ok || !capitalised(words[i]) || i+1 >= len(words) || !words[i+1].number || text[words[i].e:words[i+1].s] != " " ||
		len(words[i+1].text) > 3 {
		return hit{}, false
	}
	h := instHit(r, text, words, i, words[i+1].e, t)
	return h, true
}

func headLast(r *run, text string, words []word, i, floor int) (hit, int, bool) {
	w := words[i]
	t, ok := instHeads[w.lower]
	if !ok || !capitalised(w) || i == 0 || w.initial {
		return hit{}, 0, false
	}
	if n := i + 1; n < len(words) && capitalised(words[n]) && instHeads[words[n].lower].isSet() && text[w.e:words[n].s] == " " {
		return hit{}, 0, false // High School, Care Home: the last head decides
	}
	j := i
	for j > floor {
		gap := text[words[j-1].e:words[j].s]
		prev := words[j-1]
		switch {
		case (gap == " " || gap == "'s " || gap == "’s ") && capitalised(prev) && !prev.number:
			j--
			continue
		case gap == " & " && j > 1 && capitalised(words[j-1]):
			j--
			continue
		case (gap == ". " || gap == "./" || gap == "/") && capitalised(prev) && (nameAbbreviations[prev.lower] || len(prev.text) == 1 && j > 1 && text[words[j-2].e:prev.s] == " "):
			j-- // St. Bernadette Parish, Jr./Sr. High School, Lester B. Pearson Collegiate
			continue
		case gap == " " && (prev.lower == "and" || prev.lower == "of") && j-2 >= floor && capitalised(words[j-2]) && text[words[j-2].e:prev.s] == " ":
			j -= 2
			continue
		}
		break
	}
	for j < i && (words[j].initial && (functionWords[words[j].lower] || r.a.gaz.isWord(words[j].lower, r.lang) && !instRefine[words[j].lower].isSet()) || words[j].lower == "the") {
		j++
	}
	specific := false
	for x := j; x < i; x++ {
		lw := words[x].lower
		specific = specific || !genericInstWords[lw] && instHeads[lw].en == ""
		if ref, ok := instRefine[lw]; ok {
			t = refineType(t, ref, w.lower)
		}
	}
	if !specific && (!plainHeads[w.lower] || j == i || !anyCapitalised(words[j:i])) {
		return hit{}, 0, false
	}
	e := w.e
	if i+2 < len(words) && words[i+1].lower == "of" && capitalised(words[i+2]) && text[w.e:words[i+2].s] == " of " {
		e = words[i+2].e // Church of God
	}
	if k, ok := forWhom(text, words, i); ok {
		e = words[k].e // Institute for the Deaf and the Blind
	}
	if k, ok := genericSecondHead(text, words, i); ok {
		return instHit(r, text, words, j, words[k].e, t), k, true
	}
	return instHit(r, text, words, j, e, t), i, true
}

// forWhom returns the last word of "for the Deaf and the Blind" after the
// head at i: who a school, home or society is for is part of its name.
func forWhom(text string, words []word, i int) (int, bool) {
	k, last := i+1, -1
	if k >= len(words) || words[k].lower != "for" || text[words[i].e:words[k].s] != " " {
		return 0, false
	}
	for k++; k < len(words) && k <= i+8 && words[k].joined; k++ {
		switch lw := words[k].lower; {
		case capitalised(words[k]) && lw != "the":
			last = k
		case lw == "the" || (lw == "and" || lw == "of") && last >= 0:
		default:
			return last, last >= 0
		}
	}
	return last, last >= 0
}

// nameAbbreviations end with a full stop inside a name: "St. Bernadette".
var nameAbbreviations = set("st", "jr", "sr", "mt", "ft", "ste", "pt")

// genericSecondHead finds a second head joined to the one at i by "and" or
// "&" with only generic words between, which names no other place: "Little
// Angels Nursery and Primary School" is one school.
func genericSecondHead(text string, words []word, i int) (int, bool) {
	k := i + 1
	if k < len(words) && words[k].lower == "and" && text[words[i].e:words[k].s] == " " {
		k++
	} else if k >= len(words) || text[words[i].e:words[k].s] != " & " {
		return 0, false
	}
	for n := k; n < len(words) && n <= k+2 && text[words[n-1].e:words[n].s] != "" && capitalised(words[n]); n++ {
		gap := text[words[n-1].e:words[n].s]
		if n > k && gap != " " || !genericInstWords[words[n].lower] && !instHeads[words[n].lower].isSet() {
			return 0, false
		}
		if instHeads[words[n].lower].isSet() && (n+1 >= len(words) || !capitalised(words[n+1]) || text[words[n].e:words[n+1].s] != " ") {
			return n, true
		}
	}
	return 0, false
}

func (t instType) isSet() bool { return t.en != "" }

// anyCapitalised reports whether a word of ws other than "St" is
// capitalised and not a function word: "the Royal Infirmary", not "The
// hospital".
func anyCapitalised(ws []word) bool {
	for _, w := range ws {
		if capitalised(w) && !functionWords[w.lower] && w.lower != "the" {
			return true
		}
	}
	return false
}

// refineType lets a word before the head narrow the type, when it fits the
// head: "Special School", "Group Home", but not "Community Hospital".
func refineType(t, ref instType, head string) instType {
	switch head {
	case "school", "academy", "college":
		if strings.Contains(ref.en, "school") {
			return ref
		}
	case "centre", "center", "home", "practice", "unit", "church", "shed", "co-op", "bank":
		return ref
	case "services", "service":
		if ref.en == "a day centre" {
			return instType{"a day service", "un service de jour"}
		}
		return ref
	}
	return t
}

func headFirst(r *run, text string, words []word, i int) (hit, int, bool) {
	w := words[i]
	lower := w.lower
	if rest, ok := elided(lower); ok {
		lower = rest
	}
	if k := strings.IndexAny(lower, "'’"); k > 0 { // Caffi'r Bont
		lower = lower[:k]
	}
	t, ok := instFirst[lower]
	if !ok && isAcronym(w.text) && len(w.text) >= 2 && i+2 < len(words) && nameOpeners[words[i+1].lower] && words[i+1].lower != "chez" &&
		capitalised(words[i+1]) && capitalised(words[i+2]) && words[i+1].joined && words[i+2].joined {
		t, ok = instType{"an institution", "un établissement"}, true // CADA Les Lauriers: an acronym before its name
	}
	if lower == "te" && i+1 < len(words) && maoriFirst[words[i+1].lower] && capitalised(w) && words[i+1].joined {
		t, ok = instFirst[words[i+1].lower] // Te Whare Manaaki
	}
	if !ok || lower == "as" && !isAcronym(w.text) {
		return hit{}, 0, false
	}
	lowerHead := false
	if !capitalised(w) && !isAcronym(strings.TrimLeft(w.text, "lLdD'’")) && !unicode.IsUpper(firstUpperAfterElision(w.text)) {
		if !lowerFirstHeads[lower] || r.lang != french {
			return hit{}, 0, false
		}
		lowerHead = true
	}
	if lower == "service" && (r.lang != french || i+1 >= len(words) || words[i+1].lower != "de" && !strings.HasPrefix(words[i+1].lower, "d'")) {
		return hit{}, 0, false // le service de gériatrie Pasteur, not an Individual Service Fund
	}
	j, last, linked := i+1, -1, false
	for j < len(words) && j-i <= 7 {
		gap := text[words[j-1].e:words[j].s]
		if gap != " " && gap != "\u00a0" {
			break
		}
		nw := words[j]
		switch {
		case capitalised(nw) || unicode.IsUpper(firstUpperAfterElision(nw.text)) && last >= 0:
			if last < 0 && lowerHead && (linked && r.a.gaz.bigPlace(nw.lower) || monthWord(nw.lower) || instFirst[nw.lower].isSet()) {
				return hit{}, 0, false // l'hôpital de Rouen: the city stays; le club de la Maison de quartier: another name begins
			}
			last = j
		case nw.number && (j == i+1 || last == j-1 && len(nw.text) <= 3):
			last = j // Pavillon 4, service Pasteur 2
		case !instConnectors[nw.lower] && (functionWords[nw.lower] || notInName[nw.lower] || last >= 0 || j-i > 3 || !lowerThenName(words, j)):
			j = len(words)
			continue
		}
		linked = linked || nw.lower == "de" || nw.lower == "du" || nw.lower == "des" || strings.HasPrefix(nw.lower, "d'")
		j++
	}
	if last < 0 {
		return hit{}, 0, false
	}
	return instHit(r, text, words, i, words[last].e, t), last, true
}

// notInName are the French words that end a name begun by its type: "en
// internat à l'IEM".
var notInName = set("à", "au", "aux", "en", "dans", "pour", "sur", "avec", "par", "et", "ou", "chez",
	"puis", "qui", "que", "où", "est", "a")

// lowerThenName reports whether a capitalised word follows words[j] within
// two words, on the same line: "Foyer de vie Les Glycines".
func lowerThenName(words []word, j int) bool {
	for k := j + 1; k < len(words) && k <= j+3; k++ {
		if !words[k].joined {
			return false
		}
		if capitalised(words[k]) {
			return !words[k].initial
		}
	}
	return false
}

func firstUpperAfterElision(s string) rune {
	if k := strings.IndexAny(s, "'’"); k >= 0 && k <= 2 {
		_, n := utf8.DecodeRuneInString(s[k:])
		s = s[k+n:]
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// instHit makes the hit for words[j:] up to byte e, taking in a lower-case
// article before it, and writes the type in the story's language.
func instHit(r *run, text string, words []word, j, e int, t instType) hit {
	s := words[j].s
	repl := t.en
	if r.lang == french {
		repl = t.fr
	}
	lead := ""
	if rest, ok := elided(words[j].lower); ok && rest != "" {
		lead = "" // l'IME: the type brings its own article
	} else if j > 0 && text[words[j-1].e:s] == " " {
		if l, ok := articlesBefore[words[j-1].lower]; ok && !capitalised(words[j-1]) {
			s, lead = words[j-1].s, l
		}
	} else if j > 0 && (strings.HasSuffix(text[:s], "l'") || strings.HasSuffix(text[:s], "l’")) {
		s -= len("l'")
		if strings.HasSuffix(text[:s+2], "l’") {
			s -= len("’") - 1
		}
	}
	if j > 0 && (words[j-1].lower == "la" || words[j-1].lower == "le") && capitalised(words[j-1]) && text[words[j-1].e:words[j].s] == " " {
		s = words[j-1].s // La Résidence Les Peupliers
	}
	repl = lead + repl
	if lead == "" && s >= 3 && text[s-3:s] == "de " && strings.HasPrefix(repl, "un") {
		s, repl = s-3, "d'"+repl // de la Maison de quartier: d'une maison
	}
	if first, _ := utf8.DecodeRuneInString(text[s:]); unicode.IsUpper(first) && (s == 0 || sentenceGap(text[max(0, s-3):s], "")) {
		repl = upperFirst(repl)
	}
	return hit{s, e, repl}
}

// shortForms finds the name of an institution again without its type
// words: after "St Fintan's Centre", "St Fintan's" alone; after "Kildare
// Valley Resource Centre", "Kildare Valley"; after "Kavanagh's Butchers",
// "Kavanagh's"; after "EHPAD Les Tilleuls", "Tilleuls". A single ordinary
// word ("Riverside", "Tilleuls") is followed only where it is capitalised
// inside a sentence, as a name is and the word is not.
func shortForms(r *run, text string, found []hit) []hit {
	var out []hit
	seen := map[string]bool{}
	for _, h := range found {
		short, mode := shortForm(r, strings.Fields(text[h.s:h.e]))
		if mode == notShort || seen[short] {
			continue
		}
		seen[short] = true
		for _, at := range indexAll(text, short, false) {
			if !overlapsAny(found, at, at+len(short)) && !overlapsAny(out, at, at+len(short)) && bounded(text, at, at+len(short)) &&
				(mode == anywhere || insideSentence(text, at)) {
				out = append(out, hit{at, at + len(short), h.repl})
			}
		}
	}
	return out
}

// How a short form of a name is followed.
const (
	notShort    = iota
	anywhere    // distinctive: every occurrence is the institution
	midSentence // an ordinary word: only where it is capitalised mid-sentence
)

// insideSentence reports whether the word at byte s follows another word
// of its sentence: its capital is a name's, not the sentence's.
func insideSentence(text string, s int) bool {
	j := s
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if isWordRune(r) {
			break
		}
		j -= n
	}
	if j == 0 {
		return false
	}
	k := j
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:k])
		if !isWordRune(r) {
			break
		}
		k -= n
	}
	return !sentenceGap(text[j:s], strings.ToLower(text[k:j]))
}

// shortForm returns the words of a name without its type words (before
// or after them), and how they may be followed alone.
func shortForm(r *run, f []string) (string, int) {
	strip := func(w string) string {
		w = strings.ToLower(strings.Trim(w, ",."))
		if rest, ok := elided(w); ok {
			return rest
		}
		return w
	}
	for len(f) > 0 {
		w := strip(f[0])
		if _, ok := articlesBefore[w]; !ok && !instFirst[w].isSet() && !instConnectors[w] {
			break
		}
		f = f[1:]
	}
	k := len(f)
	for k > 0 {
		w := strip(f[k-1])
		if !genericInstWords[w] && !instHeads[w].isSet() && !instRefine[w].isSet() {
			break
		}
		k--
	}
	if k == 0 {
		return "", notShort
	}
	short := strings.Join(f[:k], " ")
	first := strings.ToLower(f[0])
	switch {
	case first == "st" || first == "st." || first == "saint":
		if k >= 2 {
			return short, anywhere
		}
		return "", notShort
	case k >= 2:
		return short, anywhere
	}
	w := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(short, "'s"), "’s"))
	if len(w) < 3 || r.a.gaz.bigPlace(w) || titles[w] || familyWords[w] || keepWords[w] || functionWords[w] || timeNames[w] ||
		!capitalised(word{text: short}) {
		return "", notShort
	}
	if w != strings.ToLower(short) || !r.a.gaz.isWord(w, r.lang) {
		return short, anywhere
	}
	return short, midSentence
}

func overlapsAny(hs []hit, s, e int) bool {
	for _, h := range hs {
		if s < h.e && h.s < e {
			return true
		}
	}
	return false
}
