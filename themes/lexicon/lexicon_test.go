package lexicon

import (
	"slices"
	"testing"
)

func TestRelatedWords(t *testing.T) {
	for _, tc := range []struct{ word, want string }{
		{"staff", "personnel"}, {"staffing", "personnel"}, {"recruiting", "enlist"},
		{"behaviours", "conduct"}, {"homes", "dwelling"},
	} {
		t.Run(tc.word, func(t *testing.T) {
			var got []string
			for _, r := range RelatedWords(tc.word) {
				got = append(got, r.Word)
			}
			if !slices.Contains(got, tc.want) {
				t.Errorf("RelatedWords(%q) = %v, want %q among them", tc.word, got, tc.want)
			}
		})
	}
	if got := RelatedWords("zzqx"); got != nil {
		t.Errorf("unknown word: %v", got)
	}
}

func TestTranslate(t *testing.T) {
	for _, tc := range []struct{ word, from, to, want string }{
		{"logement", "fr", "en", "accommodation"}, {"logements", "fr", "en", "accommodation"},
		{"recruter", "fr", "en", "recruit"}, {"famille", "fr", "en", "family"},
		{"family", "en", "fr", "famille"}, {"families", "en", "fr", "famille"},
	} {
		t.Run(tc.word, func(t *testing.T) {
			if got := Translate(tc.word, tc.from, tc.to); !slices.Contains(got, tc.want) {
				t.Errorf("Translate(%q, %s, %s) = %v, want %q among them", tc.word, tc.from, tc.to, got, tc.want)
			}
		})
	}
	if got := Translate("family", "en", "de"); got != nil {
		t.Errorf("another pair: %v", got)
	}
}
