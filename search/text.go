package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// Tuning of text queries.
const (
	boostLanguage = 1.0 // the text analysed in its language (stemmed)
	boostTheme    = 3   // times the confidence that the query is about the theme
	boostSynonym  = 0.3
	minThemeScore = 0.4 // themes of the query below this are not expanded
	maxThemes     = 2
	maxSynonyms   = 6 // per theme
	// maxAllWords is the longest search whose words must all be found (in
	// one field); a longer text, such as a need's, finds any of its words.
	maxAllWords = 4
)

// textQuery finds text: the words themselves in any language, stemmed in the
// given languages and, when expand is set, the synonyms of the themes the
// text is about. Those themes also raise the score of what is tagged with
// them; they do not widen the result by themselves, so that a search stays
// as selective as its words and synonyms.
func textQuery(text string, kinds []library.ObjectKind, langs []string, expand bool) query.Query {
	all := len(strings.Fields(text)) <= maxAllWords
	words := []query.Query{match(text, fText, 1, all)}
	for _, lang := range langs {
		if !analysedLanguage(lang) {
			continue
		}
		for _, kind := range kinds {
			words = append(words, match(text, langField(kind, primaryLanguage(lang)), boostLanguage, all))
		}
	}
	var boosts []query.Query
	for _, sc := range queryThemes(text, langs) {
		t := termQuery(fThemes, sc.Slug)
		t.SetBoost(boostTheme * sc.Score)
		boosts = append(boosts, t)
		if expand {
			words = append(words, synonyms(sc.Slug, firstOr(langs, "en"))...)
		}
	}
	return query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(words)}, boosts, nil)
}

// queryThemes are the themes a search is about, surest first.
func queryThemes(text string, langs []string) []themes.Score {
	var out []themes.Score
	for i, sc := range themes.Infer(text, firstOr(langs, "")) {
		if sc.Score < minThemeScore || i == maxThemes {
			break
		}
		out = append(out, sc)
	}
	return out
}

// synonyms finds the synonyms of a theme in any language's text.
func synonyms(slug, lang string) []query.Query {
	var out []query.Query
	for _, w := range synonymWords(slug, lang) {
		out = append(out, match(w, fText, boostSynonym, false))
	}
	return out
}

// synonymWords are the theme's label and first synonyms in the language of
// the search and in English, those of one word: a phrase query reads the
// positions of its words in every document that has them all, which made a
// widened search ten times slower.
func synonymWords(slug, lang string) []string {
	t, ok := themes.Lookup(slug)
	if !ok {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range []string{primaryLanguage(lang), "en"} {
		for _, term := range append([]string{t.Labels[l]}, t.Synonyms[l]...) {
			term = strings.ToLower(strings.TrimSpace(term))
			if len(out) == maxSynonyms || seen[term] || len(strings.Fields(term)) != 1 {
				continue
			}
			seen[term] = true
			out = append(out, term)
		}
	}
	return out
}

// markedWords are the words a snippet marks: those textQuery looks for in
// the any-language text.
func markedWords(text string, langs []string, expand bool) string {
	words := []string{text}
	if expand {
		for _, sc := range queryThemes(text, langs) {
			words = append(words, synonymWords(sc.Slug, firstOr(langs, "en"))...)
		}
	}
	return strings.Join(words, " ")
}

// match finds any of the words of text in field, or all of them.
func match(text, field string, boost float64, all bool) *query.MatchQuery {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	if all {
		q.SetOperator(query.MatchQueryOperatorAnd)
	}
	return q
}
