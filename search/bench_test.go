package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// The benchmarks of acceptance 3 run on a generated corpus of organisations,
// offers and needs of about 500 bytes each, recombined from the sentences of
// the labelled set. Set COMMONPLACE_BENCH_OBJECTS to change its size (100,000
// by default) and COMMONPLACE_BENCH_DIR to keep the data folder, for example
// to measure a node serving it. Run with a short -benchtime, e.g.
//
//	go test ./search -run '^$' -bench Scale -benchtime 200x
var (
	benchOnce sync.Once
	benchSvc  *Service
	benchErr  error
	benchRate float64
	benchNeed []string
)

// benchCorpus builds (once per process) the store and index of the benchmarks.
func benchCorpus(b *testing.B) *Service {
	b.Helper()
	benchOnce.Do(func() {
		n := 100000
		if v := os.Getenv("COMMONPLACE_BENCH_OBJECTS"); v != "" {
			fmt.Sscan(v, &n)
		}
		dir := os.Getenv("COMMONPLACE_BENCH_DIR")
		if dir == "" {
			dir, benchErr = os.MkdirTemp("", "commonplace-bench-")
			if benchErr != nil {
				return
			}
		}
		benchSvc, benchRate, benchNeed, benchErr = buildCorpus(b, dir, n)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSvc
}

// sentencePool is the material generated listings are made of: sentences of
// the labelled set, for the words of the field, and a long tail of other
// words drawn with Zipf's law, so that most words are rare as in real text.
type sentencePool struct {
	titles, en, fr []string
	words          []string
	zipf           *rand.Zipf
}

// tailWords are the rare words: a dictionary when the system has one, else
// made-up words.
func tailWords() []string {
	var out []string
	if b, err := os.ReadFile("/usr/share/dict/british-english"); err == nil {
		for _, w := range strings.Fields(string(b)) {
			if strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 && len(w) > 2 {
				out = append(out, w)
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for len(out) < 30000 {
		b := make([]byte, 4+r.IntN(6))
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		out = append(out, string(b))
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func loadSentences(b *testing.B) sentencePool {
	var p sentencePool
	var ls []evalListing
	for _, name := range []string{"offers.json", "needs.json"} {
		var part []evalListing
		readJSON(b, name, &part)
		ls = append(ls, part...)
	}
	for _, l := range ls {
		p.titles = append(p.titles, l.Title)
		for _, s := range strings.SplitAfter(l.Body, ". ") {
			if l.Languages[0] == "fr" {
				p.fr = append(p.fr, s)
			} else if l.Languages[0] == "en" {
				p.en = append(p.en, s)
			}
		}
	}
	if len(p.en) == 0 {
		b.Fatal("no sentences")
	}
	p.words = tailWords()
	return p
}

// body is two sentences of the field and a tail of rarer words, about 500 bytes.
func (p *sentencePool) body(r *rand.Rand, french bool) string {
	src := p.en
	if french {
		src = p.fr
	}
	if p.zipf == nil {
		p.zipf = rand.NewZipf(r, 1.1, 2, uint64(len(p.words)-1))
	}
	var sb strings.Builder
	for range 2 {
		sb.WriteString(src[r.IntN(len(src))])
		sb.WriteByte(' ')
	}
	for sb.Len() < 470 {
		sb.WriteString(p.words[p.zipf.Uint64()])
		sb.WriteByte(' ')
	}
	return sb.String()
}

// buildCorpus writes n objects straight into the database (2% organisations,
// then offers and needs half and half) and rebuilds the index, timing it.
func buildCorpus(b *testing.B, dir string, n int) (*Service, float64, []string, error) {
	store := openBenchStore(b, dir)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	pool := loadSentences(b)
	nOrgs := max(n/50, 2)
	orgs := make([]library.Organization, nOrgs)
	now := time.Now().UTC()
	countries := []string{"GB", "FR", "IE", "NL", "FI", "BE"}
	for i := range orgs {
		id := library.NewID()
		orgs[i] = library.Organization{ID: id, Handle: fmt.Sprintf("org%d", i), Local: true, Name: fmt.Sprintf("Organisation %d", i),
			Summary: pool.body(r, false)[:200], Country: countries[i%len(countries)], APID: "https://node.test/orgs/" + id,
			Discoverable: true, Indexable: true, CreatedAt: now, UpdatedAt: now}
	}
	if err := store.DB().CreateInBatches(orgs, 500).Error; err != nil {
		return nil, 0, nil, err
	}
	var needs []string
	batch := make([]library.Listing, 0, 1000)
	for i := 0; i < n-nOrgs; i++ {
		l := generatedListing(r, &pool, orgs[r.IntN(nOrgs)], i, countries, now)
		if l.Kind == library.Need && len(needs) < 10000 {
			needs = append(needs, l.ID)
		}
		batch = append(batch, l)
		if len(batch) == cap(batch) || i == n-nOrgs-1 {
			if err := store.DB().Omit("Org").CreateInBatches(batch, 250).Error; err != nil {
				return nil, 0, nil, err
			}
			batch = batch[:0]
		}
	}
	svc := &Service{store: store, log: quietLog(), path: filepath.Join(dir, "index.bleve"), host: "node.test",
		consent: DefaultConsent, notify: 0.5, weights: DefaultWeights}
	start := time.Now()
	if err := svc.Rebuild(ctx, nil); err != nil {
		return nil, 0, nil, err
	}
	rate := float64(n) / time.Since(start).Seconds()
	return svc, rate, needs, nil
}

// generatedListing is the i-th generated offer or need.
func generatedListing(r *rand.Rand, pool *sentencePool, org library.Organization, i int, countries []string, now time.Time) library.Listing {
	kind := library.Offer
	if i%2 == 1 {
		kind = library.Need
	}
	french := len(pool.fr) > 0 && r.IntN(10) == 0
	lang := "en"
	if french {
		lang = "fr"
	}
	title := pool.titles[r.IntN(len(pool.titles))]
	body := pool.body(r, french)
	formats := []string{}
	if r.IntN(2) == 0 {
		formats = append(formats, "online")
	}
	id := library.NewID()
	published := now.Add(-time.Duration(r.IntN(365*24)) * time.Hour)
	return library.Listing{ID: id, Kind: kind, OrgID: org.ID, Local: true, APID: "https://node.test/" + kind.Plural() + "/" + id,
		Title: title, Body: body, ContentHTML: "<p>" + body + "</p>", Themes: library.InferThemes(title+"\n"+body, lang),
		ThemesInferred: true, Languages: []string{lang}, Countries: []string{countries[r.IntN(len(countries))]}, Formats: formats,
		Status: "open", Visibility: "public", PublishedAt: published, CreatedAt: now, UpdatedAt: now}
}

// latencies reports the median and the 99th percentile of ds.
func latencies(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*99/100)]), "p99-ms")
}

// BenchmarkScaleIndexBuild reports the rebuild rate of the corpus.
func BenchmarkScaleIndexBuild(b *testing.B) {
	benchCorpus(b)
	for range b.N {
	}
	b.ReportMetric(benchRate, "objects/s")
	n, _ := benchSvc.Count()
	b.ReportMetric(float64(n), "docs")
}

// BenchmarkScaleSearch times searches of one to three words, with the four facets.
func BenchmarkScaleSearch(b *testing.B) {
	svc := benchCorpus(b)
	words := strings.Fields("recruitment housing budget families school employment advocacy risk planning signing " +
		"tenancy supervision funding board leadership volunteers lonely faith council payroll logement école")
	r := rand.New(rand.NewPCG(3, 4))
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		q := Query{Text: strings.Join([]string{words[r.IntN(len(words))], words[r.IntN(len(words))]}[:1+r.IntN(2)], " ")}
		if r.IntN(2) == 0 {
			q.Kind = "offer"
		}
		start := time.Now()
		if _, err := svc.Search(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	latencies(b, ds)
}

// BenchmarkScaleMatches times the matches of one need.
func BenchmarkScaleMatches(b *testing.B) {
	svc := benchCorpus(b)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := svc.Matches(context.Background(), library.Need, benchNeed[i%len(benchNeed)], 10); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	latencies(b, ds)
}

// BenchmarkScaleRematch times matching each of 10,000 needs against 10,000
// offers (top 10) with two workers, on a corpus of its own.
func BenchmarkScaleRematch(b *testing.B) {
	dir := b.TempDir()
	size := 20400
	if v := os.Getenv("COMMONPLACE_BENCH_REMATCH"); v != "" {
		fmt.Sscan(v, &size)
	}
	svc, _, _, err := buildCorpus(b, dir, size)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	b.ResetTimer()
	for range b.N {
		var mu sync.Mutex
		needs, matches := 0, 0
		start := time.Now()
		err := svc.RematchAll(context.Background(), library.Need, 10, 2, func(_ ListingRef, ms []Match) {
			mu.Lock()
			needs, matches = needs+1, matches+len(ms)
			mu.Unlock()
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/rematch")
		b.ReportMetric(float64(needs), "needs")
		b.ReportMetric(float64(matches)/float64(max(needs, 1)), "matches/need")
	}
}

// openBenchStore opens a store that outlives the benchmark that made it, since
// the corpus is shared by the benchmarks of the process.
func openBenchStore(b *testing.B, dir string) *library.Store {
	ctx := context.Background()
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range testSchema {
		if err := library.Migrate(ctx, db, m.name, m.steps); err != nil {
			b.Fatal(err)
		}
	}
	return library.NewStore(db, library.Config{BaseURL: "https://node.test"}, quietLog())
}

// BenchmarkScaleRawBleve is the baseline of acceptance 3 on this machine: the
// same generated texts in a plain Bleve index (one text field, a keyword
// facet), indexed in batches of 1,000, then a match query and a 20-term
// disjunction, each with a facet.
func BenchmarkScaleRawBleve(b *testing.B) {
	n := 100000
	if v := os.Getenv("COMMONPLACE_BENCH_OBJECTS"); v != "" {
		fmt.Sscan(v, &n)
	}
	pool := loadSentences(b)
	r := rand.New(rand.NewPCG(1, 2))
	m := bleve.NewIndexMapping()
	idx, err := bleve.New(filepath.Join(b.TempDir(), "raw.bleve"), m)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	start := time.Now()
	batch := idx.NewBatch()
	for i := range n {
		_ = batch.Index(fmt.Sprint(i), map[string]any{"text": pool.titles[r.IntN(len(pool.titles))] + "\n" + pool.body(r, false),
			"kind": []string{"offer", "need"}[i%2]})
		if batch.Size() == 1000 || i == n-1 {
			if err := idx.Batch(batch); err != nil {
				b.Fatal(err)
			}
			batch = idx.NewBatch()
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "docs/s")
	words := strings.Fields("recruitment housing budget families school employment advocacy risk planning signing " +
		"tenancy supervision funding board leadership volunteers lonely faith council payroll")
	var one, many []time.Duration
	for i := range b.N {
		q := query.NewMatchQuery(words[i%len(words)])
		req := bleve.NewSearchRequest(q)
		req.AddFacet("kind", bleve.NewFacetRequest("kind", 5))
		t := time.Now()
		if _, err := idx.Search(req); err != nil {
			b.Fatal(err)
		}
		one = append(one, time.Since(t))
		var qs []query.Query
		for j := range 20 {
			qs = append(qs, query.NewTermQuery(words[(i+j)%len(words)]))
		}
		req = bleve.NewSearchRequest(query.NewDisjunctionQuery(qs))
		req.AddFacet("kind", bleve.NewFacetRequest("kind", 5))
		t = time.Now()
		if _, err := idx.Search(req); err != nil {
			b.Fatal(err)
		}
		many = append(many, time.Since(t))
	}
	slices.Sort(one)
	slices.Sort(many)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(one[len(one)*99/100]), "match-p99-ms")
	b.ReportMetric(ms(many[len(many)*99/100]), "or20-p99-ms")
}
