package lexicon

import (
	"runtime"
	"slices"
	"strings"
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

// TestTablesLoadCompactly: a table costs little more than its text, loading
// it included (a map of its words and a growing buffer took three times
// the text), and every word of it is found with its own values.
func TestTablesLoadCompactly(t *testing.T) {
	tb := &table{file: "data/wordnet_en.txt.gz"}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tb.once.Do(tb.load)
	runtime.ReadMemStats(&after)
	if len(tb.text) < 1<<20 {
		t.Fatalf("text of %d bytes", len(tb.text))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; float64(alloc) > 1.2*float64(len(tb.text)) {
		t.Errorf("loading %d bytes of text allocated %d", len(tb.text), alloc)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSuffix(tb.text, "\n"), "\n") {
		word, values, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		n++
		if got := tb.values(word); strings.Join(got, ",") != values {
			t.Fatalf("values(%q) = %v, want %q", word, got, values)
		}
	}
	if n != len(tb.lines) || tb.values("zzqx") != nil || tb.values("") != nil {
		t.Errorf("%d words, %d lines; unknown words found", n, len(tb.lines))
	}
}
