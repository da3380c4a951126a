package anonymise

import (
	"sort"
	"strings"
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
	for _, f := range found {
		for _, w := range f.words {
			if seen[w] || utf8.RuneCountInString(w) < 2 {
				continue
			}
			seen[w] = true
			for di, v := range views {
				for _, at := range indexAll(v.text, w, false) {
					if s, e, ok := v.original(at, at+len(w)); ok {
						out = append(out, pendingName{doc: di, s: s, e: e, words: []string{w}})
					}
				}
			}
		}
	}
	return out
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
