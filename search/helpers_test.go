package search

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/testdb"
)

// testSchema is the schema of a node, as cmd/commonplace applies it.
var testSchema = []struct {
	name  string
	steps []library.Migration
}{{"library", library.Migrations}, {"events", library.EventMigrations},
	{"introductions", library.IntroductionMigrations}, {"search", Migrations}}

// newTestStore opens a real, migrated SQLite store in a temporary folder.
func newTestStore(t testing.TB) *library.Store {
	t.Helper()
	return newTestStoreIn(t, t.TempDir())
}

// newTestStoreIn opens a real, migrated SQLite store in dir.
func newTestStoreIn(t testing.TB, dir string) *library.Store {
	t.Helper()
	ctx := context.Background()
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: dir, URL: testdb.URL(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range testSchema {
		if err := library.Migrate(ctx, db, m.name, m.steps); err != nil {
			t.Fatal(err)
		}
	}
	s := library.NewStore(db, library.Config{BaseURL: "https://node.test"}, quietLog())
	t.Cleanup(func() { s.Close() })
	return s
}

// newTestService opens an index over store and keeps it fed until the test ends.
func newTestService(t testing.TB, store *library.Store, opts ...Option) *Service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := Open(ctx, filepath.Join(t.TempDir(), "index.bleve"), store, quietLog(), nil, opts...)
	if err != nil {
		t.Fatal(err)
	}
	svc.Subscribe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); store.RunSubscribers(ctx) }()
	t.Cleanup(func() { cancel(); wg.Wait(); svc.Close() })
	return svc
}

// settle waits until the index has seen every change.
func settle(t testing.TB, store *library.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := store.WaitSubscribers(ctx); err != nil {
		t.Fatal(err)
	}
}

// newOrg adds a local organisation.
func newOrg(t testing.TB, store *library.Store, handle, country string) *library.Organization {
	t.Helper()
	o, err := store.CreateOrganization(context.Background(), library.OrganizationInput{Handle: handle, Name: "The " + handle, Country: country})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// listing is a builder of offers and needs for tests.
type listing struct {
	title, body string
	langs       []string
	countries   []string
	formats     []string
	themes      []string
}

// post creates the listing for org.
func post(t testing.TB, store *library.Store, kind library.ListingKind, org *library.Organization, l listing) *library.Listing {
	t.Helper()
	in := library.ListingInput{Title: &l.title, Body: &l.body}
	if l.langs != nil {
		in.Languages = &l.langs
	}
	if l.countries != nil {
		in.Countries = &l.countries
	}
	if l.formats != nil {
		in.Formats = &l.formats
	}
	if l.themes != nil {
		in.Themes = &l.themes
	}
	out, err := store.CreateListing(context.Background(), kind, org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// quietLog discards what the code under test logs.
func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
