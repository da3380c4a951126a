package search

import (
	"math"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
)

// Counting facets is most of the cost of a search that finds many
// documents: for every hit, Bleve reads its facet values (doc values) and
// counts each one. Facets are therefore counted from one field, fFacets,
// that holds few values per document: its themes ("t:housing"), and its
// kind, countries and languages together ("k:offer|FR,GB|en,fr"), which
// take few distinct combinations. The combinations are counted whole and
// then added up into the kind, country and language facets, which gives
// the same counts as a facet per field.

// facetSize is how many values of each facet a search returns.
const facetSize = 20

// Prefixes of the values of fFacets.
const (
	themePrefix = "t:"
	comboPrefix = "k:"
)

// withFacets adds to a document the facet values of its fields.
func withFacets(d document) document {
	values := []string{comboPrefix + strings.Join([]string{
		strings.Join(stringsOf(d[fKind]), ","), facetList(d[fCountry]), facetList(d[fLang])}, "|")}
	for _, slug := range stringsOf(d[fThemes]) {
		values = append(values, themePrefix+slug)
	}
	d[fFacets] = values
	return d
}

// facetList is a field's distinct values, sorted and joined.
func facetList(v any) string {
	values := slices.Clone(stringsOf(v))
	slices.Sort(values)
	return strings.Join(slices.Compact(values), ",")
}

// stringsOf reads a document field holding a string or strings.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	}
	return nil
}

// addFacets asks for the facets of the whole result: every combination
// (there must be none left out for the sums to be right) and the first
// themes.
func addFacets(req *bleve.SearchRequest) {
	combos := bleve.NewFacetRequest(fFacets, math.MaxInt32)
	combos.SetPrefixFilter(comboPrefix)
	req.AddFacet(comboPrefix, combos)
	themes := bleve.NewFacetRequest(fFacets, facetSize)
	themes.SetPrefixFilter(themePrefix)
	req.AddFacet(themePrefix, themes)
}

// facetsOf reads the facets of a result.
func facetsOf(res *bleve.SearchResult) map[string]Facet {
	sums := [3]map[string]int{{}, {}, {}} // kind, country, language
	themes := Facet{}
	if fr := res.Facets[comboPrefix]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			parts := strings.SplitN(strings.TrimPrefix(t.Term, comboPrefix), "|", 3)
			for i, part := range parts {
				for _, v := range strings.Split(part, ",") {
					if v != "" {
						sums[i][v] += t.Count
					}
				}
			}
		}
	}
	if fr := res.Facets[themePrefix]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			themes[strings.TrimPrefix(t.Term, themePrefix)] = t.Count
		}
	}
	return map[string]Facet{"kind": firstValues(sums[0]), "country": firstValues(sums[1]),
		"lang": firstValues(sums[2]), "theme": themes}
}

// firstValues keeps the facetSize most frequent values, ties in the order
// of the values, as Bleve does.
func firstValues(counts map[string]int) Facet {
	values := make([]string, 0, len(counts))
	for v := range counts {
		values = append(values, v)
	}
	slices.SortFunc(values, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	out := Facet{}
	for _, v := range values[:min(len(values), facetSize)] {
		out[v] = counts[v]
	}
	return out
}
