package search

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// profile is what an organisation has open: the themes of its offers and of its needs.
type profile struct {
	offers map[string]float64 // theme -> the surest weight among its open offers
	needs  map[string]float64
}

// profileCache keeps organisations' profiles between changes, for reciprocity.
type profileCache struct {
	mu   sync.Mutex
	byID map[string]*profile
}

func newProfileCache() *profileCache { return &profileCache{byID: map[string]*profile{}} }

// clear forgets every profile; the next match reads them again.
func (c *profileCache) clear() {
	c.mu.Lock()
	c.byID = map[string]*profile{}
	c.mu.Unlock()
}

// maxProfileListings bounds the listings read for one organisation's profile.
const maxProfileListings = 500

// profile returns the organisation's open themes, from the cache or the index.
func (s *Service) profile(ctx context.Context, orgID string) *profile {
	s.profiles.mu.Lock()
	p, ok := s.profiles.byID[orgID]
	s.profiles.mu.Unlock()
	if ok {
		return p
	}
	p = &profile{offers: map[string]float64{}, needs: map[string]float64{}}
	must := []query.Query{openQuery(time.Now()), termQuery(fOrgID, orgID),
		anyOf(fKind, []string{string(library.KindOffer), string(library.KindNeed)})}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(must), maxProfileListings, 0, false)
	req.Fields = []string{fKind, fThemeW}
	if res, err := s.index().SearchInContext(ctx, req); err == nil {
		for _, h := range res.Hits {
			into := p.needs
			if str(h.Fields[fKind]) == string(library.KindOffer) {
				into = p.offers
			}
			for t, w := range parseThemeWeights(str(h.Fields[fThemeW])) {
				into[t] = max(into[t], w)
			}
		}
	}
	s.profiles.mu.Lock()
	s.profiles.byID[orgID] = p
	s.profiles.mu.Unlock()
	return p
}

// reciprocal returns the themes the helped organisation can share that the
// helper wants to learn, the exchange could go both ways, and how sure that
// is: the best of the lesser weight of each such theme on its two sides.
func (s *Service) reciprocal(ctx context.Context, helper, helped string) ([]string, float64) {
	if helper == "" || helped == "" || helper == helped {
		return nil, 0
	}
	wants, shares := s.profile(ctx, helper).needs, s.profile(ctx, helped).offers
	var out []string
	strength := 0.0
	for t, w := range wants {
		if v, ok := shares[t]; ok {
			out = append(out, t)
			strength = max(strength, min(w, v))
		}
	}
	slices.Sort(out)
	return out, strength
}
