package anonymise

import (
	"regexp"
	"sort"
	"strings"
)

var (
	// rePlate are registration formats distinct enough to need no context:
	// UK current (CU19 XKM), prefix (K38 TRV) and suffix (ABC 123D), Irish
	// (12-D-1234), Indian (KA 05 AK 4821) and Nigerian (LSR 482 XA).
	rePlate = []*regexp.Regexp{
		regexp.MustCompile(`\b[A-Z]{2}\d{2} ?[A-Z]{3}\b`),
		regexp.MustCompile(`\b[A-HJ-PR-Y]\d{1,3} ?[A-Z]{3}\b`),
		regexp.MustCompile(`\b[A-Z]{3} ?\d{1,3}[A-HJ-NP-Y]\b`),
		regexp.MustCompile(`\b\d{2,3}-[A-Z]{1,2}-\d{1,6}\b`),
		regexp.MustCompile(`\b[A-Z]{2} ?\d{1,2} ?[A-Z]{1,3} ?\d{4}\b`),
		regexp.MustCompile(`\b[A-Z]{3}[ \-]\d{3}[ \-][A-Z]{2}\b`),
	}
	// reHyphenPlate is three groups joined by hyphens, as French (GH-482-KM),
	// Belgian (1-GHK-482) and Dutch (XX-99-XX) plates are written.
	reHyphenPlate = regexp.MustCompile(`\b[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,3}\b`)
	// rePlateToken is one group of a plate written after a vehicle word.
	rePlateToken = regexp.MustCompile(`\b[A-Z0-9]+(?:[ \-][A-Z0-9]+){0,2}\b`)
)

// plateWords are words that name a registration outright; vehicleWords
// name a vehicle, whose registration may follow.
var (
	plateWords = []string{"plate", "registration", "reg", "rego", "immatriculation", "immatriculée",
		"immatriculé", "plaque", "kenteken", "matrícula", "matricula", "registreringsnummer", "licence number",
		"license number"}
	vehicleWords = []string{"car", "van", "ute", "truck", "vehicle", "minibus", "taxi", "keke", "auto",
		"voiture", "camionnette", "motorbike", "scooter", "jeep", "bus", "cab", "suv", "pickup", "bakkie",
		"danfo", "camion", "fourgon", "bil", "moto", "drives", "drove", "driven", "driving", "ford",
		"toyota", "honda", "nissan", "kia", "hyundai", "peugeot", "renault", "citroën", "vauxhall",
		"volkswagen", "vw", "skoda", "fiat", "mazda", "subaru", "tesla", "chevrolet", "dodge"}
)

// findVehicles finds vehicle registrations: the formats above anywhere, and
// shorter or looser codes (Ontario CBKR 482, French FNI 1234 AB 75,
// Australian 1HGT 482) when a vehicle or plate word comes first in the
// sentence.
func findVehicles(text string) [][2]int {
	wins := windows(text, isDigitAt, 12, 12)
	var out [][2]int
	for _, re := range rePlate {
		out = append(out, findIn(re, text, wins, 0)...)
	}
	for _, m := range findIn(reHyphenPlate, text, wins, 0) {
		if alternatingGroups(text[m[0]:m[1]]) {
			out = append(out, m)
		}
	}
	lower := asciiLower(text)
	for _, kw := range [][]string{plateWords, vehicleWords} {
		strong := len(kw) == len(plateWords)
		for _, m := range wordHits(lower, kw) {
			if !inPlaceholder(text, m[0]) {
				out = append(out, platesAfter(text, m[1], strong)...)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] > out[j][1] })
	return out
}

// alternatingGroups reports whether a hyphenated code mixes letter groups
// and digit groups, each pure, six or seven characters in all: a plate, not
// a date (12-03-21) or a reference (SDS-2023-04417).
func alternatingGroups(code string) bool {
	letters, digits := 0, 0
	for _, g := range strings.Split(code, "-") {
		switch n := countDigits(g); n {
		case 0:
			letters++
		case len(g):
			digits++
		default:
			return false
		}
	}
	n := len(code) - 2
	return letters > 0 && digits > 0 && n >= 6 && n <= 7
}

// platesAfter finds a plate among the next few words after a vehicle word,
// in the same sentence: upper-case letters and digits, four to eight of
// them, with a digit, and a letter unless the word was a plate word.
func platesAfter(text string, pos int, strong bool) [][2]int {
	end := clauseEnd(text, pos, 50)
	var out [][2]int
	for _, m := range rePlateToken.FindAllStringIndex(text[pos:end], -1) {
		s, e := pos+m[0], pos+m[1]
		code := text[s:e]
		n := len(strings.ReplaceAll(strings.ReplaceAll(code, " ", ""), "-", ""))
		d := countDigits(code)
		if n < 4 || n > 8 || d == 0 || d == n && !strong || isYearLike(code) || !bounded(text, s, e) {
			continue
		}
		out = append(out, [2]int{s, e})
	}
	return out
}
