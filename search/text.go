package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/themes"
)

// Tuning of text queries.
const (
	boostLanguage  = 1.0 // the text analysed in its language (stemmed)
	boostTheme     = 1.5 // times the confidence that the query is about the theme
	boostSynonym   = 0.3
	minThemeScore  = 0.4 // themes of the query below this are not expanded
	maxThemes      = 2
	maxSynonyms    = 4 // per theme
	maxSynonymWord = 2 // longest synonym expanded, in words
)

// textQuery finds text: the words themselves in any language, stemmed in the
// given languages, and, when expand is set, the themes the text is about and
// their synonyms in every language of the taxonomy.
func textQuery(text string, langs []string, expand bool) query.Query {
	parts := []query.Query{match(text, fText, 1)}
	for _, lang := range langs {
		if analysedLanguage(lang) {
			parts = append(parts, match(text, textPrefix+primaryLanguage(lang), boostLanguage))
		}
	}
	if expand {
		parts = append(parts, themeExpansion(text, firstOr(langs, ""))...)
	}
	return query.NewDisjunctionQuery(parts)
}

// themeExpansion finds what is about the same themes as text, even in other words.
func themeExpansion(text, lang string) []query.Query {
	var out []query.Query
	n := 0
	for _, sc := range themes.Infer(text, lang) {
		if sc.Score < minThemeScore || n == maxThemes {
			break
		}
		n++
		t := termQuery(fThemes, sc.Slug)
		t.SetBoost(boostTheme * sc.Score)
		out = append(out, t)
		out = append(out, synonyms(sc.Slug)...)
	}
	return out
}

// synonyms are the theme's short labels and synonyms, as phrases.
func synonyms(slug string) []query.Query {
	var out []query.Query
	for _, term := range themes.Terms(slug) {
		if len(out) == maxSynonyms {
			break
		}
		words := len(strings.Fields(term))
		if words == 0 || words > maxSynonymWord {
			continue
		}
		q := query.NewMatchPhraseQuery(term)
		q.SetField(fText)
		q.SetBoost(boostSynonym)
		out = append(out, q)
	}
	return out
}

// match finds any of the words of text in field.
func match(text, field string, boost float64) *query.MatchQuery {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}
