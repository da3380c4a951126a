package themes

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzInfer infers the themes of a text in a language. Properties: every
// score is a confidence between minConfidence and 1; scores come best
// first; at most maxResults; every slug is a theme of the taxonomy, once.
func FuzzInfer(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/stories/*.txt")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b[:min(len(b), 3000)]), "en")
	}
	for _, s := range []string{"Housing and employment support for autistic adults.", "Logement et emploi pour les aidants.", "", "the the the"} {
		f.Add(s, "fr-CA")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := Infer(text, lang)
		if len(got) > maxResults {
			t.Fatalf("%d results", len(got))
		}
		seen := map[string]bool{}
		for i, s := range got {
			switch {
			case s.Score < minConfidence || s.Score > 1:
				t.Fatalf("%s scored %v", s.Slug, s.Score)
			case i > 0 && s.Score > got[i-1].Score:
				t.Fatalf("not best first: %v", got)
			case !Valid(s.Slug) || seen[s.Slug]:
				t.Fatalf("slug %q (seen %v)", s.Slug, seen[s.Slug])
			}
			seen[s.Slug] = true
		}
	})
}
