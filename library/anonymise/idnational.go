package anonymise

import (
	"regexp"
	"strings"
)

// nationalID is the written form of one country's identity number and its
// check.
type nationalID struct {
	re    *regexp.Regexp
	valid func(code string) bool
}

// nationalIDs are the identity numbers of the network's countries that carry
// a check digit or a shape distinct enough to find without context.
var nationalIDs = []nationalID{
	{regexp.MustCompile(`\b[12][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}\b`), validNIR},
	{regexp.MustCompile(`\b\d{2}\.?\d{2}\.?\d{2}[\-. ]?\d{3}\.?\d{2}\b`), func(c string) bool { return validBelgian(onlyDigits(c)) }},
	{regexp.MustCompile(`\b756\.?\d{4}\.?\d{4}\.?\d{2}\b`), func(c string) bool { return validEAN13(onlyDigits(c)) }},
	{regexp.MustCompile(`\b[2-9]\d{3} ?\d{4} ?\d{4}\b`), func(c string) bool { return validVerhoeff(onlyDigits(c)) }},
	{regexp.MustCompile(`\b\d{8}[ \-]?[A-Z]\b`), validDNI},
	{regexp.MustCompile(`\b[XYZ][ \-]?\d{7}[ \-]?[A-Z]\b`), validDNI},
	{regexp.MustCompile(`\b\d{6} ?\d{5}\b`), func(c string) bool { return validNorwegian(onlyDigits(c)) }},
	{regexp.MustCompile(`\b\d{3} ?\d{3} ?\d{3}\b`), func(c string) bool { return validTFN(onlyDigits(c)) }},
	{regexp.MustCompile(`\b[2-6]\d{3} ?\d{5} ?\d(?:[ \-/]?\d)?\b`), func(c string) bool { return validMedicare(onlyDigits(c)) }},
	{regexp.MustCompile(`\b[A-HJ-NP-Z]{3}\d{4}\b`), validNHI},
	{regexp.MustCompile(`\b[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]\b`), func(string) bool { return true }},       // Indian PAN
	{regexp.MustCompile(`\b[A-Z]{4} ?\d{4} ?\d{4}\b`), func(string) bool { return true }},                    // Québec RAMQ
	{regexp.MustCompile(`\b\d{4}[ \-]?\d{3}[ \-]?\d{3}[ \-]?[A-Z]{2}\b`), func(string) bool { return true }}, // Ontario health card
}

// validNIR checks the key of a French social security number (NIR): 97
// minus the first thirteen digits modulo 97, Corsica's 2A and 2B counted as
// 19 and 18.
func validNIR(code string) bool {
	c := strings.NewReplacer(" ", "", ".", "").Replace(code)
	if len(c) != 15 {
		return false
	}
	body := strings.NewReplacer("2A", "19", "2B", "18").Replace(c[:13])
	return 97-mod97(body) == atoi(c[13:])
}

// validBelgian checks a Belgian national register number: 97 minus the
// first nine digits modulo 97, with a 2 in front for those born from 2000.
func validBelgian(d string) bool {
	if len(d) != 11 {
		return false
	}
	key := atoi(d[9:])
	return 97-mod97(d[:9]) == key || 97-mod97("2"+d[:9]) == key
}

// validEAN13 checks a Swiss AHV/AVS number, an EAN-13 code.
func validEAN13(d string) bool {
	if len(d) != 13 {
		return false
	}
	sum := 0
	for i := 0; i < 12; i++ {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(d[i]-'0') * w
	}
	return (10-sum%10)%10 == int(d[12]-'0')
}

var (
	verhoeffD = [10][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
		{5, 9, 8, 7, 6, 0, 4, 3, 2, 1}, {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}}
	verhoeffP = [8][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
		{4, 2, 8, 6, 5, 7, 3, 9, 0, 1}, {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}}
)

// validVerhoeff checks an Indian Aadhaar number's Verhoeff check digit.
func validVerhoeff(d string) bool {
	if len(d) != 12 {
		return false
	}
	c := 0
	for i := 0; i < len(d); i++ {
		c = verhoeffD[c][verhoeffP[i%8][int(d[len(d)-1-i]-'0')]]
	}
	return c == 0
}

// validDNI checks the letter of a Spanish DNI or NIE: the number modulo 23.
func validDNI(code string) bool {
	c := strings.NewReplacer(" ", "", "-", "").Replace(code)
	if len(c) != 9 {
		return false
	}
	num := c[:8]
	switch c[0] {
	case 'X':
		num = "0" + c[1:8]
	case 'Y':
		num = "1" + c[1:8]
	case 'Z':
		num = "2" + c[1:8]
	}
	return "TRWAGMYFPDXBNJZSQVHLCKE"[atoi(num)%23] == c[8]
}

// validNorwegian checks both mod-11 check digits of a Norwegian fødselsnummer.
func validNorwegian(d string) bool {
	if len(d) != 11 || d[0] > '7' {
		return false
	}
	check := func(w []int) bool {
		sum := 0
		for i, x := range w {
			sum += int(d[i]-'0') * x
		}
		k := 11 - sum%11
		if k == 11 {
			k = 0
		}
		return k != 10 && k == int(d[len(w)]-'0')
	}
	return check([]int{3, 7, 6, 1, 8, 9, 4, 5, 2}) && check([]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
}

// validTFN checks an Australian tax file number's weighted mod-11 sum.
func validTFN(d string) bool {
	if len(d) != 9 || d == "000000000" {
		return false
	}
	sum := 0
	for i, w := range []int{1, 4, 3, 7, 5, 8, 6, 9, 10} {
		sum += int(d[i]-'0') * w
	}
	return sum%11 == 0
}

// validMedicare checks an Australian Medicare number: its ninth digit is a
// weighted sum of the first eight modulo 10.
func validMedicare(d string) bool {
	if len(d) != 10 && len(d) != 11 {
		return false
	}
	sum := 0
	for i, w := range []int{1, 3, 7, 9, 1, 3, 7, 9} {
		sum += int(d[i]-'0') * w
	}
	return sum%10 == int(d[8]-'0')
}

// validNHI checks a New Zealand National Health Index number of the older
// form (three letters without I and O, four digits) by its mod-11 check.
func validNHI(code string) bool {
	sum := 0
	for i := 0; i < 6; i++ {
		c := code[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 1
			if c > 'I' {
				v--
			}
			if c > 'O' {
				v--
			}
		}
		sum += v * (7 - i)
	}
	if sum%11 == 0 {
		return false
	}
	return (11-sum%11)%10 == int(code[6]-'0')
}

func mod97(digits string) int {
	rem := 0
	for i := 0; i < len(digits); i++ {
		rem = (rem*10 + int(digits[i]-'0')) % 97
	}
	return rem
}

func atoi(digits string) int {
	n := 0
	for i := 0; i < len(digits); i++ {
		n = n*10 + int(digits[i]-'0')
	}
	return n
}
