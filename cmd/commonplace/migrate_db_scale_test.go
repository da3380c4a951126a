package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestMigrateDBScale is acceptance 3 of issue 15, measured: a SQLite node of
// COMMONPLACE_MOVE_OBJECTS generated offers and needs (100,000 for the
// figure; 1 in 100 of them a story) from 500 organisations is copied to
// COMMONPLACE_TEST_POSTGRES by migrate-db; it logs the time and rows/s, and
// checks that the first page (20 hits) of a few searches are the same from
// PostgreSQL as from SQLite; then exports the node and imports it into
// another PostgreSQL schema, logging their time and peak memory, and
// compares the searches again. Run it with, for instance,
//
//	COMMONPLACE_MOVE_OBJECTS=100000 COMMONPLACE_TEST_POSTGRES=postgres://… \
//	  go test ./cmd/commonplace -run TestMigrateDBScale -v -timeout 60m
func TestMigrateDBScale(t *testing.T) {
	pg, size := os.Getenv("COMMONPLACE_TEST_POSTGRES"), os.Getenv("COMMONPLACE_MOVE_OBJECTS")
	if pg == "" || size == "" {
		t.Skip("set COMMONPLACE_MOVE_OBJECTS and COMMONPLACE_TEST_POSTGRES to measure migrate-db")
	}
	n, err := strconv.Atoi(size)
	if err != nil || n < 1 {
		t.Fatalf("COMMONPLACE_MOVE_OBJECTS %q: a number of objects", size)
	}
	data, addr := t.TempDir(), freeAddr(t)
	started := time.Now()
	generateNode(t, data, "http://"+addr, n)
	t.Logf("generated %d objects in %s", n, time.Since(started).Round(time.Second))
	t.Logf("%s", lastLine(sqliteCLI(t, "reindex", "--data", data, "--base-url", "http://"+addr)))
	srv := startSQLiteServer(t, data, addr)
	before := topHits(t, srv.base)
	srv.stop()

	to := postgresSchema(t, pg)
	started = time.Now()
	out := sqliteCLI(t, "migrate-db", "--data", data, "--base-url", "http://"+addr, "--to", to)
	t.Logf("migrate-db, %s in all:\n%s", time.Since(started).Round(time.Second), out)
	srv = startSQLiteServer(t, data, addr, "--database-url", to)
	after := topHits(t, srv.base)
	for q, hits := range before {
		if after[q] != hits {
			t.Errorf("%q:\n SQLite     %s\n PostgreSQL %s", q, hits, after[q])
		}
	}
	t.Logf("the first 20 hits of %d searches are the same; e.g. %q: %s", len(before), "direct payments", before["direct payments"])
	srv.stop()

	// export and import of the same node, a row at a time: time and peak memory
	file := filepath.Join(t.TempDir(), "node.jsonl.gz")
	out, rss := measured(t, "export", "--data", data, "--out", file)
	info, _ := os.Stat(file)
	t.Logf("export: %s  file %.1f MB, peak memory %d MB", strings.SplitN(out, "\n", 2)[0], float64(info.Size())/1e6, rss>>20)
	moved := t.TempDir()
	to = postgresSchema(t, pg)
	out, rss = measured(t, "import", "--data", moved, "--base-url", "http://"+addr, "--database-url", to, file)
	t.Logf("import into PostgreSQL: %s  peak memory %d MB", strings.ReplaceAll(strings.TrimSpace(out), "\n", " "), rss>>20)
	srv = startSQLiteServer(t, moved, addr, "--database-url", to)
	imported := topHits(t, srv.base)
	for q, hits := range before {
		if imported[q] != hits {
			t.Errorf("%q:\n SQLite   %s\n imported %s", q, hits, imported[q])
		}
	}
}

// measured runs the binary on SQLite (or the --database-url given) and
// returns its standard output and its peak resident memory in bytes.
func measured(t *testing.T, args ...string) (string, int64) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = sqliteEnv()
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		t.Fatalf("commonplace %s: %v\n%s", strings.Join(args, " "), err, stdout.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss << 10 // kilobytes on Linux
	}
	return stdout.String(), rss
}

// scaleQueries are the searches compared before and after the move.
var scaleQueries = []string{"direct payments", "recruiting personal assistants", "budget planning", "leaving hospital",
	"supported living tenancy", "école inclusive", "peer support for families", "individual service funds"}

func topHits(t *testing.T, base string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, q := range scaleQueries {
		_, res := call(t, "GET", base+"/api/v1/search?q="+strings.ReplaceAll(q, " ", "+"), "", "")
		hits, _ := res["hits"].([]any)
		var ids []string
		for _, h := range hits {
			ids = append(ids, fmt.Sprint(h.(map[string]any)["id"]))
		}
		out[q] = fmt.Sprintf("%v: %s", res["total"], strings.Join(ids, " "))
	}
	return out
}

// generateNode fills a SQLite data folder through the library's store:
// organisations, then offers and needs (and a story every hundred) made of
// the sentences of the labelled matching set recombined, with rare words.
func generateNode(t *testing.T, data, base string, n int) {
	t.Helper()
	ctx := context.Background()
	s, err := openStore(ctx, config{DataDir: data, BaseURL: base}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool := loadPool(t)
	r := rand.New(rand.NewPCG(15, 3))
	var orgs []string
	for i := range min(500, max(1, n/200)) {
		o, err := s.CreateOrganization(ctx, library.OrganizationInput{Handle: fmt.Sprintf("org%03d", i), Name: fmt.Sprintf("Organisation %d", i), Country: "GB"})
		if err != nil {
			t.Fatal(err)
		}
		orgs = append(orgs, o.ID)
	}
	for i := range n {
		title, body := pool.titles[r.IntN(len(pool.titles))], pool.body(r)
		org := orgs[r.IntN(len(orgs))]
		if i%100 == 99 {
			_, err = s.CreateStory(ctx, org, library.StoryInput{Title: &title, Body: &body})
		} else {
			kind := library.Offer
			if r.IntN(2) == 0 {
				kind = library.Need
			}
			_, err = s.CreateListing(ctx, kind, org, library.ListingInput{Title: &title, Body: &body})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

type pool struct{ titles, sentences, words []string }

func loadPool(t *testing.T) pool {
	var p pool
	for _, name := range []string{"offers.json", "needs.json"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "matching", name))
		if err != nil {
			t.Fatal(err)
		}
		var ls []struct{ Title, Body string }
		if err := json.Unmarshal(raw, &ls); err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			p.titles = append(p.titles, l.Title)
			p.sentences = append(p.sentences, strings.SplitAfter(l.Body, ". ")...)
		}
	}
	p.words = regexp.MustCompile(`[a-z]{6,}`).FindAllString(strings.ToLower(strings.Join(p.sentences, " ")), -1)
	return p
}

// body is two sentences and a few words drawn at random, about 400 bytes.
func (p pool) body(r *rand.Rand) string {
	var b strings.Builder
	for range 2 {
		b.WriteString(p.sentences[r.IntN(len(p.sentences))])
	}
	for range 8 {
		b.WriteString(" " + p.words[r.IntN(len(p.words))])
	}
	return b.String() + "."
}
