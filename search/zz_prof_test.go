package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

func TestDebugProfile(t *testing.T) {
	dir := os.Getenv("PROFDIR")
	if dir == "" {
		t.Skip()
	}
	store := newTestStoreIn(t, dir)
	svc, err := Open(context.Background(), filepath.Join(dir, "index.bleve"), store, quietLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	ctx := context.Background()
	words := strings.Fields("recruitment housing budget families school employment advocacy risk planning signing " +
		"tenancy supervision funding board leadership volunteers lonely faith council payroll logement école")
	r := rand.New(rand.NewPCG(3, 4))
	what := os.Getenv("PROFWHAT")
	var ds []time.Duration
	var needs []string
	if what == "matches" {
		store.DB().Table("listings").Where("kind = 'need'").Limit(200).Pluck("id", &needs)
	}
	for i := 0; i < 100; i++ {
		start := time.Now()
		switch what {
		case "matches":
			if _, err := svc.Matches(ctx, library.Need, needs[i], 10); err != nil {
				t.Fatal(err)
			}
		default:
			q := Query{Text: strings.Join([]string{words[r.IntN(len(words))], words[r.IntN(len(words))]}[:1+r.IntN(2)], " ")}
			if what == "nofacet" {
				q.Limit = -1
			}
			res, err := svc.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if i < 3 {
				fmt.Println(q.Text, res.Total)
			}
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	fmt.Println("p50", ds[50], "p99", ds[99])
}
