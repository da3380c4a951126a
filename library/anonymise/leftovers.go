package anonymise

import (
	"strings"
	"unicode"
)

// Leftover is something still in an anonymised text that looks specific: a
// capitalised word no list knows as an ordinary word or a large place, a
// long number, letters and digits together, or a day next to a month. The
// anonymiser did not take it for personal data; the author decides.
type Leftover struct {
	Field string `json:"field"` // "title" or "body"
	Text  string `json:"text"`
	Why   string `json:"why"`
}

// Reasons a leftover is shown to the author.
const (
	WhyName   = "a capitalised word that may be a name or a small place"
	WhyNumber = "a number that may identify someone"
	WhyCode   = "letters and digits together, like a reference or a registration"
	WhyDate   = "a day of the month"
)

// Leftovers lists what still looks specific in a result, once per text and
// field, leaving out the fictional names the anonymiser put in itself.
func (a *Anonymiser) Leftovers(res Result) []Leftover {
	ours := map[string]bool{}
	for _, red := range res.Redactions {
		for _, w := range strings.Fields(red.Replacement) {
			ours[strings.ToLower(strings.Trim(w, ".,;:'’"))] = true
		}
	}
	lang := a.gaz.detectLanguage(res.Title + "\n" + res.Body)
	var out []Leftover
	seen := map[string]bool{}
	for _, f := range []struct{ name, text string }{{"title", res.Title}, {"body", res.Body}} {
		words := tokenize(f.text, false)
		a.gaz.classify(words, lang)
		for i, w := range words {
			why := leftoverReason(words, i)
			if why == "" || ours[w.lower] || seen[f.name+"\x00"+w.text] {
				continue
			}
			seen[f.name+"\x00"+w.text] = true
			out = append(out, Leftover{Field: f.name, Text: w.text, Why: why})
		}
	}
	return out
}

// leftoverReason says why words[i] still looks specific, or "".
func leftoverReason(words []word, i int) string {
	w := words[i]
	digits, letters := 0, 0
	for _, r := range w.text {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	switch {
	case digits > 0 && letters > 0 && !ordinalSuffix(w.lower):
		return WhyCode
	case digits > 0 && (monthAt(words, i-1) || monthAt(words, i+1)) && digits <= 2:
		return WhyDate
	case digits >= 3 && !(digits == 4 && (strings.HasPrefix(w.text, "19") || strings.HasPrefix(w.text, "20"))):
		return WhyNumber
	case w.cls == clsUnknown || w.cls == clsStrong:
		return WhyName
	case (w.cls == clsWeak || w.cls == clsAmbiguous) && !w.initial:
		return WhyName
	}
	return ""
}

// ordinalSuffix reports "3rd", "21st", "1er", "2e": a number, not a code.
func ordinalSuffix(lower string) bool {
	for _, s := range []string{"st", "nd", "rd", "th", "er", "e", "ème", "eme"} {
		if n := strings.TrimSuffix(lower, s); n != lower && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
	}
	return false
}

// monthAt reports whether words[i] names a month, in English or French.
func monthAt(words []word, i int) bool {
	if i < 0 || i >= len(words) {
		return false
	}
	return monthWords[words[i].lower]
}

// monthWords are monthNames in lower case, with and without accents
// (février, fevrier).
var monthWords = func() map[string]bool {
	unaccent := strings.NewReplacer("é", "e", "û", "u")
	out := map[string]bool{}
	for _, names := range monthNames {
		for _, n := range names[1:] {
			out[strings.ToLower(n)], out[unaccent.Replace(strings.ToLower(n))] = true, true
		}
	}
	return out
}()
