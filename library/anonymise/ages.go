package anonymise

import (
	"regexp"
	"strconv"
	"strings"
)

// numberWords are the ages that stories write out, in English and French.
const numberWords = `(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ \-](?:one|two|three|four|five|six|seven|eight|nine))?` +
	`|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|eleven|twelve|ten` +
	`|(?:vingt|trente|quarante|cinquante|soixante)(?:[ \-](?:et[ \-]un|deux|trois|quatre|cinq|six|sept|huit|neuf))?` +
	`|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|onze|douze)`

var (
	// reAgeEN finds "is 24,", "was 47.", "at 19,", "aged 58", "a
	// 34-year-old man" and "Conor, 22," (after a capitalised word).
	reAgeEN = regexp.MustCompile(`\b(?:(an?) +)?(\d{1,3}|` + numberWords + `)[ \-]years?[ \-]old\b(?: +(man|woman|boy|girl|lad|person|child|mother|father|son|daughter))?` +
		`|\b(aged|age|is|was|'s|’s|turned|turns|turning|at|by|of|were|be|reached) +(\d{1,3}|` + numberWords + `)(?: +years(?: +of +age| +old)?)?(?:[,.;:)!?\n]| +(?:and|but|when|with|now|has|had|who|he|she|they|years|in|at|after|before|so|then|is|was|to|on)\b|$)` +
		`|\p{L}, +(\d{1,2}),`)
	// reAgeFR finds "29 ans", "quarante-deux ans", "ses 20 à ses 33 ans".
	reAgeFR = regexp.MustCompile(`\b(?:(ses|à|a|avait|aura|de|a eu|fête ses|âgée? de|agée? de) +)?(\d{1,3}|` + numberWords + `) +ans\b` +
		`|\b(ses) +(\d{1,3}) +à +ses\b`)
)

// frenchDuration are the words before "N ans" that make it a length of
// time, not an age: "depuis 3 ans", "il y a 2 ans", "plus de 10 ans".
var frenchDuration = set("depuis", "pendant", "dans", "en", "pour", "après", "durant", "y", "plus",
	"moins", "près", "environ", "tous", "les", "des", "quelques", "cinq", "deux", "trois", "ces")

// findAges generalises ages to bands in the story's language: "is 24"
// becomes "is in his twenties", "a 34 ans" becomes "a la trentaine".
func findAges(r *run, text string) []hit {
	lower := asciiLower(text)
	var out []hit
	for _, m := range reAgeEN.FindAllStringSubmatchIndex(lower, -1) {
		if h, ok := englishAge(r, text, lower, m); ok && !inPlaceholder(text, h.s) {
			out = append(out, h)
		}
	}
	for _, m := range reAgeFR.FindAllStringSubmatchIndex(lower, -1) {
		if h, ok := frenchAge(text, lower, m); ok && !inPlaceholder(text, h.s) {
			out = append(out, h)
		}
	}
	return out
}

func group(lower string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return lower[m[2*i]:m[2*i+1]]
}

func englishAge(r *run, text, lower string, m []int) (hit, bool) {
	switch {
	case m[4] >= 0: // N-year-old
		n := ageNumber(group(lower, m, 2))
		pro := pronoun(lower, m[0], group(lower, m, 3))
		if m[6] >= 0 {
			noun := text[m[6]:m[7]]
			return hit{m[0], m[1], keepCase(text[m[0]:m[1]], "a "+noun+" "+englishBand(n, pro, "in"))}, n > 0
		}
		return hit{m[4], m[5] + len(lower[m[5]:m[1]]), englishBand(n, pro, "in")}, n > 0
	case m[10] >= 0: // is 24
		verb, n := group(lower, m, 4), ageNumber(group(lower, m, 5))
		if n <= 0 || n > 110 || (verb == "at" || verb == "by" || verb == "of") && n < 2 {
			return hit{}, false
		}
		pro := pronoun(lower, m[0], "")
		end := m[11]
		if tail := strings.TrimRight(lower[m[11]:m[1]], ",.;:)!?\n"); strings.HasPrefix(tail, " years") {
			end = m[11] + len(tail)
		}
		prep := "in"
		switch verb {
		case "at", "by", "of", "aged", "age":
			prep = map[string]string{"at": "in", "by": "by", "of": "in", "aged": "in", "age": "in"}[verb]
			return hit{m[8], end, keepCase(text[m[8]:m[9]], englishBand(n, pro, prep))}, true
		}
		orig := text[m[8]:m[9]]
		switch verb {
		case "turned", "turns", "turning", "reached":
			if n < 13 {
				return hit{m[8], end, keepCase(orig, "was a child")}, true
			}
			return hit{m[8], end, keepCase(orig, "reached "+strings.TrimPrefix(englishBand(n, pro, prep), "in "))}, true
		}
		return hit{m[8], end, orig + " " + englishBand(n, pro, prep)}, true
	case m[12] >= 0: // Conor, 22,
		n := ageNumber(group(lower, m, 6))
		comma := m[0] + strings.IndexByte(lower[m[0]:], ',')
		return hit{comma, m[13], ", " + englishBand(n, pronoun(lower, m[0], ""), "in")}, n > 0
	}
	return hit{}, false
}

// englishBand writes an age as a band: "in his twenties", "in her teens",
// "a child". prep is "in" or "by".
func englishBand(n int, pro, prep string) string {
	if n < 13 {
		if prep == "by" {
			return "in childhood"
		}
		return "a child"
	}
	decades := []string{"", "", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties", "hundreds", "hundreds"}
	band := "teens"
	if n >= 20 {
		band = decades[min(n/10, 11)]
	}
	return prep + " " + pro + " " + band
}

// pronoun guesses the possessive for the person whose age it is from the
// nearest pronoun after it, or before it: "his", "her" or "their".
func pronoun(lower string, at int, noun string) string {
	switch noun {
	case "man", "boy", "lad", "father", "son":
		return "his"
	case "woman", "girl", "mother", "daughter":
		return "her"
	}
	after := strings.Fields(lower[at:min(len(lower), at+240)])
	for _, w := range after {
		switch strings.Trim(w, ".,;:()\"'’!?") {
		case "he", "his", "him", "he's", "he’s":
			return "his"
		case "she", "her", "she's", "she’s":
			return "her"
		}
	}
	before := strings.Fields(lower[max(0, at-240):at])
	for i := len(before) - 1; i >= 0; i-- {
		switch strings.Trim(before[i], ".,;:()\"'’!?") {
		case "he", "his", "him", "he's", "he’s":
			return "his"
		case "she", "her", "she's", "she’s":
			return "her"
		}
	}
	return "their"
}

func frenchAge(text, lower string, m []int) (hit, bool) {
	if m[6] >= 0 { // de ses 20 à ses 33 ans
		n := ageNumber(group(lower, m, 4))
		return hit{m[6], m[9], frenchBand(n, "ses")}, n > 0 && n <= 110
	}
	prev := group(lower, m, 1)
	n := ageNumber(group(lower, m, 2))
	if n <= 0 || n > 110 {
		return hit{}, false
	}
	before := strings.Fields(lower[max(0, m[0]-24):m[0]])
	if prev == "" && len(before) > 0 && frenchDuration[strings.Trim(before[len(before)-1], ",(")] {
		return hit{}, false
	}
	if prev == "a" && len(before) > 0 && (before[len(before)-1] == "y" || before[len(before)-1] == "il") {
		return hit{}, false // il y a 3 ans
	}
	if prev == "de" && len(before) > 0 && frenchDuration[before[len(before)-1]] {
		return hit{}, false // plus de 10 ans
	}
	s := m[4]
	if prev == "ses" || prev == "à" {
		s = m[2]
	}
	repl := frenchBand(n, prev)
	return hit{s, m[1], keepCase(text[s:m[1]], repl)}, true
}

// frenchBand writes an age as a band: "la trentaine", "l'adolescence",
// "moins de treize ans". After "ses" and "à" the article replaces them.
func frenchBand(n int, prev string) string {
	lead := ""
	if prev == "à" {
		lead = "à "
	}
	switch {
	case n < 13:
		if prev == "ses" || prev == "à" {
			return lead + "l'enfance"
		}
		return "moins de treize ans"
	case n < 20:
		if prev == "ses" || prev == "à" {
			return lead + "l'adolescence"
		}
		return "moins de vingt ans"
	case n >= 70:
		return "plus de soixante-dix ans"
	}
	return lead + "la " + []string{"", "", "vingtaine", "trentaine", "quarantaine", "cinquantaine", "soixantaine"}[n/10]
}

// keepCase writes repl in capitals when orig is written in capitals.
func keepCase(orig, repl string) string {
	if strings.ToUpper(orig) == orig && strings.ToLower(orig) != orig {
		return strings.ToUpper(repl)
	}
	return repl
}

var wordNumbers = map[string]int{"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "dix-sept": 17,
	"dix-huit": 18, "dix-neuf": 19, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
	"soixante": 60, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "un": 1}

// ageNumber reads an age in figures or words; 0 when it is none.
func ageNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := wordNumbers[s]; ok {
		return n
	}
	total := 0
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' }) {
		if part == "et" {
			continue
		}
		n, ok := wordNumbers[part]
		if !ok {
			return 0
		}
		total += n
	}
	return total
}
