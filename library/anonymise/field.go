package anonymise

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is one replacement decided so far, in byte offsets of the original
// field text.
type span struct {
	start, end int
	kind       Kind
	repl       string
	entity     int // names only: the person the span refers to
}

// doc is one field of the story and the replacements decided for it, kept
// sorted and never overlapping.
type doc struct {
	field string
	text  string
	spans []span
}

// add records sp unless it is empty or overlaps an earlier decision: the
// first detector to claim text keeps it.
func (d *doc) add(sp span) bool {
	if sp.start >= sp.end || sp.start < 0 || sp.end > len(d.text) {
		return false
	}
	i := sort.Search(len(d.spans), func(i int) bool { return d.spans[i].end > sp.start })
	if i < len(d.spans) && d.spans[i].start < sp.end {
		return false
	}
	d.spans = append(d.spans, span{})
	copy(d.spans[i+1:], d.spans[i:])
	d.spans[i] = sp
	return true
}

// view is the field text with every decision so far already replaced by its
// placeholder. Later detectors read the view, not the original, so that they
// see exactly what a second pass over the output would see.
type view struct {
	text string
	segs []segment
}

// segment maps a stretch of the view back to the original text; stretches
// that are placeholders have kept == false.
type segment struct {
	at, orig, n int
	kept        bool
}

// view builds the masked text. Names are masked with a neutral capitalised
// word so that their neighbours keep the context they had.
func (d *doc) view() view {
	var b strings.Builder
	var segs []segment
	last := 0
	for _, sp := range d.spans {
		segs = append(segs, segment{at: b.Len(), orig: last, n: sp.start - last, kept: true})
		b.WriteString(d.text[last:sp.start])
		repl := sp.repl
		if sp.kind == KindName {
			repl = "Name"
		}
		segs = append(segs, segment{at: b.Len(), orig: sp.start, n: len(repl)})
		b.WriteString(repl)
		last = sp.end
	}
	segs = append(segs, segment{at: b.Len(), orig: last, n: len(d.text) - last, kept: true})
	b.WriteString(d.text[last:])
	return view{text: b.String(), segs: segs}
}

// original maps [s, e) in the view to the original text; it fails when the
// range touches a placeholder.
func (v view) original(s, e int) (int, int, bool) {
	i := sort.Search(len(v.segs), func(i int) bool { return v.segs[i].at+v.segs[i].n > s })
	if i == len(v.segs) || !v.segs[i].kept {
		return 0, 0, false
	}
	sg := v.segs[i]
	if s < sg.at || e > sg.at+sg.n {
		return 0, 0, false
	}
	return sg.orig + s - sg.at, sg.orig + e - sg.at, true
}

// isWordRune reports whether r can be part of a word or number.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r)
}

// bounded reports whether text[s:e] is not glued to a letter or digit on
// either side, so that a match is a whole word rather than part of one.
func bounded(text string, s, e int) bool {
	if s > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:s])
		if isWordRune(r) {
			return false
		}
	}
	if e < len(text) {
		r, _ := utf8.DecodeRuneInString(text[e:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

// indexAll returns the start of every whole-word occurrence of needle,
// ignoring case when fold is set and lower-casing keeps byte offsets.
func indexAll(text, needle string, fold bool) []int {
	if needle == "" {
		return nil
	}
	hay, pin := text, needle
	if fold {
		if lt, ln := strings.ToLower(text), strings.ToLower(needle); len(lt) == len(text) && len(ln) == len(needle) {
			hay, pin = lt, ln
		}
	}
	var out []int
	for from := 0; ; {
		i := strings.Index(hay[from:], pin)
		if i < 0 {
			return out
		}
		s := from + i
		if edgesBounded(text, s, s+len(pin)) {
			out = append(out, s)
		}
		from = s + len(pin)
	}
}

// edgesBounded is bounded, applied only to the edges of text[s:e] that are
// word runes: "@sam" may follow a space or a bracket, never a letter.
func edgesBounded(text string, s, e int) bool {
	f, _ := utf8.DecodeRuneInString(text[s:e])
	l, _ := utf8.DecodeLastRuneInString(text[s:e])
	if s > 0 && isWordRune(f) {
		if r, _ := utf8.DecodeLastRuneInString(text[:s]); isWordRune(r) {
			return false
		}
	}
	if e < len(text) && isWordRune(l) {
		if r, _ := utf8.DecodeRuneInString(text[e:]); isWordRune(r) {
			return false
		}
	}
	return true
}
