package search

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// Tuning of exchange circles.
const (
	circleMinScore  = 0.45 // a step of a circle is a match at least this good
	circleMatches   = 5    // matches considered per need
	maxCircles      = 50
	circleCacheLife = 10 * time.Minute
)

// Circle is a set of organisations where each can help the next: a pair (A
// helps B, B helps A) or a triangle (A helps B, B helps C, C helps A).
type Circle struct {
	Steps []Step  `json:"steps"`
	Score float64 `json:"score"` // its weakest step
}

// Step is one organisation helping the next: its offer meets the other's need.
type Step struct {
	From  OrgRef     `json:"from"`
	To    OrgRef     `json:"to"`
	Offer ListingRef `json:"offer"`
	Need  ListingRef `json:"need"`
	Score float64    `json:"score"`
}

// circleCache keeps the last circles while the change log has not moved.
type circleCache struct {
	mu      sync.Mutex
	seq     int64
	at      time.Time
	circles []Circle
}

// Circles suggests exchange circles that include at least one organisation of
// this node, best first. The result is cached until something changes.
func (s *Service) Circles(ctx context.Context) ([]Circle, error) {
	seq, err := s.store.LatestSeq(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.circles
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.circles != nil && c.seq == seq && time.Since(c.at) < circleCacheLife {
		return c.circles, nil
	}
	edges, err := s.helpEdges(ctx)
	if err != nil {
		return nil, err
	}
	c.circles, c.seq, c.at = findCircles(edges, s.host), seq, time.Now()
	return c.circles, nil
}

// helpEdges are, for each ordered pair of organisations, the best match where
// the first's offer meets the second's need.
func (s *Service) helpEdges(ctx context.Context) (map[string]map[string]Step, error) {
	var mu sync.Mutex
	edges := map[string]map[string]Step{}
	err := s.RematchAll(ctx, library.Need, circleMatches, 0, func(need ListingRef, ms []Match) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range ms {
			if m.Score < circleMinScore {
				continue
			}
			from, to := m.Listing.orgID, need.orgID
			if edges[from] == nil {
				edges[from] = map[string]Step{}
			}
			if old, ok := edges[from][to]; !ok || m.Score > old.Score {
				edges[from][to] = Step{From: m.Listing.Org, To: need.Org, Offer: m.Listing, Need: need, Score: m.Score}
			}
		}
	})
	return edges, err
}

// findCircles lists the pairs and triangles of the graph that touch a local
// organisation (of node host), each once, best first.
func findCircles(edges map[string]map[string]Step, host string) []Circle {
	var out []Circle
	local := func(steps ...Step) bool {
		for _, st := range steps {
			if st.From.Node == host {
				return true
			}
		}
		return false
	}
	for a, out1 := range edges {
		for b, ab := range out1 {
			if ba, ok := edges[b][a]; ok && a < b && local(ab, ba) {
				out = append(out, circleOf(ab, ba))
			}
			for c, bc := range edges[b] {
				ca, ok := edges[c][a]
				if !ok || c == a || !(a < b && a < c) || !local(ab, bc, ca) {
					continue
				}
				out = append(out, circleOf(ab, bc, ca))
			}
		}
	}
	slices.SortFunc(out, func(x, y Circle) int {
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return compareStrings(x.Steps[0].Offer.ID, y.Steps[0].Offer.ID)
	})
	return out[:min(len(out), maxCircles)]
}

func circleOf(steps ...Step) Circle {
	c := Circle{Steps: steps, Score: 1}
	for _, st := range steps {
		c.Score = min(c.Score, st.Score)
	}
	return c
}
