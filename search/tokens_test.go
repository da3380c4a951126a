package search

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/character"
)

// tokenTexts are texts the analysis helpers must treat as Bleve does.
var tokenTexts = []struct{ name, text string }{
	{"empty", ""},
	{"words", "We want to learn how families recruit their own staff."},
	{"accents and digits", "Équipe d'accompagnement: 12 personnes, 3 ans — déjà!"},
	{"greek and finnish", "Προσωπικός προϋπολογισμός; henkilökohtainen budjetti"},
	{"ends in a word", "supported living"},
	{"not utf-8", "before \xff after"},
	{"replacement character", "one \uFFFD two"},
}

func TestLettersTokenizeAsBleve(t *testing.T) {
	bleveLetters := character.NewCharacterTokenizer(unicode.IsLetter)
	for _, tc := range tokenTexts {
		t.Run(tc.name, func(t *testing.T) {
			got, want := letters{}.Tokenize([]byte(tc.text)), bleveLetters.Tokenize([]byte(tc.text))
			if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
				t.Errorf("tokens = %v, Bleve's = %v", got, want)
			}
		})
	}
}

func TestStemCacheStemsAsStemmer(t *testing.T) {
	cached := &stemCache{stemmer: porter.NewPorterStemmer()}
	for _, tc := range tokenTexts {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // the second time from the cache
				got := cached.Filter(letters{}.Tokenize([]byte(tc.text)))
				want := porter.NewPorterStemmer().Filter(letters{}.Tokenize([]byte(tc.text)))
				if !reflect.DeepEqual(terms(got), terms(want)) {
					t.Errorf("stems = %q, the stemmer's = %q", terms(got), terms(want))
				}
			}
		})
	}
}

// TestStemCacheManyWords stems the words of the labelled offers twice,
// enough of them for the cache to freeze its stems several times.
func TestStemCacheManyWords(t *testing.T) {
	var offers []evalListing
	readJSON(t, "offers.json", &offers)
	cached := &stemCache{stemmer: porter.NewPorterStemmer()}
	for round := range 2 {
		for _, o := range offers {
			text := []byte(strings.ToLower(o.Title + " " + o.Body))
			got := cached.Filter(letters{}.Tokenize(text))
			want := porter.NewPorterStemmer().Filter(letters{}.Tokenize(text))
			if !reflect.DeepEqual(terms(got), terms(want)) {
				t.Fatalf("round %d: stems = %q, the stemmer's = %q", round, terms(got), terms(want))
			}
		}
	}
	if m := cached.frozen.Load(); m == nil || len(*m) < 256 {
		t.Fatalf("the cache froze too few stems")
	}
}

func terms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}
