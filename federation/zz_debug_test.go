package federation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
)

func TestZZInsert(t *testing.T) {
	ctx := context.Background()
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		c string
		s []library.Migration
	}{{"library", library.Migrations}, {"federation", federation.Migrations}} {
		if err := library.Migrate(ctx, db, m.c, m.s); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC()
	for i := 0; i < 1000; i++ {
		id := fmt.Sprintf("http://x.example/users/u%d", i)
		err := db.Exec(`INSERT INTO federation_actors (id, type, username, domain, inbox, shared_inbox, outbox, key_id, public_key_pem, document, fetched_at)
			VALUES (?, 'Person', ?, ?, ?, ?, '', ?, 'x', '{}', ?)`, id, fmt.Sprintf("u%d", i), "x.example", id+"/inbox", "", id+"#main-key", now).Error
		if err != nil {
			var cnt int64
			db.Raw("SELECT COUNT(*) FROM federation_actors").Scan(&cnt)
			t.Fatalf("%d: %v; count %d", i, err, cnt)
		}
	}
}
