package search

import (
	"context"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bindex "github.com/blevesearch/bleve_index_api"
)

// dfCache keeps the document frequencies that matching looked up in one
// snapshot of the index: the needs and offers of a node share most of their
// words, and counting a word's documents means reading its postings in every
// segment, which was a fifth of the cost of a match. A count is only ever
// served for the snapshot it was made in (a batch of changes or a merge
// makes another), so matching weighs the same words as without the cache.
// It holds two generations of at most dfCacheSize terms each: a term looked
// up again is kept, the others go when the older generation is dropped.
type dfCache struct {
	mu       sync.Mutex
	snap     bindex.IndexReader // compared by identity: a scorch snapshot
	total    uint64
	cur, old map[dfKey]uint64
}

type dfKey struct{ field, term string }

// dfCacheSize bounds a generation of the cache: about 2 MB.
const dfCacheSize = 1 << 14

// docFreqs is docFreqs, through the cache when there is one.
func (c *dfCache) docFreqs(ctx context.Context, idx bleve.Index, field string, terms map[string]int) map[string]uint64 {
	if c == nil {
		return docFreqs(ctx, idx, field, terms)
	}
	out := make(map[string]uint64, len(terms)+1)
	r, err := openReader(idx)
	if err != nil {
		return out
	}
	defer r.Close()
	var missing []string
	c.mu.Lock()
	if c.snap != r {
		n, err := r.DocCount()
		if err != nil {
			c.mu.Unlock()
			return out
		}
		c.snap, c.total, c.cur, c.old = r, n, map[dfKey]uint64{}, nil
	}
	out[""] = c.total
	for term := range terms {
		k := dfKey{field, term}
		if d, ok := c.cur[k]; ok {
			out[term] = d
		} else if d, ok := c.old[k]; ok {
			out[term] = d
			c.put(k, d)
		} else {
			missing = append(missing, term)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out
	}
	counted := make(map[string]uint64, len(missing))
	for _, term := range missing {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			continue
		}
		counted[term] = tfr.Count()
		_ = tfr.Close()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for term, d := range counted {
		out[term] = d
		if c.snap == r {
			c.put(dfKey{field, term}, d)
		}
	}
	return out
}

// put files a count in the current generation, which becomes the older one
// when full. The caller holds c.mu.
func (c *dfCache) put(k dfKey, d uint64) {
	if len(c.cur) >= dfCacheSize {
		c.old, c.cur = c.cur, make(map[dfKey]uint64, dfCacheSize)
	}
	c.cur[k] = d
}
