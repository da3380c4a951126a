package search

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
)

// Snippets are made here rather than by Bleve's highlighter, which needs
// the positions of every word of the text in the index (term vectors): they
// made the index a fifth larger and slower to build, for the twenty hits of
// a page. The words of the search are found again in the text of each hit
// shown, by the same analysis as the any-language text field.

// fragmentSize is about the length of a snippet, in bytes of text.
const fragmentSize = 200

// marker finds the words of a search in the text of hits.
type marker struct {
	analyzer analysis.Analyzer
	words    map[string]bool // analysed
}

// newMarker prepares the marking of words; with nothing to mark it marks nothing.
func newMarker(idx bleve.Index, words string) *marker {
	m := &marker{analyzer: idx.Mapping().AnalyzerNamed(fallbackAnalyzer), words: map[string]bool{}}
	if m.analyzer == nil || strings.TrimSpace(words) == "" {
		return m
	}
	for _, t := range m.analyzer.Analyze([]byte(words)) {
		m.words[string(t.Term)] = true
	}
	return m
}

// snippet is the part of text, of about fragmentSize bytes, that holds the
// most of the marker's words, as HTML: escaped, each word found in <mark>.
// It is empty when none is found.
func (m *marker) snippet(text string) string {
	if len(m.words) == 0 {
		return ""
	}
	var found [][2]int // byte spans, in order
	for _, t := range m.analyzer.Analyze([]byte(text)) {
		if m.words[string(t.Term)] {
			found = append(found, [2]int{t.Start, t.End})
		}
	}
	if len(found) == 0 {
		return ""
	}
	best, most := 0, 0
	for i := range found {
		n := 0
		for j := i; j < len(found) && found[j][1] <= found[i][0]+fragmentSize; j++ {
			n++
		}
		if n > most {
			best, most = i, n
		}
	}
	start := wordAfter(text, max(0, found[best][0]-fragmentSize/5), found[best][0])
	end := wordBefore(text, min(len(text), start+fragmentSize), found[best][1])
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, f := range found {
		if f[0] < start || f[1] > end {
			continue
		}
		b.WriteString(html.EscapeString(text[at:f[0]]))
		b.WriteString("<mark>" + html.EscapeString(text[f[0]:f[1]]) + "</mark>")
		at = f[1]
	}
	b.WriteString(html.EscapeString(text[at:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// wordAfter is the start of the first word at or after from, and no later
// than limit (the first word found).
func wordAfter(text string, from, limit int) int {
	if from == 0 {
		return 0
	}
	if i := strings.IndexAny(text[from:limit], " \n\t"); i >= 0 {
		return from + i + 1
	}
	return limit
}

// wordBefore is the end of the last word at or before to, and no earlier
// than limit (the end of the last word found in the snippet).
func wordBefore(text string, to, limit int) int {
	if to >= len(text) {
		return len(text)
	}
	if to <= limit {
		return limit
	}
	if i := strings.LastIndexAny(text[limit:to], " \n\t"); i >= 0 {
		return limit + i
	}
	for to > limit && !utf8.RuneStart(text[to]) {
		to--
	}
	return to
}
