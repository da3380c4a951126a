package search

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/themes/lexicon"
)

// The lexical base of matching: the subject's own words against the other
// kind's text, as plain search would weigh them, and the same words widened
// by what the node knows of the language (translations, related words) and
// by the words of the best first-pass matches (pseudo-relevance feedback).
// Matching adds the concepts and themes to these rankings; it never replaces
// them (see fuse).

// Tuning of the lexical queries.
const (
	// lexicalTerms bounds the subject's words sought, the most distinctive
	// first, so that a long need costs no more than a short one.
	lexicalTerms = 24
	// postingsBudget bounds, as a share of the documents, how many postings
	// the words sought in one field may read in all, and maxPostings in any
	// index: common words cost the most and say the least.
	postingsBudget = 0.6
	maxPostings    = 5000
	// feedbackDocs are the best first-pass matches whose words widen the
	// second pass, and feedbackTerms how many of their words it takes.
	feedbackDocs  = 3
	feedbackTerms = 10
	// Boosts of the words the second pass adds, against the subject's own.
	boostFeedback    = 0.35
	boostTranslation = 0.6
	boostRelated     = 0.3
	boostCognate     = 0.3
)

// fieldTerms are the words sought in one field, with their boosts.
type fieldTerms struct {
	field, analyzer string
	lang            string
	terms           map[string]float64
}

// subjectTerms analyses the subject's text for each of its languages, in
// the other kind's field of that language, and keeps its most distinctive
// words there.
func (s *Service) subjectTerms(ctx context.Context, idx bleve.Index, dfs *dfCache, sub subject) []fieldTerms {
	langs := sub.langs
	if len(langs) == 0 {
		langs = []string{""}
	}
	var out []fieldTerms
	for _, lang := range langs {
		field, analyzer := textFieldFor(other(sub.kind).ObjectKind(), lang)
		if slices.ContainsFunc(out, func(f fieldTerms) bool { return f.field == field }) {
			continue
		}
		terms := distinctiveWithin(ctx, idx, dfs, sub.text, field, analyzer, lexicalTerms)
		ft := fieldTerms{field: field, analyzer: analyzer, lang: primaryLanguage(lang), terms: map[string]float64{}}
		for _, t := range terms {
			ft.terms[t.term] = t.weight
		}
		if len(ft.terms) > 0 {
			out = append(out, ft)
		}
	}
	return out
}

// distinctiveWithin keeps the text's words of most tf·idf in field, at most
// n, within the postings budget. Each word's boost is its weight in the text
// (1 + log tf): the index weighs its rarity itself.
func distinctiveWithin(ctx context.Context, idx bleve.Index, dfs *dfCache, text, field, analyzer string, n int) []weightedTerm {
	a := idx.Mapping().AnalyzerNamed(analyzer)
	if a == nil {
		return nil
	}
	tf := termCounts(boilerplateTerms(analyzer, a), a.Analyze([]byte(text)))
	df := dfs.docFreqs(ctx, idx, field, tf)
	total := float64(df[""]) + 1
	type scored struct {
		weightedTerm
		rank float64
		df   uint64
	}
	all := make([]scored, 0, len(tf))
	for term, c := range tf {
		d, ok := df[term]
		if !ok || d == 0 {
			continue
		}
		w := 1 + math.Log(float64(c))
		all = append(all, scored{weightedTerm{term, w}, w * idf(total, d), d})
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.rank != b.rank {
			return int(math.Copysign(1, b.rank-a.rank))
		}
		return strings.Compare(a.term, b.term)
	})
	budget := postingsFor(total)
	var out []weightedTerm
	var read uint64
	for _, sc := range all {
		if len(out) == n {
			break
		}
		if read+sc.df > budget && len(out) > 0 {
			continue
		}
		read += sc.df
		out = append(out, weightedTerm{sc.term, sc.weightedTerm.weight})
	}
	return out
}

// lexicalQuery seeks the terms, each in its field with its boost.
func lexicalQuery(fts []fieldTerms) query.Query {
	var qs []query.Query
	for _, ft := range fts {
		for _, term := range slices.Sorted(maps.Keys(ft.terms)) {
			t := termQuery(ft.field, term)
			t.SetBoost(ft.terms[term])
			qs = append(qs, t)
		}
	}
	if len(qs) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(qs)
}

// feedbackTermsOf are the most distinctive words of the best first-pass
// matches (their stored text), in the fields the subject is sought in,
// leaving out the words already sought.
func feedbackTermsOf(ctx context.Context, idx bleve.Index, dfs *dfCache, docIDs []string, fts []fieldTerms) []fieldTerms {
	if len(docIDs) == 0 || len(fts) == 0 {
		return nil
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(docIDs), len(docIDs), 0, false)
	req.Fields = []string{fText}
	res, err := idx.SearchInContext(ctx, req)
	if err != nil || len(res.Hits) == 0 {
		return nil
	}
	var texts []string
	for _, h := range res.Hits {
		texts = append(texts, str(h.Fields[fText]))
	}
	joined := strings.Join(texts, "\n")
	var out []fieldTerms
	for _, ft := range fts {
		add := fieldTerms{field: ft.field, analyzer: ft.analyzer, lang: ft.lang, terms: map[string]float64{}}
		for _, t := range distinctiveWithin(ctx, idx, dfs, joined, ft.field, ft.analyzer, feedbackTerms+len(ft.terms)) {
			if _, own := ft.terms[t.term]; !own && len(add.terms) < feedbackTerms {
				add.terms[t.term] = boostFeedback
			}
		}
		out = append(out, add)
	}
	return out
}

// Tuning of the bridges.
const (
	bridgeTerms      = 16 // at most, per field
	translationsKept = 6  // of each word, the dictionary's first
	relatedKept      = 6  // of each word, WordNet's first
	hypernymDiscount = 0.6
)

// related are the words WordNet relates to the subject's, in its English
// field, the rarest in the index first.
func (s *Service) related(ctx context.Context, idx bleve.Index, dfs *dfCache, words []string, fts []fieldTerms) []fieldTerms {
	var out []fieldTerms
	for _, ft := range fts {
		if ft.lang != "en" {
			continue
		}
		add := map[string]float64{}
		for _, w := range words {
			for i, r := range lexicon.RelatedWords(w) {
				if i == relatedKept {
					break
				}
				b := boostRelated
				if r.Relation == lexicon.Hypernym {
					b *= hypernymDiscount
				}
				addAnalysed(idx, ft.analyzer, r.Word, b, ft.terms, add)
			}
		}
		out = appendSelected(ctx, idx, dfs, out, ft.field, ft.analyzer, "en", add)
	}
	return out
}

// translations are the subject's words carried over to the network's other
// languages, by the bilingual dictionary and as cognates, each in the field
// of its language, the rarest in the index first.
func (s *Service) translations(ctx context.Context, idx bleve.Index, dfs *dfCache, sub subject, words []string, fts []fieldTerms) []fieldTerms {
	var out []fieldTerms
	for _, from := range sub.langs {
		for _, to := range lexicon.Languages {
			if to == from || slices.ContainsFunc(fts, func(f fieldTerms) bool { return f.lang == to }) {
				continue
			}
			field, analyzer := textFieldFor(other(sub.kind).ObjectKind(), to)
			add := map[string]float64{}
			for _, w := range words {
				trs := lexicon.Translate(w, from, to)
				for _, tr := range trs[:min(len(trs), translationsKept)] {
					addAnalysed(idx, analyzer, tr, boostTranslation, nil, add)
				}
				// Cognates: "autiste" and "autistic" meet in the other
				// language's stems.
				addAnalysed(idx, analyzer, Fold(w), boostCognate, nil, add)
			}
			out = appendSelected(ctx, idx, dfs, out, field, analyzer, to, add)
		}
	}
	return out
}

// addAnalysed adds the terms of text, as analyzer makes them, at boost b,
// unless own seeks them already.
func addAnalysed(idx bleve.Index, analyzer, text string, b float64, own, add map[string]float64) {
	a := idx.Mapping().AnalyzerNamed(analyzer)
	if a == nil {
		return
	}
	stop := boilerplateTerms(analyzer, a)
	for _, tok := range a.Analyze([]byte(text)) {
		term := string(tok.Term)
		if _, mine := own[term]; mine || len(term) < 2 || stop[term] {
			continue
		}
		add[term] = max(add[term], b)
	}
}

// appendSelected adds to out the terms of add that the field holds, the
// rarest first (boost × idf), at most bridgeTerms.
func appendSelected(ctx context.Context, idx bleve.Index, dfs *dfCache, out []fieldTerms, field, analyzer, lang string, add map[string]float64) []fieldTerms {
	if len(add) == 0 {
		return out
	}
	counts := make(map[string]int, len(add))
	for t := range add {
		counts[t] = 1
	}
	df := dfs.docFreqs(ctx, idx, field, counts)
	total := float64(df[""]) + 1
	type scored struct {
		term string
		rank float64
	}
	var all []scored
	for t, b := range add {
		if d := df[t]; d > 0 {
			all = append(all, scored{t, b * idf(total, d)})
		}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.rank != b.rank {
			return int(math.Copysign(1, b.rank-a.rank))
		}
		return strings.Compare(a.term, b.term)
	})
	ft := fieldTerms{field: field, analyzer: analyzer, lang: lang, terms: map[string]float64{}}
	budget, read := postingsFor(total), uint64(0)
	for _, sc := range all {
		if len(ft.terms) == bridgeTerms {
			break
		}
		if d := df[sc.term]; read+d <= budget {
			ft.terms[sc.term], read = add[sc.term], read+d
		}
	}
	if len(ft.terms) == 0 {
		return out
	}
	return append(out, ft)
}

// postingsFor is the postings budget of a query in an index of total documents.
func postingsFor(total float64) uint64 {
	return uint64(min(postingsBudget*total, maxPostings))
}

// plainWords are the distinct words of text, lower case, in order.
func plainWords(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-' && r != '\''
	}) {
		w = strings.Trim(w, "-'")
		if i := strings.IndexByte(w, '\''); i >= 0 && i <= 2 { // l'accompagnement, d'emploi
			w = w[i+1:]
		}
		if len(w) > 2 && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
