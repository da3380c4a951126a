package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/testdb"
	"github.com/citizen-network/commonplace/search"
	"github.com/citizen-network/commonplace/web"
)

// testNode is one Commonplace node: its own httptest server, SQLite database
// and search index, with federation running as in production.
type testNode struct {
	t      testing.TB
	name   string
	dir    string
	URL    string
	addr   string
	store  *library.Store
	fed    *federation.Service
	index  *search.Service
	srv    *httptest.Server
	h      atomic.Value // http.Handler
	cancel context.CancelFunc
	done   chan struct{}
	admin  string
	logs   syncBuffer // the node's log at info level and above
}

// syncBuffer is a buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// handlerBox lets an atomic.Value hold "no handler" while a node restarts.
type handlerBox struct{ h http.Handler }

// testConfig makes retries quick, so that tests of failure finish in seconds.
func testConfig(base string) federation.Config {
	return federation.Config{BaseURL: base, Version: "test", InsecureLocalFederation: true, InboundPerSecond: -1,
		PollInterval: 50 * time.Millisecond, Backoff: func(int) time.Duration { return 200 * time.Millisecond }}
}

func newNode(t testing.TB, name string) *testNode {
	t.Helper()
	return newNodeWith(t, name, nil)
}

// newNodeWith starts a node whose test configuration tweak changes first.
func newNodeWith(t testing.TB, name string, tweak func(*federation.Config)) *testNode {
	t.Helper()
	n := &testNode{t: t, name: name, dir: t.TempDir()}
	n.srv = httptest.NewServer(http.HandlerFunc(n.serve))
	n.URL, n.addr = n.srv.URL, n.srv.Listener.Addr().String()
	cfg := testConfig(n.URL)
	if tweak != nil {
		tweak(&cfg)
	}
	n.start(cfg)
	t.Cleanup(n.stop)
	token, err := n.store.CreateAPIToken(context.Background(), "", true, "test")
	if err != nil {
		t.Fatal(err)
	}
	n.admin = token
	return n
}

func (n *testNode) serve(w http.ResponseWriter, r *http.Request) {
	box, _ := n.h.Load().(handlerBox)
	h := box.h
	if h == nil {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	h.ServeHTTP(w, r)
}

// start opens the node's database and index and runs federation.
func (n *testNode) start(cfg federation.Config) {
	t := n.t
	ctx := context.Background()
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: n.dir, URL: testdb.URL(t, n.dir)})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		c string
		s []library.Migration
	}{{"library", library.Migrations}, {"events", library.EventMigrations}, {"introductions", library.IntroductionMigrations}, {"search", search.Migrations}, {"federation", federation.Migrations}} {
		if err := library.Migrate(ctx, db, m.c, m.s); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(&n.logs, nil))
	if os.Getenv("FEDERATION_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("node", n.name)
	}
	n.store = library.NewStore(db, library.Config{BaseURL: n.URL}, log)
	if n.fed, err = federation.New(cfg, n.store, log); err != nil {
		t.Fatal(err)
	}
	if n.index, err = search.Open(ctx, filepath.Join(n.dir, "index.bleve"), n.store, log, nil); err != nil {
		t.Fatal(err)
	}
	n.index.Subscribe()
	n.store.Subscribe("federation", n.fed.HandleChanges)
	n.store.SubscribeIntroductions("federation-introductions", n.fed)
	app := web.New(web.Config{BaseURL: n.URL, Version: "test"}, n.store, log,
		web.WithObjects(n.fed), web.WithMount(n.fed.Mount), web.WithFederation(n.fed), web.WithSearch(n.index))
	n.h.Store(handlerBox{app.Handler()})
	runCtx, cancel := context.WithCancel(ctx)
	n.cancel, n.done = cancel, make(chan struct{})
	go func() {
		defer close(n.done)
		go n.store.RunSubscribers(runCtx)
		n.fed.Run(runCtx)
	}()
}

// stop ends federation and closes the database (the HTTP server stays up,
// answering 503, unless down was called).
func (n *testNode) stop() {
	if n.cancel == nil {
		return
	}
	n.h.Store(handlerBox{})
	n.cancel()
	<-n.done
	n.cancel = nil
	_ = n.index.Close()
	_ = n.store.Close()
}

// halt stops federation's workers and the change-log subscribers but keeps
// the node answering HTTP, so that benchmarks measure the request path alone.
func (n *testNode) halt() {
	n.cancel()
	<-n.done
}

// restart stops the node and starts it again on the same data folder.
func (n *testNode) restart(cfg federation.Config) {
	n.stop()
	n.start(cfg)
}

// down closes the node's listener: other nodes get connection refused.
func (n *testNode) down() { n.srv.Close() }

// up listens again on the same address.
func (n *testNode) up() {
	ln, err := net.Listen("tcp", n.addr)
	if err != nil {
		n.t.Fatal(err)
	}
	n.srv = httptest.NewUnstartedServer(http.HandlerFunc(n.serve))
	n.srv.Listener.Close()
	n.srv.Listener = ln
	n.srv.Start()
}

func (n *testNode) host() string { u, _ := url.Parse(n.URL); return u.Host }

// org creates a local organisation.
func (n *testNode) org(handle, name, country string) *library.Organization {
	n.t.Helper()
	o, err := n.store.CreateOrganization(context.Background(), library.OrganizationInput{Handle: handle, Name: name, Country: country,
		Summary: name + " supports people to live the lives they choose."})
	if err != nil {
		n.t.Fatal(err)
	}
	return o
}

// post creates an offer or a need.
func (n *testNode) post(kind library.ListingKind, org *library.Organization, title, body, visibility string, themeSlugs ...string) *library.Listing {
	n.t.Helper()
	in := library.ListingInput{Title: &title, Body: &body, Visibility: &visibility}
	if len(themeSlugs) > 0 {
		in.Themes = &themeSlugs
	}
	l, err := n.store.CreateListing(context.Background(), kind, org.ID, in)
	if err != nil {
		n.t.Fatal(err)
	}
	return l
}

// api calls the node's JSON API with the coordinator token.
func (n *testNode) api(method, path string, body any) (int, []byte) {
	n.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, n.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+n.admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// peer asks n to peer with other through the coordinator API and waits
// until both sides are peered.
func (n *testNode) peer(other *testNode) {
	n.t.Helper()
	if code, body := n.api("POST", "/api/v1/admin/peers", map[string]string{"url": other.URL}); code != http.StatusAccepted {
		n.t.Fatalf("peer %s with %s: %d %s", n.name, other.name, code, body)
	}
	eventually(n.t, 20*time.Second, fmt.Sprintf("%s and %s peered", n.name, other.name), func() bool {
		return n.peerState(other) == "peered" && other.peerState(n) == "peered"
	})
}

func (n *testNode) peerState(other *testNode) string {
	peers, err := n.fed.Peers(context.Background())
	if err != nil {
		return ""
	}
	for _, p := range peers {
		if p.Domain == other.host() {
			return p.State
		}
	}
	return ""
}

// remote returns n's copy of a listing of another node, or nil.
func (n *testNode) remote(apID string) *library.Listing {
	l, err := n.store.ListingByAPID(context.Background(), apID)
	if err != nil {
		return nil
	}
	return l
}

// searchHits asks the node's search API.
func (n *testNode) searchHits(q string) []search.Hit {
	n.t.Helper()
	code, body := n.api("GET", "/api/v1/search?q="+url.QueryEscape(q), nil)
	if code != http.StatusOK {
		n.t.Fatalf("search %q: %d %s", q, code, body)
	}
	var res search.Result
	if err := json.Unmarshal(body, &res); err != nil {
		n.t.Fatal(err)
	}
	return res.Hits
}

// eventually polls cond until it holds or the time is up.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for: %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// settle waits until every node's queues are idle.
func settle(t testing.TB, nodes ...*testNode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for round := 0; round < 3; round++ {
		for _, n := range nodes {
			if err := n.store.WaitSubscribers(ctx); err != nil {
				t.Fatal(err)
			}
			if err := n.fed.WaitIdle(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
}
