package search

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

func TestDebugBuildTiming(t *testing.T) {
	dir := os.Getenv("BUILDDIR")
	if dir == "" {
		t.Skip()
	}
	store := newTestStoreIn(t, dir)
	s := &Service{store: store, host: "node.test", consent: DefaultConsent, profiles: newProfileCache()}
	ctx := context.Background()
	pages := make(chan page, 2)
	start := time.Now()
	go s.readPages(ctx, pages)
	var all []page
	for p := range pages {
		all = append(all, p)
	}
	fmt.Println("read+docs", time.Since(start), len(all))
	{
		os.RemoveAll("/tmp/tb.bleve")
		idx, _ := bleve.New("/tmp/tb.bleve", bleve.NewIndexMapping())
		start = time.Now()
		for _, p := range all {
			b := idx.NewBatch()
			for id, d := range p.docs {
				b.Index(id, map[string]any{"text": d[fText]})
			}
			idx.Batch(b)
		}
		fmt.Println("raw bleve", time.Since(start))
		idx.Close()
	}
	for _, unsafe := range []bool{false} {
		os.RemoveAll("/tmp/tb.bleve")
		idx, err := bleve.NewUsing("/tmp/tb.bleve", buildMapping(), scorch.Name, scorch.Name, map[string]any{"unsafe_batch": unsafe})
		if err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		n := 0
		for _, p := range all {
			b := idx.NewBatch()
			for id, d := range p.docs {
				b.Index(docID(p.kind, id), d)
				n++
			}
			idx.Batch(b)
		}
		el := time.Since(start)
		idx.Close()
		fmt.Println("unsafe", unsafe, "index", n, el, time.Since(start))
		idx, _ = bleve.Open("/tmp/tb.bleve")
		c, _ := idx.DocCount()
		fmt.Println("count", c)
		idx.Close()
	}
}
