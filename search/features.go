package search

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/citizen-network/commonplace/library"
)

// features is what matching weighs of every offer, need and organisation in
// the index, held in memory: a match weighs some eighty candidates, and
// reading each one's stored fields from the index (which means reading its
// whole text) was half the cost of matching. It mirrors the index: read
// from it when the node opens it, made with it by a rebuild, and updated
// with each batch of changes. Values are read exactly as from the stored
// fields, so matching scores the same.
type features struct {
	mu       sync.RWMutex
	listings map[string]listingFeatures // by document id
	orgs     map[string]orgFeatures     // by organisation id
	// Values that many listings share are kept once and named by number.
	names   interner[string]    // theme and concept slugs
	weights interner[float64]   // their weights
	lists   interner[string]    // languages, countries, formats, joined by "\x00"
	authors interner[author]    // the organisation of a listing
	listOf  map[uint32][]string // lists, split
	// dfs are the document frequencies matching looked up in the index.
	dfs dfCache
}

// listingFeatures are what matching weighs of one offer or need.
type listingFeatures struct {
	author    uint32
	published int64      // Unix seconds
	weights   []weighted // its themes, then its concepts
	themes    uint8      // how many of weights are themes
	langs     uint32
	countries uint32
	formats   uint32
}

// weighted is a slug and its weight, by number: there are a few dozen
// slugs, and a thousand weights at most (they are written with three
// decimals, from 0 to 1).
type weighted struct{ name, weight uint16 }

// author is the organisation of a listing: its id, and how a match shows it.
type author struct {
	id  string
	ref OrgRef
}

// orgFeatures are the themes of what an organisation has open, for reciprocity.
type orgFeatures struct{ offers, needs []string }

// interner numbers distinct values.
type interner[T comparable] struct {
	values []T
	index  map[T]uint32
}

// number is the number of v, given one if it has none.
func (in *interner[T]) number(v T) uint32 {
	if n, ok := in.index[v]; ok {
		return n
	}
	if in.index == nil {
		in.index = map[T]uint32{}
	}
	in.values = append(in.values, v)
	in.index[v] = uint32(len(in.values) - 1)
	return uint32(len(in.values) - 1)
}

func newFeatures() *features {
	return &features{listings: map[string]listingFeatures{}, orgs: map[string]orgFeatures{}, listOf: map[uint32][]string{}}
}

// put files the document of id (nil: deleted) in the table.
func (f *features) put(id string, d document) {
	f.mu.Lock()
	defer f.mu.Unlock()
	kind, objectID := splitDocID(id)
	switch {
	case kind == library.KindOrganization && d == nil:
		delete(f.orgs, objectID)
	case kind == library.KindOrganization:
		f.orgs[objectID] = orgFeatures{strings.Fields(str(d[fOffersAbout])), strings.Fields(str(d[fNeedsAbout]))}
	case kind != library.KindOffer && kind != library.KindNeed:
	case d == nil:
		delete(f.listings, id)
	default:
		f.listings[id] = f.listingOf(d)
	}
}

// listingOf makes the features of a listing's document, or of its stored
// fields read back from the index.
func (f *features) listingOf(d document) listingFeatures {
	by := author{str(d[fOrgID]), OrgRef{Handle: str(d[fOrgHandle]), Name: str(d[fOrgName]), Node: str(d[fNode])}}
	published, _ := time.Parse(publishedFormat, str(d[fPublished]))
	themes, concepts := parseThemeWeights(str(d[fThemeW])), parseThemeWeights(str(d[fConceptW]))
	weights := f.weighted(make([]weighted, 0, len(themes)+len(concepts)), themes)
	return listingFeatures{author: f.authors.number(by), published: published.Unix(),
		weights: f.weighted(weights, concepts), themes: uint8(len(themes)),
		langs: f.list(strsOf(d[fLang])), countries: f.list(strsOf(d[fCountry])), formats: f.list(strsOf(d[fFormat]))}
}

// weighted adds the slugs and weights of ws to out.
func (f *features) weighted(out []weighted, ws map[string]float64) []weighted {
	for slug, w := range ws {
		out = append(out, weighted{uint16(f.names.number(slug)), uint16(f.weights.number(w))})
	}
	return out
}

// list numbers a list of strings.
func (f *features) list(values []string) uint32 {
	n := f.lists.number(strings.Join(values, "\x00"))
	if _, ok := f.listOf[n]; !ok && len(values) > 0 {
		f.listOf[n] = values
	}
	return n
}

// strsOf reads a field of a document or a stored field: a string or strings.
func strsOf(v any) []string {
	if x, ok := v.([]string); ok {
		return x
	}
	return strs(v)
}

// candidate is the listing of document id as a candidate of kind, if the
// table has it.
func (f *features) candidate(id string, kind library.ListingKind) (*candidate, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	l, ok := f.listings[id]
	if !ok {
		return nil, false
	}
	_, objectID := splitDocID(id)
	by := f.authors.values[l.author]
	c := &candidate{
		ref:       ListingRef{Kind: string(kind), ID: objectID, Org: by.ref, orgID: by.id},
		themes:    f.weightMap(l.weights[:l.themes]),
		concepts:  f.weightMap(l.weights[l.themes:]),
		langs:     f.listOf[l.langs],
		countries: f.listOf[l.countries],
		formats:   f.listOf[l.formats],
		published: time.Unix(l.published, 0).UTC(),
	}
	return c, true
}

func (f *features) weightMap(ws []weighted) map[string]float64 {
	out := make(map[string]float64, len(ws))
	for _, w := range ws {
		out[f.names.values[w.name]] = f.weights.values[w.weight]
	}
	return out
}

// org is what the organisation has open, if the table has it.
func (f *features) org(id string) (orgFeatures, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	o, ok := f.orgs[id]
	return o, ok
}

// loadFeatures reads the table from an index: the stored fields of every
// organisation, offer and need, in the index's own order (paging through
// the documents sorted by id reads every id again for every page).
func loadFeatures(ctx context.Context, idx bleve.Index) (*features, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: read matching features: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: read matching features: %w", err)
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok && snap != nil {
		return readSegments(snap)
	}
	f := newFeatures()
	for _, kind := range []library.ObjectKind{library.KindOrganization, library.KindOffer, library.KindNeed} {
		if err := f.read(ctx, r, kind); err != nil {
			return nil, fmt.Errorf("search: read matching features of %s: %w", kind, err)
		}
	}
	return f, nil
}

// read files every document of kind.
func (f *features) read(ctx context.Context, r index.IndexReader, kind library.ObjectKind) error {
	docs, err := r.TermFieldReader(ctx, []byte(kind), fKind, false, false, false)
	if err != nil {
		return err
	}
	defer docs.Close()
	for {
		td, err := docs.Next(nil)
		if err != nil || td == nil {
			return err
		}
		id, err := r.ExternalID(td.ID)
		if err != nil {
			return err
		}
		doc, err := r.Document(id)
		if err != nil {
			return err
		}
		if doc != nil {
			f.put(id, storedFields(doc))
		}
	}
}

// featureFields are the stored fields the table is made of.
var featureFields = map[string]bool{fOrgID: true, fOrgHandle: true, fOrgName: true, fNode: true, fPublished: true,
	fThemeW: true, fConceptW: true, fLang: true, fCountry: true, fFormat: true, fOffersAbout: true, fNeedsAbout: true}

// readSegments files every organisation, offer and need of a snapshot,
// segment by segment, reading only the stored fields the table holds:
// making each document whole, after finding it by its id, allocated some
// 11 KB a listing (1.1 GB for 100,000 objects) and most of a node's start.
func readSegments(snap *scorch.IndexSnapshot) (*features, error) {
	f := newFeatures()
	for _, seg := range snap.Segments() {
		it := seg.DocNumbersLive().Iterator()
		for it.HasNext() {
			var id string
			d := document{}
			err := seg.VisitDocument(uint64(it.Next()), func(name string, _ byte, val []byte, _ []uint64) bool {
				if name == "_id" { // the first field visited
					id = string(val)
					kind, _ := splitDocID(id)
					return kind == library.KindOrganization || kind == library.KindOffer || kind == library.KindNeed
				}
				if featureFields[name] {
					d.add(name, string(val))
				}
				return true
			})
			if err != nil {
				return nil, err
			}
			if kind, _ := splitDocID(id); kind == library.KindOrganization || kind == library.KindOffer || kind == library.KindNeed {
				f.put(id, d)
			}
		}
	}
	return f, nil
}

// storedFields reads a document's stored fields as a search hit has them:
// a string, or strings for a field of several values.
func storedFields(doc index.Document) document {
	d := document{}
	doc.VisitFields(func(field index.Field) { d.add(field.Name(), string(field.Value())) })
	return d
}

// add appends a stored value to a field: a string for one value, strings
// for several, as a search hit has them.
func (d document) add(name, v string) {
	switch old := d[name].(type) {
	case nil:
		d[name] = v
	case string:
		d[name] = []any{old, v}
	case []any:
		d[name] = append(old, v)
	}
}

// refs completes the listings of matches with what only the index keeps
// (address, link and title), for the few matches shown, and returns their
// texts by listing id.
func refs(ctx context.Context, idx bleve.Index, kind library.ListingKind, ms []Match) (map[string]string, error) {
	texts := map[string]string{}
	if len(ms) == 0 {
		return texts, nil
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = docID(kind.ObjectKind(), m.Listing.ID)
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fAPID, fURL, fTitle, fText}
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return texts, fmt.Errorf("search: read matches: %w", err)
	}
	byID := make(map[string]*bsearch.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	for i := range ms {
		if h := byID[ids[i]]; h != nil {
			l := &ms[i].Listing
			l.APID, l.URL, l.Title = str(h.Fields[fAPID]), str(h.Fields[fURL]), str(h.Fields[fTitle])
			texts[l.ID] = str(h.Fields[fText])
		}
	}
	return texts, nil
}
