package anonymise

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	reLongNumber = regexp.MustCompile(`\b\d+(?:[ .\-/]\d+)*\b`)
	reMixedCode  = regexp.MustCompile(`\b[A-Z0-9]+(?:[\-/.][A-Z0-9]+)*\b`)
	rePrefixCode = regexp.MustCompile(`\b[A-Z]{2,6}(?:-[A-Z]{1,6})+ $`)
)

// quantityWords after a number grouped in thousands make it an amount:
// "1 200 000 euros".
var quantityWords = set("euros", "euro", "dollars", "pounds", "people", "habitants", "inhabitants",
	"km", "miles", "€", "$", "£", "francs", "naira", "rupees", "kr", "kroner", "personnes")

// findOtherNumbers is the last of the number detectors, for HIPAA's "any
// other unique identifying number": what is left that has eight digits or
// more (dates and phone numbers are gone by now), and upper-case codes that
// mix letters with four digits or more (EHC/CAL/07731, KA0420190012345).
func findOtherNumbers(text string) [][2]int {
	wins := windows(text, isDigitAt, 2, 2)
	var out [][2]int
	for _, m := range findIn(reLongNumber, text, wins, 0) {
		if countDigits(text[m[0]:m[1]]) >= 8 && !isQuantity(text, m[0], m[1]) && bounded(text, m[0], m[1]) {
			out = append(out, [2]int{codePrefix(text, m[0]), m[1]})
		}
	}
	for _, m := range findIn(reMixedCode, text, wins, 0) {
		code := text[m[0]:m[1]]
		if len(code) >= 6 && countDigits(code) >= 4 && strings.IndexFunc(code, unicode.IsLetter) >= 0 && bounded(text, m[0], m[1]) {
			out = append(out, [2]int{codePrefix(text, m[0]), m[1]})
		}
	}
	return out
}

// isQuantity reports whether a number grouped in thousands (1 200 000) is
// an amount, by the currency or unit around it.
func isQuantity(text string, s, e int) bool {
	groups := strings.Fields(text[s:e])
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	if len(groups) == 1 {
		return false
	}
	before := strings.TrimRight(text[max(0, s-3):s], " ")
	after := strings.Fields(text[e:min(len(text), e+12)])
	return strings.HasSuffix(before, "$") || strings.HasSuffix(before, "£") || strings.HasSuffix(before, "€") ||
		len(after) > 0 && quantityWords[strings.ToLower(strings.Trim(after[0], ".,;:"))]
}

// codePrefix takes in an upper-case prefix with a hyphen written before a
// number: "DI-TSA 2021-04471".
func codePrefix(text string, s int) int {
	if loc := rePrefixCode.FindStringIndex(text[max(0, s-20):s]); loc != nil {
		return max(0, s-20) + loc[0]
	}
	return s
}
