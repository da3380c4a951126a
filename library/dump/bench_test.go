package dump_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/dump"
)

// BenchmarkCopyToPostgres copies 50,000 listings (and their organisation)
// from SQLite into a new PostgreSQL schema each time, and reports rows/s;
// it needs COMMONPLACE_TEST_POSTGRES.
func BenchmarkCopyToPostgres(b *testing.B) {
	pg := os.Getenv("COMMONPLACE_TEST_POSTGRES")
	if pg == "" {
		b.Skip("COMMONPLACE_TEST_POSTGRES is not set")
	}
	src, err := library.OpenDB(ctx, library.DBConfig{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range schema {
		if err := library.Migrate(ctx, src, c.Name, c.Steps); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Now().UTC()
	if err := src.Table("organizations").Create(map[string]any{"id": "o1", "handle": "riverside", "local": true, "name": "Riverside",
		"ap_id": "/orgs/riverside", "created_at": now, "updated_at": now}).Error; err != nil {
		b.Fatal(err)
	}
	const n = 50000
	var rows []map[string]any
	for i := range n {
		rows = append(rows, map[string]any{"id": fmt.Sprintf("l%06d", i), "kind": "offer", "org_id": "o1", "local": true, "ap_id": fmt.Sprintf("/offers/l%06d", i),
			"title": "Direct payments, step by step", "body": "We help people plan a budget and employ personal assistants; adverts, interviews, references and the first year.",
			"content_html": "<p>We help people plan a budget and employ personal assistants.</p>", "themes": `["direct-payments"]`,
			"status": "open", "visibility": "public", "published_at": now, "created_at": now, "updated_at": now})
	}
	if err := src.Table("listings").CreateInBatches(rows, 500).Error; err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var copied int64
	var took time.Duration
	for range b.N {
		b.StopTimer()
		dst := openPostgres(b, pg)
		b.StartTimer()
		started := time.Now()
		sum, err := dump.Copy(ctx, src, dst, schema, nil)
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(started)
		copied += sum.Rows
	}
	b.ReportMetric(float64(copied)/took.Seconds(), "rows/s")
}
