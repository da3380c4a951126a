package anonymise

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// detector finds one kind of personal data in a view and returns byte
// ranges of the view, replaced by the kind's placeholder; or, when
// generalise is set, hits that each carry their own replacement ("in March
// 2021", "a care home").
type detector struct {
	kind       Kind
	find       func(text string) [][2]int
	generalise func(r *run, text string) []hit
}

// hit is a stretch [s, e) of a view and what replaces it.
type hit struct {
	s, e int
	repl string
}

// hits returns what d finds in text, each with its replacement.
func (d detector) hits(r *run, text string) []hit {
	if d.generalise != nil {
		return d.generalise(r, text)
	}
	var out []hit
	for _, m := range d.find(text) {
		out = append(out, hit{m[0], m[1], Placeholder(d.kind)})
	}
	return out
}

// applyAdditions replaces what the author asked to remove, before any
// detector runs, so that detectors see it already removed.
func (r *run) applyAdditions() {
	for _, ad := range r.in.Add {
		text := strings.TrimSpace(ad.Text)
		if utf8.RuneCountInString(text) < 2 || r.kept(text) {
			continue
		}
		kind := ad.Kind
		if kind == "" {
			kind = KindCustom
		}
		for _, d := range r.docs {
			v := d.view()
			for _, at := range indexAll(v.text, text, true) {
				s, e, ok := v.original(at, at+len(text))
				if !ok {
					continue
				}
				sp := span{start: s, end: e, kind: kind, repl: Placeholder(kind)}
				if kind == KindName {
					sp.entity = r.names.entity(strings.Fields(text), false)
				}
				d.add(sp)
			}
		}
	}
}

// detect runs one detector over every field, then replaces every other
// occurrence of what it found, in the title and the body alike.
func (r *run) detect(det detector) {
	found := map[string]string{}
	for _, d := range r.docs {
		v := d.view()
		for _, h := range det.hits(r, v.text) {
			s, e, ok := v.original(h.s, h.e)
			if !ok || r.kept(d.text[s:e]) {
				continue
			}
			if d.add(span{start: s, end: e, kind: det.kind, repl: h.repl}) {
				found[d.text[s:e]] = h.repl
			}
		}
	}
	strs := make([]string, 0, len(found))
	for f := range found {
		strs = append(strs, f)
	}
	sort.Slice(strs, func(i, j int) bool {
		return len(strs[i]) > len(strs[j]) || len(strs[i]) == len(strs[j]) && strs[i] < strs[j]
	})
	for _, d := range r.docs {
		v := d.view()
		for _, f := range strs {
			for _, at := range indexAll(v.text, f, false) {
				if s, e, ok := v.original(at, at+len(f)); ok {
					d.add(span{start: s, end: e, kind: det.kind, repl: found[f]})
				}
			}
		}
	}
}

// pendingName is a name found but not yet given its fictional replacement.
type pendingName struct {
	doc, s, e int
	words     []string
	titled    bool
	entity    int
}

// detectNames finds names in the views left by the other detectors, and
// returns the unknown words used as places, for the risk warnings.
func (r *run) detectNames() []string {
	var found []pendingName
	var places []string
	for di, d := range r.docs {
		v := d.view()
		spans, p := r.a.gaz.findNames(v.text, d.field == "title", r.lang)
		places = append(places, p...)
		for _, sp := range spans {
			s, e, ok := v.original(sp.s, sp.e)
			if ok && !r.kept(d.text[s:e]) && !r.anyKept(sp.words) {
				found = append(found, pendingName{doc: di, s: s, e: e, words: sp.words, titled: sp.titled})
			}
		}
	}
	found = dropOverlaps(append(found, r.otherOccurrences(found)...))
	kept := found[:0]
	for _, p := range found {
		if t := r.docs[p.doc].text; p.s == 0 || t[p.s-1] != '@' {
			kept = append(kept, p) // "@A0" is no name: a fictional one there would read as a handle
		}
	}
	found = kept
	r.names.assign(found)
	for _, p := range found {
		r.docs[p.doc].add(span{start: p.s, end: p.e, kind: KindName, entity: p.entity})
	}
	return places
}

func (r *run) anyKept(words []string) bool {
	for _, w := range words {
		if r.kept(w) {
			return true
		}
	}
	return false
}

// otherOccurrences finds every capitalised occurrence of each word of the
// names found: once "Grace" is known to be a person, "Grace" at the start
// of a sentence is her too.
func (r *run) otherOccurrences(found []pendingName) []pendingName {
	seen := map[string]bool{}
	views := make([]view, len(r.docs))
	for i, d := range r.docs {
		views[i] = d.view()
	}
	var out []pendingName
	var initials []string
	acronyms := map[string]bool{}
	for _, f := range found {
		for _, a := range nameAcronyms(f.words) {
			if l := strings.ToLower(a); !r.a.gaz.isWord(l, r.lang) && !functionWords[l] && !keepWords[l] {
				acronyms[a] = true
			}
		}
		for _, w := range f.words {
			if seen[w] || utf8.RuneCountInString(w) < 2 {
				continue
			}
			seen[w] = true
			initials = append(initials, firstLetter(w))
			for _, form := range r.nameForms(w) {
				for di, v := range views {
					for _, at := range indexAll(v.text, form, false) {
						if s, e, ok := v.original(at, at+len(form)); ok {
							out = append(out, pendingName{doc: di, s: s, e: e, words: []string{w}})
						}
					}
				}
			}
		}
	}
	for di, v := range views {
		out = append(out, r.initialsAndNicknames(di, v, seen, initials, acronyms)...)
	}
	return out
}

// nameAcronyms are the capitals a name is shortened to in notes and
// messages: every part's initial ("KO" for Kevin-Olivier, "MLC" for Maude
// Lévesque-Caron), and the given name's with the surname's ("ML").
func nameAcronyms(words []string) []string {
	var parts [][]string
	for _, w := range words {
		var ps []string
		for _, p := range strings.Split(w, "-") {
			if first, _ := utf8.DecodeRuneInString(p); unicode.IsUpper(first) {
				ps = append(ps, firstLetter(p))
			}
		}
		if len(ps) > 0 {
			parts = append(parts, ps)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	var out []string
	add := func(a string) {
		if n := utf8.RuneCountInString(a); n >= 2 && n <= 4 && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	var all strings.Builder
	for _, ps := range parts {
		all.WriteString(strings.Join(ps, ""))
	}
	add(all.String())
	given := strings.Join(parts[0], "")
	add(given)
	if len(parts) > 1 {
		add(given + parts[len(parts)-1][0])
	}
	return out
}

// lowerName reports whether a word written in lower case is a given name
// that is no word of either language and no place or other proper noun a
// list knows: "aoife" or "francine" in a text message.
func (r *run) lowerName(w word) bool {
	g := r.a.gaz
	return w.text == w.lower && utf8.RuneCountInString(w.text) >= 3 && !familyWords[w.lower] && !keepWords[w.lower] &&
		!functionWords[w.lower] && g.given.has(w.lower) && g.simpleClass(w.lower, r.lang) == clsStrong &&
		!g.words[english].has(w.lower) && !g.words[french].has(w.lower)
}

// acronymOf is a word written as capitals, with or without hyphens
// between them ("KO", "J-F"), as those capitals alone; "" for other words.
func acronymOf(w string) string {
	var b strings.Builder
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			b.WriteRune(r)
		case r != '-':
			return ""
		}
	}
	return b.String()
}

// nameForms are the ways a name is written in a quoted message or note:
// as found, in capitals ("MEHDI"), and in lower case ("priya") unless that
// is an ordinary word ("will", "grace").
func (r *run) nameForms(w string) []string {
	forms := []string{w}
	if up := strings.ToUpper(w); up != w && len(up) == len(w) {
		forms = append(forms, up)
	}
	lower := strings.ToLower(w)
	if lower != w && len(lower) == len(w) && !r.a.gaz.isWord(lower, r.lang) && !functionWords[lower] && !keepWords[lower] {
		forms = append(forms, lower)
	}
	return forms
}

func firstLetter(w string) string {
	_, n := utf8.DecodeRuneInString(w)
	return strings.ToUpper(w[:n])
}

// initialsAndNicknames finds, once names are known, their initials ("F.",
// "A.M.", a lone "D" signing a note) and the short forms that begin like
// one of them ("Fen" for Fenna, "Gen" for Geneviève).
func (r *run) initialsAndNicknames(di int, v view, names map[string]bool, initials []string, acronyms map[string]bool) []pendingName {
	isInitial := map[string]bool{}
	for _, i := range initials {
		isInitial[i] = true
	}
	var out []pendingName
	words := tokenize(v.text, false)
	for i, w := range words {
		var ok bool
		e := w.e
		switch {
		case w.number || names[w.text]:
			continue
		case utf8.RuneCountInString(w.text) == 1:
			e, ok = initialEnd(v.text, words, i, isInitial)
		case acronyms[acronymOf(w.text)] || r.lowerName(w):
			ok = true
		default:
			ok = r.nickname(w, names)
		}
		if ok {
			if s, e2, good := v.original(w.s, e); good {
				out = append(out, pendingName{doc: di, s: s, e: e2, words: []string{w.text}})
			}
		}
	}
	return out
}

// initialEnd reports whether the single letter words[i] is an initial of a
// name: followed by a full stop ("F.", "A.M."), or alone before a verb, a
// bracket or the end of a quoted note ("D to his family", "twice. F had").
func initialEnd(text string, words []word, i int, isInitial map[string]bool) (int, bool) {
	w := words[i]
	if !isInitial[w.text] || w.text == "I" || w.text == "A" && !strings.HasPrefix(text[w.e:], ".") {
		return 0, false
	}
	e := w.e
	for e+2 < len(text) && text[e] == '.' && isInitial[text[e+1:e+2]] && (e+2 == len(text) || text[e+2] == '.') {
		e += 2
	}
	if e < len(text) && text[e] == '.' {
		return e + 1, true
	}
	if i+1 < len(words) && words[i+1].joined && !words[i+1].initial {
		next := words[i+1].lower
		return e, nameVerbs[next] || looseVerbs[next] || next == "to" || next == "had" || next == "pour"
	}
	rest := strings.TrimLeft(text[e:], " ")
	return e, rest == "" || strings.HasPrefix(rest, "»") || strings.HasPrefix(rest, "\"") || strings.HasPrefix(rest, ")")
}

// nickname reports whether w is a short form of a found name: a prefix of
// it of two letters or more, capitalised like a name or written in lower
// case in a message, and no ordinary word unless capitalised mid-sentence.
func (r *run) nickname(w word, names map[string]bool) bool {
	n := utf8.RuneCountInString(w.text)
	if n < 2 || n > 5 || functionWords[w.lower] || keepWords[w.lower] || titles[w.lower] {
		return false
	}
	word := r.a.gaz.isWord(w.lower, r.lang)
	if word && (w.initial || !capitalised(w)) || n == 2 && !capitalised(w) {
		return false
	}
	for name := range names {
		ln := strings.ToLower(name)
		if len(ln) > len(w.lower)+1 && strings.HasPrefix(ln, w.lower) {
			return true
		}
	}
	return false
}

// dropOverlaps keeps, of overlapping names, the one that starts first and
// then the longest.
func dropOverlaps(ns []pendingName) []pendingName {
	sort.SliceStable(ns, func(i, j int) bool {
		a, b := ns[i], ns[j]
		if a.doc != b.doc {
			return a.doc < b.doc
		}
		if a.s != b.s {
			return a.s < b.s
		}
		return a.e > b.e
	})
	var out []pendingName
	for _, n := range ns {
		if len(out) > 0 {
			last := out[len(out)-1]
			if last.doc == n.doc && n.s < last.e {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}
