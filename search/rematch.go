package search

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// subjectFields are the stored fields a subject is read from, without the database.
var subjectFields = []string{fText, fThemeW, fConceptW, fLang, fCountry, fOrgID, fAPID, fURL, fTitle, fOrgHandle, fOrgName, fNode}

// subjectOfHit reads a listing from the index as a subject.
func subjectOfHit(h *bsearch.DocumentMatch) subject {
	kind, id := splitDocID(h.ID)
	c := candidateOf(h, library.ListingKind(kind))
	return subject{
		kind: library.ListingKind(kind), id: id, orgID: c.ref.orgID, text: str(h.Fields[fText]),
		langs: c.langs, countries: c.countries, themes: c.themes, concepts: c.concepts, ref: c.ref,
	}
}

// RematchAll matches every open listing of kind held in the index with the
// given number of workers (0: one per processor), calling fn (from any
// worker) with each result.
func (s *Service) RematchAll(ctx context.Context, kind library.ListingKind, limit, workers int, fn func(sub ListingRef, ms []Match)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	subjects := make(chan subject)
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sub := range subjects {
				ms, err := s.matchSubject(ctx, sub, limit)
				if err != nil {
					errc <- err
					return
				}
				fn(sub.ref, ms)
			}
		}()
	}
	err := s.eachOpen(ctx, kind, func(sub subject) bool {
		select {
		case subjects <- sub:
			return true
		case err := <-errc:
			errc <- err
			return false
		}
	})
	close(subjects)
	wg.Wait()
	select {
	case werr := <-errc:
		return werr
	default:
	}
	return err
}

// eachOpen calls fn with every open listing of kind in the index, until fn says stop.
func (s *Service) eachOpen(ctx context.Context, kind library.ListingKind, fn func(subject) bool) error {
	q := query.NewBooleanQuery([]query.Query{termQuery(fKind, string(kind))}, nil, []query.Query{notOpen(time.Now())})
	after := []string{}
	for {
		req := bleve.NewSearchRequestOptions(q, batchSize, 0, false)
		req.Fields = subjectFields
		req.SortBy([]string{"_id"})
		if len(after) > 0 {
			req.SearchAfter = after
		}
		res, err := s.index().SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("search: list %s: %w", kind, err)
		}
		for _, h := range res.Hits {
			if !fn(subjectOfHit(h)) {
				return nil
			}
		}
		if len(res.Hits) < batchSize {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// matchSubject ranks the candidates of a subject, best first.
func (s *Service) matchSubject(ctx context.Context, sub subject, limit int) ([]Match, error) {
	s.matched.Add(1)
	idx, feats := s.reader()
	if idx == nil {
		return nil, fmt.Errorf("search: index closed")
	}
	cands, about, err := s.candidates(ctx, idx, feats, sub)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	recips := reciprocities(feats, sub, cands)
	out := make([]Match, 0, len(cands))
	for _, c := range cands {
		if m := s.score(sub, about, c, recips[c.ref.orgID], now); m.Score >= minMatchScore {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return compareStrings(a.Listing.ID, b.Listing.ID)
	})
	out = out[:min(len(out), clamp(limit, 10, 100))]
	for i := range out {
		out[i].Score = math.Round(out[i].Score*1000) / 1000
	}
	texts, err := refs(ctx, idx, other(sub.kind), out)
	for i := range out {
		out[i].Reasons = withSharedWords(out[i].Reasons, texts[out[i].Listing.ID], about)
	}
	return out, err
}
