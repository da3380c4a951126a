package anonymise

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

var (
	reIBAN     = regexp.MustCompile(`\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,3})?\b`)
	reCard     = regexp.MustCompile(`\b\d{4}(?:[ \-]?\d{4}){2,3}(?:[ \-]?\d{1,3})?\b|\b3[47]\d{2}[ \-]?\d{6}[ \-]?\d{5}\b`)
	reSortCode = regexp.MustCompile(`\b\d{2}[ \-]\d{2}[ \-]\d{2}\b`)
	// reRIB is a French relevé d'identité bancaire: bank, branch, account
	// and a two-digit key that checks them.
	reRIB = regexp.MustCompile(`\b(\d{5}) ?(\d{5}) ?([0-9A-Z]{11}) ?(\d{2})\b`)
	// reShortBankCode is a short bank number after the word that names it:
	// "transit 81512, institution 815" (Canada), "branch 042".
	reShortBankCode = regexp.MustCompile(`^(?: +(?:number|no\.?|n[°o]|#))?:? +(\d{3,5})\b`)
	reBankCode      = regexp.MustCompile(`\b\d{2,12}(?:[ \-/]\d{2,12}){0,4}\b|\b[A-Z]{4}0[A-Z0-9]{6}\b|\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b`)
)

// ibanLengths are the lengths of the IBANs of every country that issues
// them (SWIFT's IBAN registry).
var ibanLengths = map[string]int{"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16,
	"BG": 22, "BH": 22, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
	"DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
	"MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28,
	"PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24,
	"SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20}

// findBankDetails finds IBANs (right length for the country and a valid
// mod-97 check), payment card numbers (13 to 19 digits passing Luhn) and,
// after a word that introduces them, sort codes, account, routing, BSB,
// transit and IFSC numbers.
func findBankDetails(text string) [][2]int {
	wins := windows(text, isDigitAt, 40, 40)
	var out [][2]int
	for _, m := range findIn(reIBAN, text, wins, 0) {
		if e, ok := ibanEnd(text, m[0], m[1]); ok && bounded(text, m[0], e) {
			out = append(out, [2]int{m[0], e})
		}
	}
	for _, m := range findIn(reCard, text, wins, 0) {
		if d := onlyDigits(text[m[0]:m[1]]); len(d) >= 13 && len(d) <= 19 && luhn(d) && bounded(text, m[0], m[1]) {
			out = append(out, m)
		}
	}
	for _, m := range findIn(reRIB, text, wins, 0) {
		if validRIB(reRIB.FindStringSubmatch(text[m[0]:m[1]])) {
			out = append(out, m)
		}
	}
	out = append(out, bankByContext(text)...)
	out = append(out, shortBankCodes(text)...)
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] > out[j][1] })
	return out
}

// ibanEnd returns where the IBAN starting at s ends: after as many letters
// and digits as its country's IBANs have, if they pass the check.
func ibanEnd(text string, s, e int) (int, bool) {
	n, ok := ibanLengths[text[s:s+2]]
	if !ok {
		return 0, false
	}
	var b strings.Builder
	i := s
	for ; i < e && b.Len() < n; i++ {
		if c := text[i]; isAlnumByte(c) {
			b.WriteByte(c)
		}
	}
	if b.Len() != n || !ValidIBAN(b.String()) {
		return 0, false
	}
	return i, true
}

// ValidIBAN reports whether iban, without spaces, passes the ISO 13616
// mod-97 check.
func ValidIBAN(iban string) bool {
	if len(iban) < 15 || len(iban) > 34 {
		return false
	}
	var digits strings.Builder
	for _, c := range iban[4:] + iban[:4] {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			digits.WriteString(strconv.Itoa(int(c - 'A' + 10)))
		default:
			return false
		}
	}
	rem := 0
	for _, c := range digits.String() {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return rem == 1
}

// validRIB reports whether the key of a French RIB, split by reRIB into
// bank, branch, account and key, checks: 97 - (89 bank + 15 branch + 3
// account) mod 97, the account's letters read as digits.
func validRIB(m []string) bool {
	if len(m) != 5 {
		return false
	}
	var acct strings.Builder
	for _, c := range m[3] {
		if k := strings.IndexRune(ribLetters, c); k >= 0 {
			c = rune(ribDigits[k])
		}
		acct.WriteRune(c)
	}
	bank, _ := strconv.ParseInt(m[1], 10, 64)
	branch, _ := strconv.ParseInt(m[2], 10, 64)
	account, err := strconv.ParseInt(acct.String(), 10, 64)
	key, _ := strconv.ParseInt(m[4], 10, 64)
	return err == nil && 97-(89*bank+15*branch+3*account)%97 == key
}

// ribLetters read as ribDigits in a RIB's account number.
const (
	ribLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	ribDigits  = "12345678912345678923456789"
)

// luhn reports whether digits pass the Luhn check of card numbers (and
// Canadian SINs).
func luhn(digits string) bool {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// bankKeywords introduce bank details.
var bankKeywords = []string{"sort code", "account", "acct", "a/c", "bsb", "iban", "bic", "swift",
	"routing", "transit", "ifsc", "nuban", "rib", "compte", "rekening", "kontonummer", "konto",
	"card number", "carte bancaire", "banque", "bank", "debit card", "credit card", "bank card", "carte bleue", "carte de crédit", "cuenta", "acc", "kontonr",
	"rekeningnummer", "bankrekening"}

// bankByContext finds the numbers and bank codes that follow a bank word in
// the same sentence: "sort code 20-45-77, account 31926819".
func bankByContext(text string) [][2]int {
	lower := asciiLower(text)
	var out [][2]int
	for _, m := range wordHits(lower, bankKeywords) {
		if inPlaceholder(text, m[0]) {
			continue
		}
		end := clauseEnd(text, m[1], 90)
		if c := reIBAN.FindStringIndex(text[m[1]:end]); c != nil && c[0] <= 4 && ibanShaped(text[m[1]+c[0]:m[1]+c[1]]) {
			out = append(out, [2]int{m[1] + c[0], m[1] + c[1]}) // IBAN GB00 …: after its word, even with a wrong check
		}
		for _, c := range reBankCode.FindAllStringIndex(text[m[1]:end], -1) {
			s, e := m[1]+c[0], m[1]+c[1]
			if bankCode(text[s:e]) && bounded(text, s, e) {
				out = append(out, [2]int{s, e})
			}
		}
	}
	return out
}

// ibanShaped reports whether s, letters and digits with spaces, has the
// length of its country's IBANs.
func ibanShaped(s string) bool {
	n, ok := ibanLengths[s[:2]]
	var b strings.Builder
	for i := range len(s) {
		if isAlnumByte(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return ok && b.Len() == n
}

// shortBankKeywords name short bank numbers, which count only in a clause
// that speaks of a bank: "transit 81512, institution 815".
var shortBankKeywords = []string{"transit", "institution", "branch", "folio", "succursale", "ending in", "ending",
	"last four digits", "se terminant par", "finissant par"}

// shortBankCodes finds the short numbers that follow shortBankKeywords in a
// clause holding another bank word.
func shortBankCodes(text string) [][2]int {
	lower := asciiLower(text)
	var out [][2]int
	for _, m := range wordHits(lower, shortBankKeywords) {
		c := reShortBankCode.FindStringSubmatchIndex(text[m[1]:])
		if c == nil || inPlaceholder(text, m[0]) {
			continue
		}
		from := strings.LastIndexAny(text[:m[0]], ".\n") + 1
		clause := lower[from:clauseEnd(text, m[1], 90)]
		ending := strings.HasPrefix(lower[m[0]:], "end") || strings.Contains(lower[m[0]:m[1]], " ")
		if ending && c[3]-c[2] != 4 {
			continue // a card ending in four digits
		}
		if len(wordHits(clause, bankKeywords)) > 0 || strings.Contains(clause, "caisse") {
			out = append(out, [2]int{m[1] + c[2], m[1] + c[3]})
		}
	}
	return out
}

// bankCode reports whether code, found after a bank word, is a number of
// six digits or more, a sort code, an Indian IFSC or a BIC.
func bankCode(code string) bool {
	switch {
	case isYearLike(code):
		return false
	case countDigits(code) >= 6 || reSortCode.MatchString(code):
		return true
	case len(code) == 11 && code[4] == '0' && countDigits(code) > 0:
		return true // IFSC: SBIN0001234
	case len(code) == 8 || len(code) == 11:
		_, country := ibanLengths[code[4:6]]
		return country || code[4:6] == "US" || code[4:6] == "CA" || code[4:6] == "AU" || code[4:6] == "NZ"
	}
	return false
}

// clauseEnd returns where the sentence or clause that holds pos ends,
// at most max bytes on.
func clauseEnd(text string, pos, max int) int {
	end := min(sentenceEnd(text, pos), pos+max)
	if i := strings.IndexByte(text[pos:end], ';'); i >= 0 {
		return pos + i
	}
	return end
}

// isYearLike reports whether code is a year or a span of years.
func isYearLike(code string) bool {
	d := onlyDigits(code)
	if strings.IndexFunc(code, unicode.IsLetter) >= 0 {
		return false
	}
	return len(d) == 4 || len(d) == 8 && (strings.HasPrefix(d, "19") || strings.HasPrefix(d, "20")) && strings.ContainsAny(code, "-/")
}
