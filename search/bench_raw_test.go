package search

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// The baselines of acceptance 3: plain Bleve v2.5.7 on the same corpus, in
// the same run, so that the service's figures can be read against what this
// machine does at that moment. The raw index holds each object's title and
// text and its kind, with Bleve's default mapping, fed in batches of 1,000;
// a search is a match query of the same words with a facet on the kind, a
// match a disjunction of 20 words of the need with the same facet.

// rawDoc is an object of the corpus as the raw index holds it.
type rawDoc struct{ id, kind, text string }

// rawDocs reads the objects of a store, of one kind or (kind "") all.
func rawDocs(store *library.Store, kind library.ListingKind) ([]rawDoc, map[string]string, error) {
	var rows []struct{ ID, Kind, Title, Body string }
	tx := store.DB().Table("listings").Select("id", "kind", "title", "body").Order("id")
	if kind != "" {
		tx = tx.Where("kind = ?", kind)
	}
	if err := tx.Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	if kind == "" {
		var orgs []struct{ ID, Name, Summary string }
		if err := store.DB().Table("organizations").Select("id", "name", "summary").Find(&orgs).Error; err != nil {
			return nil, nil, err
		}
		for _, o := range orgs {
			rows = append(rows, struct{ ID, Kind, Title, Body string }{o.ID, "organization", o.Name, o.Summary})
		}
	}
	docs, texts := make([]rawDoc, len(rows)), make(map[string]string, len(rows))
	for i, r := range rows {
		docs[i] = rawDoc{r.ID, r.Kind, r.Title + "\n" + r.Body}
		texts[r.ID] = docs[i].text
	}
	return docs, texts, nil
}

// buildRaw indexes docs at path in batches of 1,000 and returns the index,
// reopened, and the rate at which it was built (closing it included).
func buildRaw(path string, docs []rawDoc) (bleve.Index, float64, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, 0, err
	}
	start := time.Now()
	idx, err := bleve.New(path, bleve.NewIndexMapping())
	if err != nil {
		return nil, 0, err
	}
	for from := 0; from < len(docs); from += 1000 {
		b := idx.NewBatch()
		for _, d := range docs[from:min(from+1000, len(docs))] {
			if err := b.Index(d.id, map[string]any{"text": d.text, "kind": d.kind}); err != nil {
				return nil, 0, err
			}
		}
		if err := idx.Batch(b); err != nil {
			return nil, 0, err
		}
	}
	if err := idx.Close(); err != nil {
		return nil, 0, err
	}
	rate := float64(len(docs)) / time.Since(start).Seconds()
	idx, err = bleve.Open(path)
	return idx, rate, err
}

// rawSearch is a search of benchQueries in the raw index.
func rawSearch(q Query) *bleve.SearchRequest {
	words := query.NewMatchQuery(q.Text)
	words.SetField("text")
	words.SetOperator(query.MatchQueryOperatorAnd)
	var qq query.Query = words
	if q.Kind != "" {
		kind := query.NewTermQuery(q.Kind)
		kind.SetField("kind")
		qq = query.NewConjunctionQuery([]query.Query{words, kind})
	}
	req := bleve.NewSearchRequest(qq)
	req.AddFacet("kind", bleve.NewFacetRequest("kind", 5))
	return req
}

// rawMatch is a disjunction of the first 20 distinct words of text (as the
// default mapping analyses it) with a facet on the kind: the top 10.
func rawMatch(idx bleve.Index, text string) *bleve.SearchRequest {
	seen := map[string]bool{}
	var qs []query.Query
	for _, tok := range idx.Mapping().AnalyzerNamed("standard").Analyze([]byte(text)) {
		if t := string(tok.Term); !seen[t] && len(qs) < 20 {
			seen[t] = true
			tq := query.NewTermQuery(t)
			tq.SetField("text")
			qs = append(qs, tq)
		}
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), 10, 0, false)
	req.AddFacet("kind", bleve.NewFacetRequest("kind", 5))
	return req
}

// timeRequests runs the requests and returns how long each took.
func timeRequests(b *testing.B, idx bleve.Index, reqs []*bleve.SearchRequest) []time.Duration {
	ds := make([]time.Duration, 0, len(reqs))
	for _, req := range reqs {
		start := time.Now()
		if _, err := idx.Search(req); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	return ds
}

// BenchmarkScaleRawBleve is the baseline of the index build, search and
// match figures: plain Bleve on the corpus of the other benchmarks.
func BenchmarkScaleRawBleve(b *testing.B) {
	svc := benchCorpus(b)
	docs, texts, err := rawDocs(svc.store, "")
	if err != nil {
		b.Fatal(err)
	}
	idx, rate, err := buildRaw(filepath.Join(benchDir, "raw.bleve"), docs)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	b.ResetTimer()
	b.ReportMetric(rate, "docs/s")
	var searches, matches []*bleve.SearchRequest
	for i, q := range benchQueries(b.N) {
		searches = append(searches, rawSearch(q))
		matches = append(matches, rawMatch(idx, texts[benchNeed[i%len(benchNeed)]]))
	}
	reportLatencies(b, "search-", timeRequests(b, idx, searches))
	reportLatencies(b, "or20-", timeRequests(b, idx, matches))
}

// BenchmarkScaleRawRematch is the baseline of the rematch: each need of the
// rematch corpus as a disjunction of 20 of its words over its offers, top
// 10, with two workers. It is measured once, whatever -benchtime says.
func BenchmarkScaleRawRematch(b *testing.B) {
	svc := rematchCorpus(b)
	offers, _, err := rawDocs(svc.store, library.Offer)
	if err != nil {
		b.Fatal(err)
	}
	needs, _, err := rawDocs(svc.store, library.Need)
	if err != nil {
		b.Fatal(err)
	}
	idx, _, err := buildRaw(filepath.Join(filepath.Dir(svc.path), "raw.bleve"), offers)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	b.ResetTimer()
	start := time.Now()
	work := make(chan rawDoc)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for d := range work {
				if _, err := idx.Search(rawMatch(idx, d.text)); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, d := range needs {
		work <- d
	}
	close(work)
	wg.Wait()
	for range b.N {
	}
	b.ReportMetric(time.Since(start).Seconds(), "s/rematch")
	b.ReportMetric(float64(len(needs)), "needs")
}

// BenchmarkScaleMemory reports the resident memory (peak) of a process that
// opens the corpus's index and answers 300 searches and 300 matches: the
// service's (Open, Search, Matches) and, as the baseline, plain Bleve's with
// the raw index of BenchmarkScaleRawBleve. The service closes its index
// while its double holds it. It is measured once, whatever -benchtime says.
func BenchmarkScaleMemory(b *testing.B) {
	svc := benchCorpus(b)
	if _, err := os.Stat(filepath.Join(benchDir, "raw.bleve")); err != nil {
		b.Skip("run BenchmarkScaleRawBleve first: ", err)
	}
	if err := svc.Close(); err != nil {
		b.Fatal(err)
	}
	defer reopen(b, svc)
	service, raw := holdRSS(b, "service:"+benchDir), holdRSS(b, "raw:"+benchDir)
	for range b.N {
	}
	b.ReportMetric(service, "service-MB")
	b.ReportMetric(raw, "raw-MB")
}

// reopen opens the service's index again after BenchmarkScaleMemory.
func reopen(b *testing.B, svc *Service) {
	idx, _, err := openExisting(svc.path)
	if err != nil || idx == nil {
		b.Fatalf("reopen %s: %v", svc.path, err)
	}
	feats, err := loadFeatures(context.Background(), idx)
	if err != nil {
		b.Fatal(err)
	}
	svc.mu.Lock()
	svc.idx, svc.feats = idx, feats
	svc.mu.Unlock()
}

// holdRSS runs TestScaleHold in a process of its own and returns its peak
// resident memory in MB.
func holdRSS(b *testing.B, what string) float64 {
	cmd := exec.Command(os.Args[0], "-test.run", "^TestScaleHold$", "-test.count", "1")
	cmd.Env = append(os.Environ(), "COMMONPLACE_BENCH_HOLD="+what)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("%s: %v\n%s", what, err, out)
	}
	var kb float64
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "hold-peak-kb "); ok {
			fmt.Sscan(rest, &kb)
		}
	}
	return kb / 1024
}

// TestScaleHold is BenchmarkScaleMemory's process: it opens the index named
// by COMMONPLACE_BENCH_HOLD, answers 300 searches and 300 matches and prints
// its peak resident memory. It skips without it.
func TestScaleHold(t *testing.T) {
	kind, path, ok := strings.Cut(os.Getenv("COMMONPLACE_BENCH_HOLD"), ":")
	if !ok {
		t.Skip("BenchmarkScaleMemory runs it")
	}
	if kind == "raw" {
		holdRaw(t, path)
	} else {
		holdService(t, path)
	}
	fmt.Println("hold-peak-kb", peakRSS(t))
}

// holdService opens the service over the data folder dir, and searches and matches.
func holdService(t *testing.T, dir string) {
	store := newTestStoreIn(t, dir)
	svc, err := Open(context.Background(), filepath.Join(dir, "index.bleve"), store, quietLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	needs := holdNeeds(t, store)
	for i, q := range benchQueries(300) {
		if _, err := svc.Search(context.Background(), q); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Matches(context.Background(), library.Need, needs[i].id, 10); err != nil {
			t.Fatal(err)
		}
	}
}

// holdRaw opens the raw index of the data folder dir, and searches and matches.
func holdRaw(t *testing.T, dir string) {
	needs := holdNeeds(t, newTestStoreIn(t, dir))
	idx, err := bleve.Open(filepath.Join(dir, "raw.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for i, q := range benchQueries(300) {
		for _, req := range []*bleve.SearchRequest{rawSearch(q), rawMatch(idx, needs[i].text)} {
			if _, err := idx.Search(req); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// holdNeeds are the first 300 needs of the corpus in dir.
func holdNeeds(t *testing.T, store *library.Store) []rawDoc {
	needs, _, err := rawDocs(store, library.Need)
	if err != nil || len(needs) < 300 {
		t.Fatalf("needs of the corpus: %d, %v", len(needs), err)
	}
	return needs[:300]
}

// peakRSS is the process's peak resident memory (VmHWM) in kB.
func peakRSS(t *testing.T) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc: ", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int
			fmt.Sscan(rest, &kb)
			return kb
		}
	}
	return 0
}
