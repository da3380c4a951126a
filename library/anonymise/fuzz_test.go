package anonymise

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// maxGrowth bounds how much longer the output can be than the input. The
// tightest detector is a unit number written "#4": 2 bytes become the 17 of
// "[address removed]", 8.5 times (the fuzzer found it, "#0"); next come a
// four-digit postcode after a state ("VIC 3011": 4 bytes for the 18 of
// "[postcode removed]") and a handle "@abc" (4 for 16). So the output is at
// most nine times the input, with no constant needed.
const maxGrowth = 9

func FuzzAnonymise(f *testing.F) {
	for _, seed := range []string{
		"Aisha Khan (born 14 March 1989) lives at Flat 2, 47 Kelvin Crescent, G12 8QT.",
		"Call Mr Okafor on 07700 900123 or +44 7700 900123, or (416) 555 0199.",
		"NHS number 943 476 5919, NI QQ 12 34 56 C, SSN 123-45-6789, SIN 046 454 286.",
		"Will said May was hard. Grace moved to 123 rue Saint-Denis, Montréal H2X 3K8.",
		"Email aisha@example.org, see https://example.org/aisha or @aisha_k@social.example.",
		"Marie-Ève O'Neill, née le 3 mars 1995, ID: AB-12345. Hope is a word.",
		"Sanne van der Berg, Oudegracht 212-bis, 3511 NR Utrecht. Atlanta, GA 30309-1124.",
		"[[name:x]] ]] [[ @ @@ .. -- 0 00 000-00-0000 +++ \u00a0\u200b\ufeff",
	} {
		f.Add(seed, "")
	}
	for _, st := range loadCorpusFiles(f)[:6] {
		para, _, _ := strings.Cut(st.body, "\n\n") // short seeds keep minimising quick
		f.Add(para, st.title)
	}
	a := testAnonymiser(f)
	f.Fuzz(func(t *testing.T, body, title string) {
		start := time.Now()
		first := a.Anonymise(Input{Title: title, Body: body})
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("slow: %v for %d bytes", d, len(title)+len(body))
		}
		checkGrowth(t, title+body, first)
		checkOffsets(t, title, body, first.Redactions)
		checkSecondPass(t, a, first)
	})
}

// TestSecondPassOnCorpus checks on every story what the fuzz test checks on
// random text: anonymising the output again finds only the fictional names.
func TestSecondPassOnCorpus(t *testing.T) {
	a := testAnonymiser(t)
	for _, st := range loadCorpusFiles(t) {
		t.Run(st.name, func(t *testing.T) {
			checkSecondPass(t, a, a.Anonymise(Input{Title: st.title, Body: st.body}))
		})
	}
}

// checkSecondPass anonymises first's output again and fails on any
// redaction but of a fictional name that first chose.
func checkSecondPass(t *testing.T, a *Anonymiser, first Result) {
	t.Helper()
	fictional := map[string]bool{}
	for _, r := range first.Redactions {
		if r.Kind == KindName {
			fictional[r.Replacement] = true
		}
	}
	second := a.Anonymise(Input{Title: first.Title, Body: first.Body})
	for _, r := range second.Redactions {
		if r.Kind != KindName || !fictional[r.Original] {
			t.Errorf("second pass found %s %q (%s %d-%d) in %q", r.Kind, r.Original, r.Field, r.Start, r.End, first.Title+"\n"+first.Body)
		}
	}
}

func checkGrowth(t *testing.T, in string, res Result) {
	t.Helper()
	if out := len(res.Title) + len(res.Body); out > maxGrowth*len(in) {
		t.Errorf("output %d bytes for input %d", out, len(in))
	}
	for _, r := range res.Redactions {
		if len(r.Replacement) > maxGrowth*len(r.Original) {
			t.Errorf("%s %q replaced by longer %q", r.Kind, r.Original, r.Replacement)
		}
	}
}

// checkOffsets verifies that every redaction's rune offsets select its
// Original in the input field.
func checkOffsets(t *testing.T, title, body string, reds []Redaction) {
	t.Helper()
	for _, r := range reds {
		text := body
		if r.Field == "title" {
			text = title
		}
		runes := []rune(text)
		if r.Start < 0 || r.End > len(runes) || r.Start >= r.End {
			t.Fatalf("bad offsets %d-%d for %q in %d runes", r.Start, r.End, r.Original, len(runes))
		}
		if got := string(runes[r.Start:r.End]); got != r.Original && utf8.ValidString(text) {
			t.Errorf("offsets %d-%d select %q, want %q", r.Start, r.End, got, r.Original)
		}
	}
}
