package anonymise

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numberWords are the ages that stories write out, in English and French.
const numberWords = `(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ \-](?:one|two|three|four|five|six|seven|eight|nine))?` +
	`|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|eleven|twelve|ten` +
	`|(?:soixante|quatre[ \-]vingts?)(?:[ \-](?:et[ \-])?(?:onze|douze|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|dix|un|deux|trois|quatre|cinq|six|sept|huit|neuf))?` +
	`|(?:vingt|trente|quarante|cinquante)(?:[ \-](?:et[ \-]un|deux|trois|quatre|cinq|six|sept|huit|neuf))?` +
	`|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|onze|douze)`

// smallNumbers are the ages of young children written out, taken only
// after a verb of age: "when she was six", "turned four".
const smallNumbers = `(?:two|three|four|five|six|seven|eight|nine)`

// ordinals are birthdays written out: "her eighteenth", "his 85th".
const ordinals = `(?:\d{1,3}(?:st|nd|rd|th)` +
	`|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[ \-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)` +
	`|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth` +
	`|tenth|eleventh|twelfth|hundredth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)`

var (
	// reAgeEN finds "is 24,", "was 47.", "at 19,", "aged 58", "a
	// 34-year-old man" and "Conor, 22," (after a capitalised word).
	reAgeEN = regexp.MustCompile(`\b(?:(an?) +)?(\d{1,3}|` + numberWords + `|` + smallNumbers + `|one)(?:[ \-](?:years?|yrs?)[ \-]old\b| ?y/?o\b)(?: +(man|woman|boy|girl|lad|person|child|mother|father|son|daughter))?` +
		`|\b(aged|age:?|is|was|'s|’s|'m|’m|am|turned|turns|turning|at|by|of|were|be|reached)(?: +(?:now|nearly|almost|just|only|about|around|barely|still|already|over|under))? +(\d{1,3}|` + numberWords + `)(?: +years(?: +of +age| +old)?)?` + ageFollows +
		`|\p{L}, +(\d{1,2}),`)
	// reAgeMore finds the ages that need more context: young children's
	// ages in words ("was six"), birthdays ("her 85th birthday"), an age in
	// brackets after a name ("Kevin (24)"), "from 18 she", and lists
	// ("aged 12 and 15").
	reAgeMore = regexp.MustCompile(`\b(aged|age|is|was|turned|turns|turning) +(` + smallNumbers + `)` + ageFollows +
		`|\b(` + ordinals + `) +(birthday)\b` +
		`|\p{L}+ +\((\d{1,3})\)` +
		`|\b(?:from|since) +(\d{1,2}|` + numberWords + `),? +(?:he|she|they|onwards)\b` +
		`|\b(?:aged|ages|age|are|were) +(` + listAge + `(?:, +` + listAge + `)*,? +(?:and|&) +` + listAge + `)\b` +
		`|(?:—|–) *(\d{2}|` + numberWords + `)(?: +exactly)?(?:,| *[—–])` +
		`|\b(?:his|her|their|my|your) +(\d{1,3}(?:st|nd|rd|th)|` + bigOrdinals + `)(?:[,.;!]| +(?:in|on|and|he|she|they|we|i|this|next|last|party|celebrations|year)\b)`)
	// reAgeFRMore finds "son 80e anniversaire".
	reAgeFRMore = regexp.MustCompile(`\b(\d{1,3}) ?(?:e|è|ème|eme) +(anniversaire)\b`)
	// reAgeFR finds "29 ans", "quarante-deux ans", "ses 20 à ses 33 ans".
	reAgeFR = regexp.MustCompile(`\b(?:(ses|à|a|avait|aura|de|a eu|fête ses|âgée? de|agée? de) +)?(\d{1,3}|` + numberWords + `) +ans\b` +
		`|\b(ses) +(\d{1,3}) +à +ses\b`)
)

// bigOrdinals are the ordinals that, after "his" or "her", are birthdays
// even without the word: "his sixtieth in June" (not "her first in").
const bigOrdinals = `(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[ \-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)` +
	`|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|hundredth)`

// listAge is one age of a list: "aged 12 and 15", "are seven and nine".
const listAge = `(?:\d{1,2}|` + smallNumbers + `|` + numberWords + `)`

// ageFollows is what may come after "is 24": the end of a clause, or a
// word that starts the next one.
const ageFollows = `(?:[,.;:)!?\n]| ?[—–]| +(?:and|but|when|with|now|has|had|who|he|she|they|his|her|their|my|years|in|at|after|before|so|then|is|was|to|on|this|last|next|exactly|today|already|soon|yet)\b|$)`

// frenchDuration are the words before "N ans" that make it a length of
// time, not an age: "depuis 3 ans", "il y a 2 ans", "plus de 10 ans".
var frenchDuration = set("depuis", "pendant", "dans", "en", "pour", "après", "durant", "y", "plus",
	"moins", "près", "environ", "tous", "les", "des", "quelques", "cinq", "deux", "trois", "ces")

// findAges generalises ages to bands in the story's language: "is 24"
// becomes "is in his twenties", "a 34 ans" becomes "a la trentaine".
func findAges(r *run, text string) []hit {
	lower := asciiLower(text)
	wins := windows(lower, isAgeTrigger, 40, 60)
	var out []hit
	for _, m := range matchesIn(reAgeMore, lower, wins) {
		if h, ok := moreAge(r, text, lower, m); ok && !inPlaceholder(text, h.s) {
			out = append(out, h)
		}
	}
	for _, m := range matchesIn(reAgeEN, lower, wins) {
		if h, ok := englishAge(r, text, lower, m); ok && !inPlaceholder(text, h.s) {
			out = append(out, h)
		}
	}
	frWins := wins[:0:0]
	for _, w := range wins {
		if strings.Contains(lower[w[0]:w[1]], "an") { // ans, anniversaire
			frWins = append(frWins, w)
		}
	}
	for _, m := range matchesIn(reAgeFRMore, lower, frWins) {
		if n := ageNumber(group(lower, m, 1)); n > 0 && n <= 110 && !inPlaceholder(text, m[0]) {
			out = append(out, hit{m[2], m[5], "anniversaire"})
		}
	}
	for _, m := range matchesIn(reAgeFR, lower, frWins) {
		if h, ok := frenchAge(text, lower, m); ok && !inPlaceholder(text, h.s) {
			out = append(out, h)
		}
	}
	return out
}

// ageStems begin every number word an age can be written with, in English
// and French, ordinals included.
var ageStems = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
	"twel", "thirt", "fift", "twent", "fort", "hundred", "first", "second", "third", "ninth",
	"vingt", "trente", "quarante", "cinquante", "soixante", "quatre", "onze", "douze", "treize",
	"quatorze", "quinze", "seize", "dix"}

// isAgeTrigger reports whether an age may begin at lower[i]: a digit, or a
// number word at the start of a word. Ages are looked for only near these.
func isAgeTrigger(lower string, i int) bool {
	c := lower[i]
	if c >= '0' && c <= '9' {
		return true
	}
	if c < 'd' || c > 'v' || i > 0 && (isAlnumByte(lower[i-1]) || lower[i-1] >= 0x80) {
		return false
	}
	for _, st := range ageStems {
		if strings.HasPrefix(lower[i:], st) {
			switch st {
			case "one": // only a one-year-old
				return strings.HasPrefix(lower[i+3:], "-y") || strings.HasPrefix(lower[i+3:], " y")
			case "first", "second", "third": // only a birthday
				return strings.Contains(lower[i:min(len(lower), i+30)], "birthday")
			}
			return true
		}
	}
	return false
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
		if band := englishBand(n, pro, "in"); n < 13 && m[2] >= 0 {
			return hit{m[2], m[1], keepCase(text[m[2]:m[3]], band)}, n > 0 // a five-year-old: a child
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
		if band := englishBand(n, pro, prep); maxReplacementGrowth*(end-m[10]) >= len(band) {
			return hit{m[10], end, keepCase(text[m[10]:m[11]], band)}, true // the verb stays
		}
		return hit{m[8], end, orig + " " + englishBand(n, pro, prep)}, true
	case m[12] >= 0: // Conor, 22,
		n := ageNumber(group(lower, m, 6))
		comma := m[0] + strings.IndexByte(lower[m[0]:], ',')
		return hit{comma, m[13], ", " + englishBand(n, pronoun(lower, m[0], ""), "in")}, n > 0
	}
	return hit{}, false
}

// maxReplacementGrowth is how many times longer than what it replaces a
// replacement may be (the fuzz test's bound).
const maxReplacementGrowth = 5

// moreAge makes the hit for a match of reAgeMore.
func moreAge(r *run, text, lower string, m []int) (hit, bool) {
	switch {
	case m[4] >= 0: // was six
		before := strings.Fields(lower[max(0, m[0]-12):m[0]])
		if len(before) > 0 && notAgeSubject[before[len(before)-1]] {
			return hit{}, false // there was one, it is five to
		}
		switch verb := group(lower, m, 1); verb {
		case "turned", "turns", "turning":
			repl := map[string]string{"turned": "was", "turns": "is", "turning": "being"}[verb] + " a child"
			return hit{m[2], m[5], keepCase(text[m[2]:m[3]], repl)}, true
		}
		return hit{m[4], m[5], keepCase(text[m[4]:m[5]], "a child")}, true
	case m[6] >= 0: // 85th birthday
		return hit{m[6], m[9], keepCase(text[m[6]:m[7]], "birthday")}, true
	case m[10] >= 0: // Kevin (24)
		n := ageNumber(group(lower, m, 5))
		if first, _ := utf8.DecodeRuneInString(text[m[0]:]); !unicode.IsUpper(first) {
			return hit{}, false
		}
		return hit{m[10] - 1, m[11] + 1, "(" + englishBand(n, pronoun(lower, m[0], ""), "in") + ")"}, n > 0 && n <= 110
	case m[12] >= 0: // from 18 she
		n := ageNumber(group(lower, m, 6))
		return hit{m[0], m[13], strings.Fields(text[m[0]:m[13]])[0] + " " + strings.TrimPrefix(englishBand(n, pronoun(lower, m[0], ""), "in"), "in ")}, n > 1 && n <= 110
	case m[14] >= 0: // aged 12 and 15
		before := strings.Fields(lower[max(0, m[0]-12):m[0]])
		if len(before) > 0 && notAgeSubject[before[len(before)-1]] {
			return hit{}, false // there are two and a half
		}
		return hit{m[14], m[15], listBand(group(lower, m, 7))}, true
	case m[18] >= 0: // on his 30th,
		if n, err := strconv.Atoi(strings.TrimRight(group(lower, m, 9), "stndrh")); err == nil && n > 13 && strings.HasPrefix(lower[m[19]:], " year") {
			band := strings.Fields(englishBand(n-1, "their", "in"))
			return hit{m[18], m[19] + len(" year"), band[len(band)-1]}, true // in his 45th year: in his forties
		}
		return hit{m[18], m[19], "birthday"}, true
	case m[16] >= 0: // — thirty-six, he'll tell you
		n := ageNumber(group(lower, m, 8))
		dash := strings.TrimRight(text[m[0]:m[16]], " ")
		return hit{m[0], m[17], dash + " " + englishBand(n, pronoun(lower, m[0], ""), "in")}, n >= 13 && n <= 110
	}
	return hit{}, false
}

// notAgeSubject are the words before "was six" that make it a count or a
// time, not an age.
var notAgeSubject = set("there", "it", "that", "this", "which", "what", "time", "score", "it's", "number")

// listBand writes a list of ages, "12 and 15", as one band.
func listBand(list string) string {
	hi := 0
	for _, f := range strings.FieldsFunc(list, func(c rune) bool { return c == ',' || c == ' ' || c == '&' }) {
		hi = max(hi, ageNumber(f))
	}
	switch {
	case hi < 5:
		return "under five"
	case hi < 18:
		return "of school age"
	}
	return "of different ages"
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
	if prev == "a" && len(before) > 0 && before[len(before)-1] == "y" {
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
	"soixante": 60, "dix": 10, "vingts": 20, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "un": 1}

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
		if (part == "vingt" || part == "vingts") && total == 4 {
			total = 80 // quatre-vingt-sept
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
