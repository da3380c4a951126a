package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cs"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/el"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fi"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// foldFilterName is the token filter that removes accents, so that "é", "É"
// and "e" (and Greek "ά" and "α") index alike.
const foldFilterName = "commonplace_fold"

// fallbackAnalyzer reads any language: words, lowercased and folded, no stemming.
const fallbackAnalyzer = "commonplace_any"

// chain is the analysis of one language: filters between lowercasing and folding
// (elision, stop words, normalisation), and the stemmer that runs on folded words.
type chain struct {
	before  []string
	stemmer string
}

// languages are the languages with their own analysis; any other language is
// read by fallbackAnalyzer only. Greek and Czech have stop words but no stemmer
// in Bleve v2.5.7.
var languages = map[string]chain{
	"en": {[]string{en.PossessiveName, en.StopName}, porter.Name},
	"fr": {[]string{fr.ElisionName, fr.StopName}, fr.LightStemmerName},
	"es": {[]string{es.StopName}, es.LightStemmerName},
	"de": {[]string{de.StopName, de.NormalizeName}, de.LightStemmerName},
	"nl": {[]string{nl.StopName}, nl.SnowballStemmerName},
	"it": {[]string{it.ElisionName, it.StopName}, it.LightStemmerName},
	"pt": {[]string{pt.StopName}, pt.LightStemmerName},
	"fi": {[]string{fi.StopName}, fi.SnowballStemmerName},
	"el": {[]string{el.StopName}, ""},
	"cs": {[]string{cs.StopName}, ""},
}

// analyzerName is the analyzer registered for a language of the table.
func analyzerName(lang string) string { return "commonplace_" + lang }

func init() {
	must(registry.RegisterTokenFilter(foldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}))
	must(registry.RegisterTokenizer(lettersName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return letters{}, nil
	}))
	must(registry.RegisterAnalyzer(fallbackAnalyzer, chainAnalyzer(wordsName, chain{})))
	for lang, c := range languages {
		must(registry.RegisterAnalyzer(analyzerName(lang), chainAnalyzer(lettersName, c)))
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// chainAnalyzer builds: words, lowercase, the language's filters, fold,
// stemmer. The any-language analysis finds words by Unicode's rules, so that
// numbers and every script are searchable; the languages' analyses, which
// run on every text again and again, take runs of letters, which is several
// times faster.
func chainAnalyzer(tokenizer string, c chain) registry.AnalyzerConstructor {
	return func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(tokenizer)
		if err != nil {
			return nil, err
		}
		names := append([]string{lowercase.Name}, c.before...)
		names = append(names, foldFilterName)
		if c.stemmer != "" {
			names = append(names, c.stemmer)
		}
		a := &analysis.DefaultAnalyzer{Tokenizer: tok}
		for _, n := range names {
			f, err := cache.TokenFilterNamed(n)
			if err != nil {
				return nil, err
			}
			if n == c.stemmer {
				f = &stemCache{stemmer: f}
			}
			a.TokenFilters = append(a.TokenFilters, f)
		}
		return a, nil
	}
}

// foldFilter removes diacritics and expands ligatures in every token.
type foldFilter struct{}

// Filter folds the tokens in place.
func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !isASCII(t.Term) {
			t.Term = []byte(Fold(string(t.Term)))
		}
	}
	return in
}

// ligatures are letters that decomposition does not split.
var ligatures = strings.NewReplacer("ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "ł", "l", "đ", "d", "ı", "i")

// Fold returns s without diacritics ("Équipe" keeps its case: "Equipe").
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(ligatures.Replace(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// primaryLanguage returns the primary subtag of a BCP 47 tag, lowercased ("pt-BR" -> "pt").
func primaryLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// analysedLanguage reports whether lang has an analyzer of its own.
func analysedLanguage(lang string) bool {
	_, ok := languages[primaryLanguage(lang)]
	return ok
}
