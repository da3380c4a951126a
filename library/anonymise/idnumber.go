package anonymise

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

var (
	reTenDigits  = regexp.MustCompile(`\b\d{3} ?\d{3} ?\d{4}\b`)
	reNineDigits = regexp.MustCompile(`\b\d{3}[ \-]?\d{3}[ \-]?\d{3}\b`)
	reNINumber   = regexp.MustCompile(`\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b`)
	reSSN        = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)
	rePPS        = regexp.MustCompile(`\b\d{7}[A-W][A-IW]?\b`)
)

// findIDNumbers finds identity numbers recognisable by their form: NHS and
// CHI numbers (3-3-4 digits with a valid mod-11 check), Canadian SINs
// (Luhn) and Dutch BSNs (11-test), UK National Insurance numbers, US
// Social Security numbers and Irish PPS numbers.
func findIDNumbers(text string) [][2]int {
	var out [][2]int
	wins := windows(text, isDigitAt, 16, 24)
	add := func(re *regexp.Regexp, valid func(digits string) bool) {
		for _, m := range findIn(re, text, wins, 0) {
			if bounded(text, m[0], m[1]) && valid(onlyDigits(text[m[0]:m[1]])) {
				out = append(out, [2]int{m[0], m[1]})
			}
		}
	}
	add(reTenDigits, ValidNHSNumber)
	add(reNineDigits, func(d string) bool { return ValidSIN(d) || ValidBSN(d) })
	add(reNINumber, func(string) bool { return true })
	add(reSSN, validSSN)
	add(rePPS, func(string) bool { return true })
	for _, id := range nationalIDs {
		for _, m := range findIn(id.re, text, wins, 0) {
			if bounded(text, m[0], m[1]) && id.valid(text[m[0]:m[1]]) {
				out = append(out, [2]int{m[0], m[1]})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ValidNHSNumber reports whether digits is a 10-digit NHS (or Scottish CHI)
// number whose last digit is the modulus 11 check of the first nine.
func ValidNHSNumber(digits string) bool {
	if len(digits) != 10 || strings.Count(digits, digits[:1]) == 10 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(digits[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(digits[9]-'0')
}

// ValidSIN reports whether digits is a 9-digit Canadian Social Insurance
// Number passing the Luhn check. Leading 0 and 8 are unassigned but kept:
// "046 454 286" is the government's own example.
func ValidSIN(digits string) bool {
	if len(digits) != 9 || digits == "000000000" {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		d := int(digits[i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// ValidBSN reports whether digits is a 9-digit Dutch citizen service number
// passing the 11-test.
func ValidBSN(digits string) bool {
	if len(digits) != 9 || digits == "000000000" {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(digits[i]-'0') * (9 - i)
	}
	sum -= int(digits[8] - '0')
	return sum%11 == 0
}

func validSSN(d string) bool {
	return d[:3] != "000" && d[:3] != "666" && d[3:5] != "00" && d[5:] != "0000"
}

// idKeywords introduce an identifier: "reference number", "NHI number",
// "Medicaid ID", "numéro".
var idKeywords = []string{"id", "identifier", "ref", "reference", "case", "client", "patient",
	"hospital", "pupil", "upn", "member", "membership", "participant", "permit", "passport",
	"licence", "license", "medicaid", "medicare", "nhi", "pps", "bsn", "chi", "nhs", "sin", "ssn",
	"social security", "insurance", "health card", "health and care", "file", "account", "record",
	"registration", "numéro", "dossier", "burgerservicenummer", "number", "no.", "ndis", "nin"}

// notIDNumber are words before "number" that make it something else: a
// phone number, a house number, "a number of".
var notIDNumber = set("phone", "telephone", "mobile", "contact", "fax", "house", "flat", "room",
	"bus", "a", "the", "any", "large", "small", "same", "lucky", "door", "seat", "page", "table",
	"huge", "growing", "number")

// findIDByContext finds a code shortly after an identifier keyword, in the
// same sentence: "the council reference for the ISF is SDS-2023-04417".
func findIDByContext(text string) [][2]int {
	var out [][2]int
	lower := asciiLower(text)
	for _, m := range wordHits(lower, idKeywords) {
		if inPlaceholder(text, m[0]) || numberOfSomething(lower, m) {
			continue
		}
		if s, e, ok := codeAfter(text, m[1]); ok {
			out = append(out, [2]int{s, e})
		}
	}
	return out
}

// numberOfSomething reports whether the keyword at m is "number" used for
// something other than an identifier.
func numberOfSomething(lower string, m [2]int) bool {
	kw := lower[m[0]:m[1]]
	if kw != "number" && kw != "no." {
		return false
	}
	prev := strings.Fields(lower[max(0, m[0]-20):m[0]])
	return strings.HasPrefix(lower[m[1]:], " of ") || len(prev) > 0 && notIDNumber[strings.Trim(prev[len(prev)-1], "'’s,(")]
}

// codeAfter scans up to seven words after pos for a run of code-like tokens
// (digits, or letters mixed with digits), with an upper-case prefix such as
// "UPN" or "MA" that directly precedes it.
func codeAfter(text string, pos int) (int, int, bool) {
	prefix := -1
	for n := 0; n < 7 && pos < len(text); n++ {
		s, e, next := nextToken(text, pos)
		if s < 0 {
			return 0, 0, false
		}
		tok := text[s:e]
		switch {
		case codeLike(tok):
			return codeRun(text, s, e, prefix)
		case isAcronym(tok) && len(tok) <= 7:
			prefix = s
		default:
			prefix = -1
		}
		if strings.ContainsAny(text[e:next], ".!?") && !abbreviations[strings.ToLower(tok)] {
			return 0, 0, false // the sentence ends
		}
		pos = next
	}
	return 0, 0, false
}

// nextToken returns the next space-separated token after pos, stripped of
// brackets and punctuation, and where the following token may start.
func nextToken(text string, pos int) (s, e, next int) {
	for pos < len(text) && (text[pos] == ' ' || text[pos] == '\t') {
		pos++
	}
	if pos >= len(text) || text[pos] == '\n' {
		return -1, -1, pos
	}
	end := pos
	for end < len(text) && text[end] != ' ' && text[end] != '\n' && text[end] != '\t' {
		end++
	}
	s, e = pos, end
	for s < e && strings.IndexByte("([\"':#", text[s]) >= 0 {
		s++
	}
	for e > s && strings.IndexByte(")]\"',.;:", text[e-1]) >= 0 {
		e--
	}
	return s, e, end
}

// codeLike reports whether tok is made of letters, digits, hyphens and
// slashes and holds at least one digit.
func codeLike(tok string) bool {
	digit := false
	for _, r := range tok {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r == '-' || r == '/' || r < 128 && unicode.IsLetter(r):
		default:
			return false
		}
	}
	return digit
}

// codeRun extends a code over following digit groups ("0012 345 678") and
// accepts it when it has five digits or mixes letters and digits. Phone
// numbers are left to the phone detector.
func codeRun(text string, s, e, prefix int) (int, int, bool) {
	for {
		ns, ne, _ := nextToken(text, e)
		if ns != e+1 || !codeLike(text[ns:ne]) {
			break
		}
		e = ne
	}
	code := text[s:e]
	digits := countDigits(code)
	letters := strings.IndexFunc(code, unicode.IsLetter) >= 0
	if digits < 5 && !(letters && len(code) >= 4) || looksLikePhone(code) {
		return 0, 0, false
	}
	if prefix >= 0 && prefix < s {
		s = prefix
	}
	return s, e, bounded(text, s, e)
}

func looksLikePhone(code string) bool {
	return (code[0] == '0' || code[0] == '+') && len(findPhones(code)) == 1
}
