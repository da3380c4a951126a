package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/testdb"
	"github.com/citizen-network/commonplace/search"
)

// TestTwoQueuesOnOneDatabase: two delivery queues working one database's
// 1,000 due deliveries at the same time (two processes, as while one
// stops and the next starts) deliver each once: a row is claimed before
// it is tried (FOR UPDATE SKIP LOCKED on PostgreSQL).
func TestTwoQueuesOnOneDatabase(t *testing.T) {
	const total = 1000
	var mu sync.Mutex
	got := map[string]int{}
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a struct{ ID string }
		_ = json.NewDecoder(r.Body).Decode(&a)
		mu.Lock()
		got[a.ID]++
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer sink.Close()

	dir := t.TempDir()
	cfg := library.DBConfig{DataDir: dir, URL: testdb.URL(t, dir)}
	base := "https://node.test"
	var services []*federation.Service
	var stores []*library.Store
	for range 2 {
		store := openQueueStore(t, cfg, base)
		svc, err := federation.New(testConfig(base), store, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		stores, services = append(stores, store), append(services, svc)
	}
	queueDue(t, stores[0], base, sink.URL, total)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, svc := range services {
		wg.Add(1)
		go func() { defer wg.Done(); svc.Run(ctx) }()
	}
	defer func() { cancel(); wg.Wait() }()
	eventually(t, 60*time.Second, "an empty queue", func() bool {
		return services[0].DeliveriesForTest(context.Background(), "pending") == 0
	})
	mu.Lock()
	defer mu.Unlock()
	twice := 0
	for _, n := range got {
		if n > 1 {
			twice++
		}
	}
	if len(got) != total || twice > 0 {
		t.Fatalf("%d of %d activities arrived, %d more than once", len(got), total, twice)
	}
}

// TestStopLetsPostsUnderWayFinish: a node stopped while its POSTs are
// under way lets them be answered and records them, so that the process
// that works the queue next does not make them again. Before, the stop
// cut them short: the receiver had taken each activity, the sender
// recorded nothing, and every one arrived twice.
func TestStopLetsPostsUnderWayFinish(t *testing.T) {
	const total = 40
	var mu sync.Mutex
	got := map[string]int{}
	arrived := make(chan struct{}, total)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a struct{ ID string }
		_ = json.NewDecoder(r.Body).Decode(&a)
		mu.Lock()
		got[a.ID]++
		mu.Unlock()
		arrived <- struct{}{}
		time.Sleep(300 * time.Millisecond) // taken, then slow to answer
		w.WriteHeader(http.StatusAccepted)
	}))
	defer sink.Close()

	dir := t.TempDir()
	cfg := library.DBConfig{DataDir: dir, URL: testdb.URL(t, dir)}
	base := "https://node.test"
	logs := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := openQueueStore(t, cfg, base)
	queueDue(t, store, base, sink.URL, total)
	first, err := federation.New(testConfig(base), store, logs)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { first.Run(ctx); close(stopped) }()
	<-arrived // the first POST has reached the receiver and waits for its answer
	cancel()
	<-stopped
	mu.Lock()
	before := len(got)
	mu.Unlock()

	second, err := federation.New(testConfig(base), store, logs)
	if err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { second.Run(ctx2); close(done) }()
	defer func() { cancel2(); <-done }()
	eventually(t, 60*time.Second, "an empty queue", func() bool {
		return second.DeliveriesForTest(context.Background(), "pending") == 0
	})
	mu.Lock()
	defer mu.Unlock()
	var twice []string
	for id, n := range got {
		if n > 1 {
			twice = append(twice, id)
		}
	}
	if len(got) != total || len(twice) > 0 {
		t.Fatalf("%d of %d activities arrived (%d before the stop), %d more than once: %v", len(got), total, before, len(twice), twice)
	}
}

// queueDue writes n activities and a due delivery of each to inbox's host.
func queueDue(t *testing.T, store *library.Store, base, sinkURL string, n int) {
	t.Helper()
	db := store.DB()
	host := strings.TrimPrefix(sinkURL, "http://")
	for i := range n {
		id := fmt.Sprintf("%s/activities/%d", base, i)
		body := fmt.Sprintf(`{"id": %q, "type": "Create", "actor": %q}`, id, base+"/actor")
		var seq int64
		if err := db.Raw(`INSERT INTO federation_outbox (id, actor, type, body, created_at) VALUES (?, ?, 'Create', ?, ?) RETURNING seq`,
			id, base+"/actor", body, time.Now().UTC()).Scan(&seq).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(`INSERT INTO federation_deliveries (activity_seq, inbox, host, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			seq, sinkURL+"/inbox", host, time.Now().UTC(), time.Now().UTC()).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// openQueueStore opens one process's store on the shared database.
func openQueueStore(t *testing.T, cfg library.DBConfig, base string) *library.Store {
	t.Helper()
	ctx := context.Background()
	db, err := library.OpenDB(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		c string
		s []library.Migration
	}{{"library", library.Migrations}, {"events", library.EventMigrations}, {"introductions", library.IntroductionMigrations},
		{"search", search.Migrations}, {"federation", federation.Migrations}} {
		if err := library.Migrate(ctx, db, m.c, m.s); err != nil {
			t.Fatal(err)
		}
	}
	store := library.NewStore(db, library.Config{BaseURL: base}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { store.Close() })
	return store
}
