package search

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

// TestDamagedIndexIsRebuilt: an index whose files are damaged is moved
// aside and rebuilt from the database, like a missing one, instead of
// crashing the node (issue 18, item 11).
func TestDamagedIndexIsRebuilt(t *testing.T) {
	for _, damage := range []struct {
		name string
		file func(dir string) string
	}{
		{"bolt", func(dir string) string { return filepath.Join(dir, "store", "root.bolt") }},
		{"segment", func(dir string) string {
			zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
			if len(zaps) == 0 {
				return ""
			}
			return zaps[0]
		}},
	} {
		t.Run(damage.name, func(t *testing.T) {
			store := newTestStore(t)
			org := newOrg(t, store, "alpha", "GB")
			post(t, store, library.Offer, org, listing{title: "Recruiting support workers with the person"})
			dir := filepath.Join(t.TempDir(), "index.bleve")
			ctx, cancel := context.WithCancel(context.Background())
			svc, err := Open(ctx, dir, store, quietLog(), nil)
			if err != nil {
				t.Fatal(err)
			}
			svc.Subscribe()
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); store.RunSubscribers(ctx) }()
			settle(t, store)
			cancel()
			wg.Wait()
			svc.Close()

			file := damage.file(dir)
			if file == "" {
				t.Skip("no segment file to damage")
			}
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			// The end of a zap segment holds its footer and the offsets of
			// its sections; bolt's first pages, its meta and freelist.
			for i := max(16, len(raw)-64); i < len(raw); i++ {
				raw[i] ^= 0x5a
			}
			if damage.name == "bolt" {
				for i := 16; i < len(raw); i += 7 {
					raw[i] ^= 0x5a
				}
			}
			if err := os.WriteFile(file, raw, 0o600); err != nil {
				t.Fatal(err)
			}

			svc, err = Open(context.Background(), dir, store, quietLog(), nil)
			if err != nil {
				t.Fatalf("reopening a damaged index: %v", err)
			}
			defer svc.Close()
			res, err := svc.Search(context.Background(), Query{Text: "recruiting"})
			if err != nil || res.Total != 1 {
				t.Fatalf("after the rebuild: %v, %v", res, err)
			}
			if damaged, _ := filepath.Glob(dir + ".corrupt-*"); !svc.Built() || len(damaged) != 1 {
				t.Errorf("rebuilt %t, moved aside %v", svc.Built(), damaged)
			}
		})
	}
}
