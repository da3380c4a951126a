package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

func TestDebugEval(t *testing.T) {
	if os.Getenv("EVALDEBUG") == "" {
		t.Skip()
	}
	set := loadEvalSet(t)
	ctx := context.Background()
	for _, need := range set.needs {
		if os.Getenv("EVALDEBUG") != need.Key {
			continue
		}
		ms, _ := set.svc.Matches(ctx, library.Need, set.ids[need.Key], 6)
		fmt.Printf("== %s want %v\n", need.Key, need.Relevant)
		for _, m := range ms {
			fmt.Printf("   %s %.4f %+v\n", set.keys[m.Listing.ID], m.Score, m.Parts)
		}
	}
}

func TestDebugSearch(t *testing.T) {
	if os.Getenv("SEARCHDEBUG") == "" {
		t.Skip()
	}
	set := loadEvalSet(t)
	for _, need := range set.needs[:6] {
		res, _ := set.svc.Search(context.Background(), Query{Text: need.Title + "\n" + need.Body, Kind: "offer", Lang: need.Languages[0], Limit: 5})
		fmt.Printf("%s:", need.Key)
		for _, h := range res.Hits {
			fmt.Printf(" %s=%.4f", set.keys[h.ID], h.Score)
		}
		fmt.Println()
	}
}

func TestDebugExplain(t *testing.T) {
	if os.Getenv("EXPLAIN") == "" {
		t.Skip()
	}
	set := loadEvalSet(t)
	need := set.needs[1]
	q := Query{Text: need.Title + "\n" + need.Body, Kind: "offer", Lang: need.Languages[0], Limit: 5}
	req := bleveRequest(set.svc, q)
	req.Explain = true
	res, _ := set.svc.index().Search(req)
	for _, h := range res.Hits {
		_, id := splitDocID(h.ID)
		if set.keys[id] == "o03" {
			fmt.Println(h.Expl.String())
		}
	}
}

func TestDebugQueryJSON(t *testing.T) {
	if os.Getenv("QJSON") == "" {
		t.Skip()
	}
	need := evalListing{}
	var needs []evalListing
	readJSON(t, "needs.json", &needs)
	need = needs[1]
	s := &Service{}
	b, _ := json.Marshal(s.searchQuery(Query{Text: need.Title + "\n" + need.Body, Kind: "offer", Lang: need.Languages[0], Limit: 5}))
	fmt.Println(string(b))
}

func TestDebugSame(t *testing.T) {
	if os.Getenv("SAME") == "" {
		t.Skip()
	}
	set := loadEvalSet(t)
	need := set.needs[1]
	q := Query{Text: need.Title + "\n" + need.Body, Kind: "offer", Lang: need.Languages[0], Limit: 5}
	for i := 0; i < 3; i++ {
		res, _ := set.svc.Search(context.Background(), q)
		for _, h := range res.Hits {
			fmt.Printf(" %s=%.4f", set.keys[h.ID], h.Score)
		}
		fmt.Println()
	}
	res, _ := set.svc.index().Search(bleveRequest(set.svc, q))
	for _, h := range res.Hits {
		_, id := splitDocID(h.ID)
		fmt.Printf(" %s=%.4f", set.keys[id], h.Score)
	}
	fmt.Println()
}
