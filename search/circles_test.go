package search

import (
	"context"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

func TestFindCircles(t *testing.T) {
	step := func(from, to, node string, score float64) Step {
		return Step{From: OrgRef{Name: from, Node: node}, To: OrgRef{Name: to, Node: node},
			Offer: ListingRef{ID: from + "-offer"}, Need: ListingRef{ID: to + "-need"}, Score: score}
	}
	edges := map[string]map[string]Step{
		"a": {"b": step("a", "b", "here", 0.7), "c": step("a", "c", "here", 0.6)},
		"b": {"a": step("b", "a", "here", 0.5), "c": step("b", "c", "here", 0.8)},
		"c": {"a": step("c", "a", "here", 0.9)},
		"x": {"y": step("x", "y", "far", 0.9)},
		"y": {"x": step("y", "x", "far", 0.9)},
	}
	got := findCircles(edges, "here")
	if len(got) != 3 {
		t.Fatalf("circles = %+v", got)
	}
	// a->b->c->a (weakest 0.7), a->c->a (0.6), a<->b (0.5); x<->y is all remote.
	want := []struct {
		n     int
		score float64
	}{{3, 0.7}, {2, 0.6}, {2, 0.5}}
	for i, w := range want {
		if len(got[i].Steps) != w.n || got[i].Score != w.score {
			t.Errorf("circle %d = %d steps, %.1f; want %d, %.1f", i, len(got[i].Steps), got[i].Score, w.n, w.score)
		}
	}
}

func TestCirclesFromMatches(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	a, b := newOrg(t, store, "alpha", "GB"), newOrg(t, store, "bravo", "GB")
	post(t, store, library.Need, a, listing{title: "Recruiting support workers", body: "We cannot recruit or keep support workers; staff turnover is high.", formats: []string{"online"}})
	post(t, store, library.Offer, b, listing{title: "Values-based recruitment", body: "How we recruit support workers and cut staff turnover.", formats: []string{"online"}})
	post(t, store, library.Need, b, listing{title: "Individual service funds", body: "We want to start holding individual service funds and budgets.", formats: []string{"online"}})
	post(t, store, library.Offer, a, listing{title: "Running individual service funds", body: "We hold individual service funds and personal budgets for 60 people.", formats: []string{"online"}})
	settle(t, store)
	circles, err := svc.Circles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(circles) != 1 || len(circles[0].Steps) != 2 {
		t.Fatalf("circles = %+v", circles)
	}
}
