package anonymise

import (
	"regexp"
	"sort"
	"strings"
)

// months are matched in lower case: the patterns run over asciiLower text.
const months = `january|february|march|april|may|june|july|august|september|october|november|december|` +
	`jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|` +
	`janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|` +
	`januari|februari|maart|mei|juni|juli|augustus|oktober`

// birthWords introduce a date of birth. "née" alone is left out: in
// English it introduces a maiden name, not a date.
var birthWords = []string{"born", "birth", "birthday", "dob", "d.o.b", "date of birth", "birthdate",
	"birth date", "né le", "née le", "geboren", "geboortedatum", "date de naissance"}

var (
	reDate = regexp.MustCompile(`\b\d{1,2}(?:st|nd|rd|th|er|e)? +(?:of +)?(?:` + months + `)\.?(?:,? +\d{4})?\b` +
		`|\b(?:` + months + `)\.? +\d{1,2}(?:st|nd|rd|th)?(?:,? +\d{4})?\b` +
		`|\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b`)
	reMonthYear = regexp.MustCompile(`^[ ,:(]*(?:(?:in|on|en) +)?((?:` + months + `) +\d{4})\b`)
)

// findBirthDates finds dates in the rest of the sentence after a word about
// birth: "born on 14 March 1989", "date of birth (02/07/2012)", "née le 3
// mars 1995". A month and year count only straight after the word ("born in
// March 1989"); elsewhere in the sentence they are more often a later event.
// Every date in the rest of the sentence is taken, not only the first, so
// that a second pass over the output finds nothing new.
func findBirthDates(text string) [][2]int {
	var out [][2]int
	lower := asciiLower(text)
	scanned := 0 // dates up to here are already taken: one scan per sentence
	for _, m := range wordHits(lower, birthWords) {
		if inPlaceholder(text, m[0]) {
			continue
		}
		if d := reMonthYear.FindStringSubmatchIndex(lower[m[1]:sentenceEnd(text, m[1])]); d != nil {
			out = append(out, [2]int{m[1] + d[2], m[1] + d[3]})
		}
		if m[1] < scanned {
			continue
		}
		end := sentenceEnd(text, m[1])
		for _, d := range reDate.FindAllStringIndex(lower[m[1]:end], -1) {
			out = append(out, [2]int{m[1] + d[0], m[1] + d[1]})
		}
		scanned = end
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// sentenceEnd returns where the sentence containing pos ends: at a line
// break, or at ". ", "! ", "? " after a word that is no abbreviation.
func sentenceEnd(text string, pos int) int {
	for i := pos; i < len(text); i++ {
		switch text[i] {
		case '\n':
			return i
		case '.', '!', '?':
			if i+1 < len(text) && text[i+1] != ' ' {
				continue
			}
			start := strings.LastIndexAny(text[:i], " (\n") + 1
			if text[i] != '.' || !abbreviations[strings.ToLower(text[start:i])] {
				return i
			}
		}
	}
	return len(text)
}
