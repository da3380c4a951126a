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

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/testdb"
)

// The benchmarks of acceptance 3 run on a generated corpus of organisations,
// offers and needs of about 500 bytes each, recombined from the sentences of
// the labelled set; bench_raw_test.go measures plain Bleve on the same
// corpus, in the same run, as the baseline. Set COMMONPLACE_BENCH_OBJECTS to
// change its size (100,000 by default) and COMMONPLACE_BENCH_DIR to keep the
// data folder: to measure a node serving it, or to measure again without
// generating it again (the index is rebuilt, and timed, unless
// COMMONPLACE_BENCH_KEEP_INDEX is set and it exists). Run with a
// short -benchtime, e.g.
//
//	go test ./search -run '^$' -bench Scale -benchtime 500x -timeout 60m
var (
	benchOnce  sync.Once
	benchSvc   *Service
	benchDir   string
	benchErr   error
	benchRate  float64
	benchNeed  []string
	benchTemp  []string       // folders to remove at the end
	benchDrops []func() error // PostgreSQL schemas to drop at the end
)

// TestMain removes the corpora the benchmarks made in temporary folders.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range benchTemp {
		_ = os.RemoveAll(dir)
	}
	for _, drop := range benchDrops {
		if err := drop(); err != nil {
			fmt.Fprintln(os.Stderr, "drop a benchmark schema:", err)
		}
	}
	os.Exit(code)
}

// benchCorpus builds (once per process) the store and index of the benchmarks.
func benchCorpus(b *testing.B) *Service {
	b.Helper()
	benchOnce.Do(func() {
		n := 100000
		if v := os.Getenv("COMMONPLACE_BENCH_OBJECTS"); v != "" {
			fmt.Sscan(v, &n)
		}
		benchDir, benchErr = benchFolder("COMMONPLACE_BENCH_DIR")
		if benchErr == nil {
			benchSvc, benchRate, benchNeed, benchErr = buildCorpus(b, benchDir, n)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSvc
}

// benchFolder is the folder named by the environment variable, or a new
// temporary one.
func benchFolder(env string) (string, error) {
	if dir := os.Getenv(env); dir != "" {
		return dir, os.MkdirAll(dir, 0o755)
	}
	dir, err := os.MkdirTemp("", "commonplace-bench-")
	if err == nil {
		benchTemp = append(benchTemp, dir)
	}
	return dir, err
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

// buildCorpus writes n objects straight into the database of dir (2%
// organisations, then offers and needs half and half), unless it holds them
// already, and rebuilds the index, timing it. It returns the first 10,000
// needs.
func buildCorpus(b *testing.B, dir string, n int) (*Service, float64, []string, error) {
	store := openBenchStore(b, dir)
	var have int64
	if err := store.DB().Table("listings").Count(&have).Error; err != nil {
		return nil, 0, nil, err
	}
	if have == 0 {
		if err := generateCorpus(b, store, n); err != nil {
			return nil, 0, nil, err
		}
	}
	var needs []string
	err := store.DB().Table("listings").Where("kind = ?", library.Need).Order("id").Limit(10000).Pluck("id", &needs).Error
	if err != nil {
		return nil, 0, nil, err
	}
	path := filepath.Join(dir, "index.bleve")
	if os.Getenv("COMMONPLACE_BENCH_KEEP_INDEX") != "" {
		if _, err := os.Stat(path); err == nil { // measure again without building again
			svc, err := Open(context.Background(), path, store, quietLog(), nil)
			return svc, 0, needs, err
		}
	}
	svc := &Service{store: store, log: quietLog(), path: path, host: "node.test",
		consent: DefaultConsent, notify: 0.5, weights: DefaultWeights}
	start := time.Now()
	if err := svc.Rebuild(context.Background(), nil); err != nil {
		return nil, 0, nil, err
	}
	count, err := svc.Count()
	return svc, float64(count) / time.Since(start).Seconds(), needs, err
}

// generateCorpus writes n generated objects into the store.
func generateCorpus(b *testing.B, store *library.Store, n int) error {
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
		return err
	}
	batch := make([]library.Listing, 0, 1000)
	for i := 0; i < n-nOrgs; i++ {
		batch = append(batch, generatedListing(r, &pool, orgs[r.IntN(nOrgs)], i, countries, now))
		if len(batch) == cap(batch) || i == n-nOrgs-1 {
			if err := store.DB().Omit("Org").CreateInBatches(batch, 250).Error; err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
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
func latencies(b *testing.B, ds []time.Duration) { reportLatencies(b, "", ds) }

// reportLatencies reports the median and the 99th percentile of ds, their
// units named with prefix.
func reportLatencies(b *testing.B, prefix string, ds []time.Duration) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), prefix+"p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*99/100)]), prefix+"p99-ms")
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

// benchWords are the words searched: common and rarer words of the field.
var benchWords = strings.Fields("recruitment housing budget families school employment advocacy risk planning signing " +
	"tenancy supervision funding board leadership volunteers lonely faith council payroll logement école")

// benchQueries are n searches of one or two of benchWords, half of them
// for offers only, the same in every run.
func benchQueries(n int) []Query {
	r := rand.New(rand.NewPCG(3, 4))
	out := make([]Query, n)
	for i := range out {
		w := []string{benchWords[r.IntN(len(benchWords))], benchWords[r.IntN(len(benchWords))]}
		out[i].Text = strings.Join(w[:1+r.IntN(2)], " ")
		if r.IntN(2) == 0 {
			out[i].Kind = "offer"
		}
	}
	return out
}

// BenchmarkScaleSearch times searches of one or two words, with the four facets.
func BenchmarkScaleSearch(b *testing.B) {
	svc := benchCorpus(b)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for _, q := range benchQueries(b.N) {
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

var (
	rematchOnce sync.Once
	rematchSvc  *Service
	rematchErr  error
)

// rematchCorpus builds (once per process) the corpus of the rematch
// benchmarks: 9,996 offers and 9,996 needs of 408 organisations.
func rematchCorpus(b *testing.B) *Service {
	b.Helper()
	rematchOnce.Do(func() {
		size := 20400
		if v := os.Getenv("COMMONPLACE_BENCH_REMATCH"); v != "" {
			fmt.Sscan(v, &size)
		}
		var dir string
		dir, rematchErr = benchFolder("COMMONPLACE_BENCH_REMATCH_DIR")
		if rematchErr == nil {
			rematchSvc, _, _, rematchErr = buildCorpus(b, dir, size)
		}
	})
	if rematchErr != nil {
		b.Fatal(rematchErr)
	}
	return rematchSvc
}

// BenchmarkScaleRematch times matching each of 10,000 needs against 10,000
// offers (top 10) with two workers, on a corpus of its own. It is measured
// once, whatever -benchtime says.
func BenchmarkScaleRematch(b *testing.B) {
	svc := rematchCorpus(b)
	b.ResetTimer()
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
	for range b.N {
	}
	b.ReportMetric(time.Since(start).Seconds(), "s/rematch")
	b.ReportMetric(float64(needs), "needs")
	b.ReportMetric(float64(matches)/float64(max(needs, 1)), "matches/need")
}

// openBenchStore opens a store that outlives the benchmark that made it, since
// the corpus is shared by the benchmarks of the process.
func openBenchStore(b *testing.B, dir string) *library.Store {
	ctx := context.Background()
	// On PostgreSQL (COMMONPLACE_TEST_POSTGRES) the corpus lives in a schema
	// of its own, kept until TestMain drops it: the benchmarks share it.
	u, drop, err := testdb.Schema()
	if err != nil {
		b.Fatal(err)
	}
	benchDrops = append(benchDrops, drop)
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: dir, URL: u})
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
