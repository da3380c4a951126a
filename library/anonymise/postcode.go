package anonymise

import (
	"regexp"
	"strconv"
	"strings"
)

// rePostcodeTown is a four- or five-digit postcode before its town, as most
// of Europe, Australia and the US write it: "5100 Jambes", "CH-1227
// Carouge", "75011 PARIS". The digits alone are also counts and years, so
// the town decides.
var rePostcodeTown = regexp.MustCompile(`\b(?:[A-Z]{1,2}-)?(\d{4,5}) +(\p{Lu}[\p{L}'’\-]+)`)

// findPostcodesBeforeTown finds postcodes followed by a town: a place of the
// gazetteer, or a capitalised word in no dictionary. A year is a year
// unless a known town follows and no preposition comes before.
func findPostcodesBeforeTown(r *run, text string) []hit {
	g := r.a.gaz
	var out []hit
	for _, m := range findIn(rePostcodeTown, text, windows(text, isDigitAt, 4, 40), 0) {
		sub := rePostcodeTown.FindStringSubmatchIndex(text[m[0]:m[1]])
		num := text[m[0]+sub[2] : m[0]+sub[3]]
		town := strings.ToLower(text[m[0]+sub[4] : m[0]+sub[5]])
		if inPlaceholder(text, m[0]) || !bounded(text, m[0], m[0]+sub[3]) {
			continue
		}
		word := g.isWord(town, r.lang) || keepWords[town] || monthWord(town)
		known := (g.isTown(town) || g.places.has(town)) && (!word || closesClause(text, m[1]))
		unknown := !known && !word && !g.isName(town)
		n, _ := strconv.Atoi(num)
		year := len(num) == 4 && n >= 1900 && n <= 2099
		if year && (!known || beforeYearWord(text, m[0])) || !known && !unknown {
			continue
		}
		out = append(out, hit{m[0], m[0] + sub[3], Placeholder(KindPostcode)})
	}
	return out
}

func monthWord(lower string) bool { return monthIndex[lower] > 0 || timeNames[lower] }

// beforeYearWord reports whether the word before s is one that comes
// before a year: "in 2019", "depuis 2020".
func beforeYearWord(text string, s int) bool {
	f := strings.Fields(text[max(0, s-12):s])
	if len(f) == 0 {
		return false
	}
	return yearPrepositions[strings.ToLower(f[len(f)-1])]
}

var yearPrepositions = set("in", "since", "from", "until", "till", "by", "of", "before", "after",
	"en", "depuis", "de", "jusqu'en", "avant", "après", "dès", "to", "and", "et", "year", "année")

// closesClause reports whether the text at i ends a clause: "5100 Jambes,"
// is a town where "1500 Christmas cards" is not.
func closesClause(text string, i int) bool {
	return i == len(text) || strings.IndexByte(",.;:)\n", text[i]) >= 0
}
