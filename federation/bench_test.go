package federation_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-fed/httpsig"

	"github.com/citizen-network/commonplace/library"
)

// bareVerifyRate is httpsig verifications per second on one core, of a
// signed inbox POST like ours: the baseline of the inbox benchmark.
func bareVerifyRate(b *testing.B) float64 {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	body := []byte(`{"type":"Create"}`)
	req := httptest.NewRequest("POST", "http://node.example/inbox", bytes.NewReader(body))
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	req.Header.Set("Host", "node.example")
	signer, _, _ := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		[]string{httpsig.RequestTarget, "host", "date", "digest"}, httpsig.Signature, 0)
	if err := signer.SignRequest(key, "k", req, body); err != nil {
		b.Fatal(err)
	}
	n, start := 0, time.Now()
	for time.Since(start) < time.Second {
		v, err := httpsig.NewVerifier(req)
		if err != nil || v.Verify(&key.PublicKey, httpsig.RSA_SHA256) != nil {
			b.Fatal("bare verify failed")
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// bareSignRate is RSA-2048 signatures per second on all cores: the baseline
// of the delivery benchmark.
func bareSignRate() float64 {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	var n atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum := sha256.Sum256([]byte("(request-target): post /inbox"))
			for time.Since(start) < time.Second {
				_, _ = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

// BenchmarkInboxPOST: verified, durably stored inbox POSTs per second under
// concurrent load (16 clients), against bare httpsig verification on one
// core. Requests are signed before the clock starts; the receiver's workers
// are halted so that only the request path is measured.
func BenchmarkInboxPOST(b *testing.B) {
	a, s := newNode(b, "a"), newNode(b, "s")
	s.org("sender", "Sender Org", "GB")
	a.peer(s)
	settle(b, a, s)
	a.halt()
	actor := s.URL + "/orgs/sender"
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		body := createFrom(s, "sender", fmt.Sprintf("bench%08d-%d", i, time.Now().UnixNano()), "A benchmark offer")
		req, _ := http.NewRequest("POST", a.URL+"/inbox", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/activity+json")
		if err := s.fed.SignForTest(context.Background(), req, actor, body); err != nil {
			b.Fatal(err)
		}
		reqs[i] = req
	}
	bare := bareVerifyRate(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	var failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(reqs)); i = next.Add(1) - 1 {
				resp, err := client.Do(reqs[i])
				if err != nil || resp.StatusCode != http.StatusAccepted {
					failed.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	rate := float64(b.N) / time.Since(start).Seconds()
	if failed.Load() > 0 {
		b.Fatalf("%d of %d POSTs were not accepted", failed.Load(), b.N)
	}
	after := bareVerifyRate(b)
	b.ReportMetric(rate, "posts/s")
	b.ReportMetric((bare+after)/2, "bare-verify/s")
	b.ReportMetric(rate/((bare+after)/2), "ratio")
}

// followers gives a node's organisation n followers on hosts loopback servers
// that answer 202; with shared inboxes, each host is one delivery.
func followers(b *testing.B, n *testNode, org *library.Organization, count, hosts int, shared bool) *atomic.Int64 {
	var got atomic.Int64
	var servers []*httptest.Server
	for h := 0; h < hosts; h++ {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
		b.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	db := n.store.DB()
	now := time.Now().UTC()
	for i := 0; i < count; i++ {
		srv := servers[i%hosts]
		id := fmt.Sprintf("%s/users/u%d", srv.URL, i)
		sharedInbox := ""
		if shared {
			sharedInbox = srv.URL + "/inbox"
		}
		err := db.Exec(`INSERT INTO federation_actors (id, type, username, domain, inbox, shared_inbox, outbox, key_id, public_key_pem, document, fetched_at)
			VALUES (?, 'Person', ?, ?, ?, ?, '', ?, 'x', '{}', ?)`, id, fmt.Sprintf("u%d", i), srv.Listener.Addr().String(), id+"/inbox", sharedInbox, id+"#main-key", now).Error
		if err == nil {
			err = db.Exec(`INSERT INTO federation_follows (id, follower, followee, state, local_follower, created_at, updated_at)
				VALUES (?, ?, ?, 'accepted', FALSE, ?, ?)`, id+"#follow", id, org.APID, now, now).Error
		}
		if err != nil {
			b.Fatalf("follower %d (%s): %v", i, id, err)
		}
	}
	return &got
}

// BenchmarkDelivery: signed deliveries per second (one offer to 1,000
// followers with their own inboxes on 20 loopback hosts, each delivery
// signed), against bare RSA-2048 signatures per second on all cores.
func BenchmarkDelivery(b *testing.B) {
	a := newNode(b, "a")
	org := a.org("riverside", "Riverside Support", "GB")
	const count = 1000
	got := followers(b, a, org, count, 20, false)
	before := bareSignRate()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		a.post(library.Offer, org, "Benchmark offer", "To every follower.", "public")
	}
	eventually(b, 5*time.Minute, "every delivery", func() bool { return got.Load() >= int64(count*b.N) })
	b.StopTimer()
	rate := float64(count*b.N) / time.Since(start).Seconds()
	// The machine is shared: the baseline is measured before and after, and averaged.
	bare := (before + bareSignRate()) / 2
	b.ReportMetric(rate, "deliveries/s")
	b.ReportMetric(bare, "bare-sign/s")
	b.ReportMetric(rate/bare, "ratio")
}

// BenchmarkFanOut: one offer to 1,000 followers on 100 loopback hosts, whose
// shared inboxes collapse it to 100 deliveries: time and memory.
func BenchmarkFanOut(b *testing.B) {
	a := newNode(b, "a")
	org := a.org("riverside", "Riverside Support", "GB")
	got := followers(b, a, org, 1000, 100, true)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		a.post(library.Offer, org, "Benchmark offer", "To every follower.", "public")
	}
	eventually(b, 5*time.Minute, "every delivery", func() bool { return got.Load() >= int64(100*b.N) })
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if n := got.Load(); n != int64(100*b.N) {
		b.Fatalf("%d deliveries, want %d (shared inboxes not collapsed)", n, 100*b.N)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/offer")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/offer")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "MiB-heap")
}

// BenchmarkBackfill: a peer's 10,000 objects read by walking its outbox pages.
func BenchmarkBackfill(b *testing.B) {
	const objects = 10000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, c := newNode(b, "a"), newNode(b, "c")
		org := a.org("riverside", "Riverside Support", "GB")
		a.peer(c)
		settle(b, a, c)
		insertListings(b, a, org, objects)
		b.StartTimer()
		start := time.Now()
		n, err := c.fed.Backfill(context.Background(), a.host())
		if err != nil || n < objects {
			b.Fatalf("back-fill read %d items: %v", n, err)
		}
		b.ReportMetric(float64(objects)/time.Since(start).Seconds(), "objects/s")
	}
}

// insertListings writes local listings straight into the table (not through
// the change log, so they are not delivered: back-fill is what brings them).
func insertListings(b *testing.B, n *testNode, org *library.Organization, count int) {
	rows := make([]library.Listing, 0, count)
	t := time.Now().UTC()
	for i := 0; i < count; i++ {
		id := library.NewID()
		rows = append(rows, library.Listing{ID: id, Kind: library.Offer, OrgID: org.ID, Local: true,
			APID: n.URL + "/offers/" + id, URL: n.URL + "/offers/" + id, Title: fmt.Sprintf("Offer number %d about housing", i),
			Body: "We share how we support people in their own homes.", ContentHTML: "<p>We share how we support people in their own homes.</p>",
			Themes: []string{"housing"}, Languages: []string{"en"}, Countries: []string{"GB"}, Formats: []string{"online"},
			Status: "open", Visibility: "public", PublishedAt: t, CreatedAt: t, UpdatedAt: t})
	}
	if err := n.store.DB().Omit("Org").CreateInBatches(rows, 500).Error; err != nil {
		b.Fatal(err)
	}
}
