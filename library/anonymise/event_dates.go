package anonymise

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// weekdays are matched in lower case, before a date: "Tuesday 14 June".
const weekdays = `monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|` +
	`lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag`

var (
	reEventDate = regexp.MustCompile(`\b(?:(on|le|the|op) +)?(?:the +)?(?:(?:` + weekdays + `),? +(?:the +|le +)?)?` +
		`(?:(\d{1,2})(?:st|nd|rd|th|er|e)?(?: +of)? +(` + months + `)\.?(?:,? +(\d{4}))?` +
		`|(` + months + `)\.? +(?:the +)?(\d{1,2})(?:st|nd|rd|th)?(?:,? +(\d{4}))?` +
		`|(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})|(\d{4})-(\d{2})-(\d{2})` +
		`|(\d{1,2})(?:st|nd|rd|th))\b`)
	monthIndex = indexMonths()
)

// indexMonths maps every month name and abbreviation the patterns know to
// its number.
func indexMonths() map[string]int {
	idx := map[string]int{}
	for i, group := range [][]string{{"january", "jan", "janvier", "januari"}, {"february", "feb", "février", "fevrier", "februari"},
		{"march", "mar", "mars", "maart"}, {"april", "apr", "avril"}, {"may", "mai", "mei"}, {"june", "jun", "juin", "juni"},
		{"july", "jul", "juillet", "juli"}, {"august", "aug", "août", "aout", "augustus"}, {"september", "sept", "sep", "septembre"},
		{"october", "oct", "octobre", "oktober"}, {"november", "nov", "novembre"}, {"december", "dec", "décembre", "decembre"}} {
		for _, m := range group {
			idx[m] = i + 1
		}
	}
	return idx
}

var monthNames = [2][13]string{
	{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// notDayAfter are words after "the 14th" that make it no date: "the 19th
// century", "the 3rd floor".
var notDayAfter = set("century", "centuries", "floor", "time", "birthday", "anniversary", "place",
	"grade", "year", "week", "day", "street", "avenue", "siècle", "étage", "fois")

// findEventDates generalises exact dates to their month and year ("on 14
// June 2022" becomes "in June 2022"), numeric dates whose month is unclear
// to their year, and a bare day of the month to "one day". Relative dates
// ("six months later") hold no date element and stay.
func findEventDates(r *run, text string) []hit {
	lower := asciiLower(text)
	var out []hit
	for _, m := range reEventDate.FindAllStringSubmatchIndex(lower, -1) {
		if inPlaceholder(text, m[0]) {
			continue
		}
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return lower[m[2*i]:m[2*i+1]]
		}
		month, year, ok := dateParts(g)
		if !ok || m[2*14] >= 0 && (notDayAfter[nextWord(lower, m[1])] || !strings.Contains(lower[m[0]:m[1]], "the ")) {
			continue
		}
		out = append(out, hit{m[0], m[1], dateRepl(text, m[0], m[2] >= 0, month, year, r.lang)})
	}
	return out
}

// dateParts reads the month and year of a match of reEventDate; month 0
// means unknown, year 0 absent.
func dateParts(g func(int) string) (month, year int, ok bool) {
	num := func(i int) int { n, _ := strconv.Atoi(g(i)); return n }
	switch {
	case g(3) != "":
		return monthIndex[g(3)], num(4), num(2) >= 1 && num(2) <= 31
	case g(5) != "":
		return monthIndex[g(5)], num(7), num(6) >= 1 && num(6) <= 31
	case g(8) != "":
		a, b, y := num(8), num(9), num(10)
		if len(g(10)) == 2 {
			y += 2000
			if y > 2040 {
				y -= 100
			}
		}
		switch {
		case a < 1 || b < 1 || a > 31 || b > 31 || a > 12 && b > 12:
			return 0, 0, false
		case a > 12:
			return b, y, true
		case b > 12:
			return a, y, true
		}
		return 0, y, true // 09/02/2019: February or September
	case g(11) != "":
		return num(12), num(11), num(12) >= 1 && num(12) <= 12 && num(13) >= 1 && num(13) <= 31
	}
	return 0, 0, num(14) >= 1 && num(14) <= 31
}

func nextWord(lower string, at int) string {
	f := strings.FieldsFunc(lower[at:min(len(lower), at+24)], func(r rune) bool { return !isWordRune(r) })
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// dateRepl writes what is left of a date: "in June 2022", "in June",
// "in 2019", "one day", in the story's language. "in" replaces a leading
// "on" or stands where no preposition precedes ("By 2 September" gives "By
// September").
func dateRepl(text string, s int, hadOn bool, month, year int, lang language) string {
	var b strings.Builder
	prep := hadOn || !afterPreposition(text, s)
	switch {
	case month == 0 && year == 0:
		if lang == french {
			b.WriteString("un jour")
		} else {
			b.WriteString("one day")
		}
		prep = false
	case month == 0:
		b.WriteString(strconv.Itoa(year))
	default:
		b.WriteString(monthNames[lang][month])
		if year > 0 {
			b.WriteString(" " + strconv.Itoa(year))
		}
	}
	out := b.String()
	if prep {
		if lang == french {
			out = "en " + out
		} else {
			out = "in " + out
		}
	}
	if r, _ := utf8.DecodeRuneInString(text[s:]); unicode.IsUpper(r) {
		return upperFirst(out)
	}
	return out
}

var datePrepositions = set("by", "until", "till", "from", "since", "before", "after", "of", "to",
	"until", "depuis", "avant", "après", "jusqu'au", "du", "au", "dès", "in", "en", "around", "between", "and", "et")

// afterPreposition reports whether the word before s is a preposition that
// a month can follow directly.
func afterPreposition(text string, s int) bool {
	f := strings.Fields(text[max(0, s-16):s])
	return len(f) > 0 && datePrepositions[strings.ToLower(strings.Trim(f[len(f)-1], ",("))]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
