package search

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Even compact, reading a hit's facet values from Bleve's doc values costs
// most of a microsecond (a search of 26,000 hits spent 20 ms on it, and
// 8 ms on the search itself). So the facet values of every document are
// kept in memory, by segment: a segment of the index never changes once
// written, so its table is made once (from its doc values), when a search
// first meets it, and dropped when merges have replaced it. A hit is then
// counted by its segment and number in that segment, in a few nanoseconds.
//
// A hit's number in the index is that of its segment's first document plus
// its number in the segment; the first numbers add up the sizes of the
// segments before, deleted documents included, as Bleve's snapshot does
// (scorch's offsets). TestFacetTableMatchesBleve holds the two counts equal.

// facetTable holds the facet values of the documents of an index's
// segments. Its zero value is ready to use.
type facetTable struct {
	mu       sync.Mutex
	segments map[segment.Segment]*segmentFacets
	combos   interner[string] // kind, countries and languages (facets.go)
	sets     interner[string] // sets of themes, as their codes one after the other
}

// segmentFacets are the facet values of one segment, by document number.
type segmentFacets struct {
	once sync.Once
	rows []facetRow
	err  error
}

// facetRow is a document's combination and set of themes, by number.
type facetRow struct{ combo, set uint32 }

// facetHits counts the facets of the hits of one search.
type facetHits struct {
	offsets []uint64     // number of each segment's first document
	rows    [][]facetRow // by segment
	last    int          // the segment of the last hit: hits come in order
	combos  []int        // counts by combination number
	sets    []int        // counts by set number
}

// start prepares the counting of the hits of a search on reader. It
// returns false when reader is not a snapshot of a scorch index.
func (t *facetTable) start(reader index.IndexReader) (*facetHits, bool, error) {
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return nil, false, nil
	}
	segs := snap.Segments()
	h := &facetHits{offsets: make([]uint64, len(segs)), rows: make([][]facetRow, len(segs))}
	var first uint64
	for i, ss := range segs {
		rows, err := t.rowsOf(ss.Segment())
		if err != nil {
			return nil, true, err
		}
		h.offsets[i], h.rows[i] = first, rows
		first += ss.Segment().Count()
	}
	t.mu.Lock()
	h.combos, h.sets = make([]int, len(t.combos.values)), make([]int, len(t.sets.values))
	if len(t.segments) > 2*len(segs)+8 {
		t.forgetExcept(segs)
	}
	t.mu.Unlock()
	return h, true, nil
}

// add counts one hit.
func (h *facetHits) add(id index.IndexInternalID) {
	if len(id) != 8 {
		return
	}
	n := binary.BigEndian.Uint64(id)
	i := h.last
	if n < h.offsets[i] || (i+1 < len(h.offsets) && n >= h.offsets[i+1]) {
		i = sort.Search(len(h.offsets), func(x int) bool { return h.offsets[x] > n }) - 1
		h.last = i
	}
	if local := n - h.offsets[i]; local < uint64(len(h.rows[i])) {
		r := h.rows[i][local]
		h.combos[r.combo]++
		h.sets[r.set]++
	}
}

// counts turns the counts by number into counts by value of fFacets.
func (t *facetTable) counts(h *facetHits) *facetCounter {
	c := &facetCounter{slot: map[string]int{}}
	t.mu.Lock()
	defer t.mu.Unlock()
	for n, count := range h.combos {
		if count > 0 && n > 0 {
			c.add(t.combos.values[n], count)
		}
	}
	for n, count := range h.sets {
		if count == 0 || n == 0 {
			continue
		}
		set := t.sets.values[n]
		for len(set) > 0 {
			end := strings.IndexByte(set[1:], themeMark) + 1
			if end == 0 {
				end = len(set)
			}
			c.add(set[:end], count)
			set = set[end:]
		}
	}
	return c
}

// rowsOf returns the table of a segment, made the first time.
func (t *facetTable) rowsOf(seg segment.Segment) ([]facetRow, error) {
	t.mu.Lock()
	if t.segments == nil {
		t.segments = map[segment.Segment]*segmentFacets{}
		t.combos.number("") // number 0: no values
		t.sets.number("")
	}
	sf := t.segments[seg]
	if sf == nil {
		sf = &segmentFacets{}
		t.segments[seg] = sf
	}
	t.mu.Unlock()
	sf.once.Do(func() { sf.rows, sf.err = t.read(seg) })
	return sf.rows, sf.err
}

// read makes the table of a segment from its doc values.
func (t *facetTable) read(seg segment.Segment) ([]facetRow, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("search: a segment of the index has no doc values")
	}
	type values struct{ combo, set string }
	docs := make([]values, seg.Count())
	fields := []string{fFacets}
	var state segment.DocVisitState
	var combo string
	var set []byte
	for n := range docs {
		combo, set = "", set[:0]
		var err error
		state, err = dv.VisitDocValues(uint64(n), fields, func(_ string, term []byte) {
			if len(term) > 0 && term[0] == themeMark {
				set = append(set, term...)
			} else {
				combo = string(term)
			}
		}, state)
		if err != nil {
			return nil, fmt.Errorf("search: read facets: %w", err)
		}
		docs[n] = values{combo, string(set)}
	}
	rows := make([]facetRow, len(docs))
	t.mu.Lock()
	defer t.mu.Unlock()
	for n, v := range docs {
		rows[n] = facetRow{t.combos.number(v.combo), t.sets.number(v.set)}
	}
	return rows, nil
}

// forgetExcept drops the tables of segments that merges have replaced.
func (t *facetTable) forgetExcept(live []*scorch.SegmentSnapshot) {
	keep := make(map[segment.Segment]bool, len(live))
	for _, ss := range live {
		keep[ss.Segment()] = true
	}
	for seg := range t.segments {
		if !keep[seg] {
			delete(t.segments, seg)
		}
	}
}
