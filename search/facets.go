package search

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// Counting facets is most of the cost of a search that finds many
// documents: for every hit, Bleve reads its facet values (doc values, which
// it decompresses a thousand documents at a time) and counts each one.
// Facets are therefore counted from one field, fFacets, whose values are
// few and short: the document's kind, countries and languages together in
// one value ("oFR,GB|en,fr": few distinct combinations), and each of its
// themes by number ("#q"). The combinations are counted whole, then added
// up into the kind, country and language facets, which gives the same
// counts as a facet per field.

// facetSize is how many values of each facet a search returns.
const facetSize = 20

// themeMark starts the value of a theme.
const themeMark = '#'

// kindCodes are the letters of the kinds in facet values, and kindOfCode
// the reverse.
var (
	kindCodes = map[string]byte{string(library.KindOffer): 'o', string(library.KindNeed): 'n',
		string(library.KindStory): 's', string(library.KindEvent): 'e', string(library.KindOrganization): 'g'}
	kindOfCode = func() map[byte]string {
		out := map[byte]string{}
		for kind, code := range kindCodes {
			out[code] = kind
		}
		return out
	}()
)

// themeCodes number the themes of the taxonomy, in its order (the index is
// rebuilt when the taxonomy changes), and themeOfCode is the reverse.
var themeCodes, themeOfCode = func() (map[string]string, map[string]string) {
	codes, slugs := map[string]string{}, map[string]string{}
	for i, t := range themes.All() {
		code := string(themeMark) + strconv.FormatInt(int64(i), 36)
		codes[t.Slug], slugs[code] = code, t.Slug
	}
	return codes, slugs
}()

// withFacets adds to a document the facet values of its fields.
func withFacets(d document) document {
	var combo strings.Builder
	for _, kind := range strsOf(d[fKind]) {
		combo.WriteByte(kindCodes[kind])
	}
	combo.WriteString(facetList(d[fCountry]))
	combo.WriteByte('|')
	combo.WriteString(facetList(d[fLang]))
	values := []string{combo.String()}
	for _, slug := range strsOf(d[fThemes]) {
		if code, ok := themeCodes[slug]; ok {
			values = append(values, code)
		}
	}
	d[fFacets] = values
	return d
}

// facetList is a field's distinct values, sorted and joined.
func facetList(v any) string {
	values := slices.Clone(strsOf(v))
	slices.Sort(values)
	return strings.Join(slices.Compact(values), ",")
}

// searchFaceted runs a search request (without facets or highlighting of
// its own) as Bleve does, and counts the values of fFacets of every hit on the way: from the
// table when there is one, else (a test compares the two) from Bleve's doc
// values with a facetCounter.
func searchFaceted(ctx context.Context, idx bleve.Index, req *bleve.SearchRequest, table *facetTable) (*bleve.SearchResult, *facetCounter, error) {
	reader, err := openReader(idx)
	if err != nil {
		return nil, nil, err
	}
	defer reader.Close()
	searcher, err := req.Query.Searcher(ctx, reader, idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, nil, err
	}
	defer searcher.Close()
	coll := collector.NewTopNCollector(req.Size, req.From, req.Sort)
	var hits *facetHits
	if table != nil {
		if hits, _, err = table.start(reader); err != nil {
			return nil, nil, err
		}
	}
	counter := &facetCounter{slot: map[string]int{}}
	if hits != nil {
		searcher = countingSearcher{searcher, hits}
	} else {
		builder := search.NewFacetsBuilder(reader)
		builder.Add(fFacets, counter)
		coll.SetFacetsBuilder(builder)
	}
	if err := coll.Collect(ctx, searcher, reader); err != nil {
		return nil, nil, err
	}
	if hits != nil {
		counter = table.counts(hits)
	}
	found := coll.Results()
	if err := loadHits(reader, req, found); err != nil {
		return nil, nil, err
	}
	return &bleve.SearchResult{Hits: found, Total: coll.Total(), MaxScore: coll.MaxScore()}, counter, nil
}

// loadHits reads the stored fields of the hits shown.
func loadHits(reader index.IndexReader, req *bleve.SearchRequest, hits search.DocumentMatchCollection) error {
	for _, hit := range hits {
		if err, _ := bleve.LoadAndHighlightFields(hit, req, "", reader, nil); err != nil {
			return err
		}
	}
	return nil
}

// countingSearcher counts the facets of every document its searcher finds.
type countingSearcher struct {
	search.Searcher
	hits *facetHits
}

func (c countingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := c.Searcher.Next(ctx)
	if d != nil {
		c.hits.add(d.IndexInternalID)
	}
	return d, err
}

// facetCounter counts the values of fFacets, without making a string of
// each: a value is looked up by its bytes, and only a new one is kept.
type facetCounter struct {
	slot   map[string]int // value -> index in values and counts
	values []string
	counts []int
}

func (c *facetCounter) StartDoc() {}
func (c *facetCounter) EndDoc()   {}

func (c *facetCounter) UpdateVisitor(term []byte) {
	if i, ok := c.slot[string(term)]; ok {
		c.counts[i]++
		return
	}
	c.add(string(term), 1)
}

// add adds n to the count of a value.
func (c *facetCounter) add(v string, n int) {
	if i, ok := c.slot[v]; ok {
		c.counts[i] += n
		return
	}
	c.slot[v] = len(c.values)
	c.values, c.counts = append(c.values, v), append(c.counts, n)
}

// Result is empty: the counts are read by facetsOf.
func (c *facetCounter) Result() *search.FacetResult { return &search.FacetResult{Field: fFacets} }
func (c *facetCounter) Field() string               { return fFacets }
func (c *facetCounter) Size() int                   { return 0 }

// facetsOf makes the facets of a search from the counts of fFacets.
func facetsOf(c *facetCounter) map[string]Facet {
	kinds, countries, langs, topics := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for i, v := range c.values {
		n := c.counts[i]
		if slug, ok := themeOfCode[v]; ok {
			topics[slug] += n
			continue
		}
		if v == "" || v[0] == themeMark {
			continue // a theme of another taxonomy, in an index about to be rebuilt
		}
		if kind, ok := kindOfCode[v[0]]; ok {
			kinds[kind] += n
		}
		where, lang, _ := strings.Cut(v[1:], "|")
		addEach(countries, where, n)
		addEach(langs, lang, n)
	}
	return map[string]Facet{"kind": firstValues(kinds), "country": firstValues(countries),
		"lang": firstValues(langs), "theme": firstValues(topics)}
}

// addEach adds n to the count of each value of a list joined by commas.
func addEach(counts map[string]int, list string, n int) {
	for v := range strings.SplitSeq(list, ",") {
		if v != "" {
			counts[v] += n
		}
	}
}

// firstValues keeps the facetSize most frequent values, ties in the order
// of the values, as Bleve does.
func firstValues(counts map[string]int) Facet {
	values := strongestFirst(counts)
	out := Facet{}
	for _, v := range values[:min(len(values), facetSize)] {
		out[v] = counts[v]
	}
	return out
}
