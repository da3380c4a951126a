package federation_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
)

// stranger is another server's actor, with a key the test can rotate, that
// counts how often its documents are fetched; broken makes it answer 500.
type stranger struct {
	srv     *httptest.Server
	mu      sync.Mutex
	key     *rsa.PrivateKey
	fetches atomic.Int64
	broken  atomic.Bool
	gone    atomic.Bool
}

func newStranger(t *testing.T) *stranger {
	t.Helper()
	s := &stranger{key: newKey(t)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func newKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (s *stranger) actor() string { return s.srv.URL + "/users/zed" }
func (s *stranger) keyID() string { return s.actor() + "#main-key" }

// rotate gives the actor a new key and returns it.
func (s *stranger) rotate(t *testing.T) *rsa.PrivateKey {
	k := newKey(t)
	s.mu.Lock()
	s.key = k
	s.mu.Unlock()
	return k
}

func (s *stranger) serve(w http.ResponseWriter, r *http.Request) {
	s.fetches.Add(1)
	if s.broken.Load() {
		http.Error(w, "broken", http.StatusInternalServerError)
		return
	}
	if s.gone.Load() {
		http.Error(w, "gone", http.StatusGone)
		return
	}
	if r.URL.Path != "/users/zed" {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	der, _ := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       s.actor(), "type": "Person", "preferredUsername": "zed", "inbox": s.actor() + "/inbox",
		"publicKey": map[string]string{"id": s.keyID(), "owner": s.actor(),
			"publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))},
	})
}

// like is a Like by actor with a unique id.
func like(actor string, n int) []byte {
	b, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": fmt.Sprintf("%s/likes/%d", actor, n), "type": "Like", "actor": actor, "object": actor + "/notes/1"})
	return b
}

// signedPost is a POST of body to n's inbox, signed with key under keyID.
func signedPost(t *testing.T, n *testNode, key *rsa.PrivateKey, keyID string, body []byte) *http.Request {
	t.Helper()
	req := inboxRequest(n, "", body)
	if err := federation.SignCavageForTest(req, key, keyID, body, federation.CavageOptions{}); err != nil {
		t.Fatal(err)
	}
	return req
}

// from returns a client whose connections come from the loopback address ip
// (127.0.0.2 is another machine, as far as the node can tell).
func from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 16}}
}

func codeOf(t *testing.T, c *http.Client, req *http.Request) int {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestGarbageNamingAPeerDoesNotSpendItsBudget: requests that name a peer's
// key but do not verify are counted against their own address, never
// against the peer, whose real deliveries keep being accepted (issue 18,
// item 10).
func TestGarbageNamingAPeerDoesNotSpendItsBudget(t *testing.T) {
	a := newNodeWith(t, "a", func(c *federation.Config) { c.InboundPerSecond, c.InboundPerAddress = 1, 1 })
	b := newNode(t, "b")
	b.org("moray", "Moray Homes Together", "GB")
	ctx := context.Background()
	key, keyID, err := b.fed.KeyForTest(ctx, b.URL+"/orgs/moray")
	if err != nil {
		t.Fatal(err)
	}
	real := func(i int) int {
		body := createFrom(b, "moray", fmt.Sprintf("real%02d", i), "A real offer")
		return codeOf(t, http.DefaultClient, signedPost(t, a, key, keyID, body))
	}
	if got := real(0); got != http.StatusAccepted {
		t.Fatalf("the peer's first delivery: %d", got)
	}
	forger, attacker := newKey(t), from("127.0.0.2")
	counts := map[int]int{}
	for i := 0; i < 60; i++ {
		body := createFrom(b, "moray", fmt.Sprintf("forged%02d", i), "A forged offer")
		counts[codeOf(t, attacker, signedPost(t, a, forger, keyID, body))]++
	}
	if counts[http.StatusAccepted] != 0 || counts[http.StatusTooManyRequests] == 0 || counts[http.StatusUnauthorized] == 0 {
		t.Fatalf("forged requests answered %v; want 401s, then 429s once the address's budget is spent", counts)
	}
	if got := real(1); got != http.StatusAccepted {
		t.Fatalf("after the forgeries, the peer's delivery answered %d, want 202", got)
	}
}

// TestKeyFetchFailuresAreRememberedAnd401: a key that cannot be fetched
// (its server errs, or cannot be reached) is 401, not 500; the failure is
// remembered, so a flood naming it makes a fetch or two, not one each;
// fetches of new keys of one host are limited; nothing is logged at ERROR
// (issue 18, item 10).
func TestKeyFetchFailuresAreRememberedAnd401(t *testing.T) {
	a := newNode(t, "a")
	broken := newStranger(t)
	broken.broken.Store(true)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	unreachable := "http://" + ln.Addr().String()
	ln.Close()
	forger := newKey(t)

	for name, actor := range map[string]string{"server error": broken.actor(), "unreachable": unreachable + "/users/zed"} {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < 30; i++ {
				if got := codeOf(t, http.DefaultClient, signedPost(t, a, forger, actor+"#main-key", like(actor, i))); got != http.StatusUnauthorized {
					t.Fatalf("request %d answered %d, want 401", i, got)
				}
			}
		})
	}
	if n := broken.fetches.Load(); n > 2 {
		t.Fatalf("30 requests naming one failing key made %d fetches", n)
	}

	many := newStranger(t)
	counts := map[int]int{}
	for i := 0; i < 60; i++ {
		keyID := fmt.Sprintf("%s/keys/%d", many.srv.URL, i) // 60 unknown keys of one host
		counts[codeOf(t, http.DefaultClient, signedPost(t, a, forger, keyID, like(many.actor(), i)))]++
	}
	if n := many.fetches.Load(); n > 30 || counts[http.StatusTooManyRequests] == 0 || counts[http.StatusInternalServerError] != 0 {
		t.Fatalf("60 unknown keys of one host: %d fetches, answers %v", n, counts)
	}
	if logs := a.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Fatalf("refusals were logged as errors:\n%s", logs)
	}
}

// TestRotatedKeyIsFetchedAgainBounded: a peer that rotates its key is
// believed after one fetch of the new key; requests that fail with a known
// key do not each fetch it again.
func TestRotatedKeyIsFetchedAgainBounded(t *testing.T) {
	a, s := newNode(t, "a"), newStranger(t)
	s.mu.Lock()
	first := s.key
	s.mu.Unlock()
	if got := codeOf(t, http.DefaultClient, signedPost(t, a, first, s.keyID(), like(s.actor(), 0))); got != http.StatusAccepted {
		t.Fatalf("first key: %d", got)
	}
	second := s.rotate(t)
	if got := codeOf(t, http.DefaultClient, signedPost(t, a, second, s.keyID(), like(s.actor(), 1))); got != http.StatusAccepted {
		t.Fatalf("rotated key: %d", got)
	}
	before, forger := s.fetches.Load(), newKey(t)
	for i := 0; i < 20; i++ {
		if got := codeOf(t, http.DefaultClient, signedPost(t, a, forger, s.keyID(), like(s.actor(), 100+i))); got != http.StatusUnauthorized {
			t.Fatalf("forged %d: %d", i, got)
		}
	}
	if n := s.fetches.Load() - before; n > 2 {
		t.Fatalf("20 forged requests made %d fetches of a known key", n)
	}
	if got := codeOf(t, http.DefaultClient, signedPost(t, a, second, s.keyID(), like(s.actor(), 2))); got != http.StatusAccepted {
		t.Fatalf("the rotated key after the forgeries: %d", got)
	}
}

// TestDeleteOfAnActorNeedsItsOwnServer: a Delete of an actor whose key is
// gone is taken as proven only when the actor's own server says it is gone,
// not when a key on another host answers 410.
func TestDeleteOfAnActorNeedsItsOwnServer(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	org := b.org("moray", "Moray Homes Together", "GB")
	a.peer(b)
	offer := b.post(library.Offer, org, "Tenancy support that follows the person", "We share our tenancy agreements.", "public")
	eventually(t, 10*time.Second, "offer at a", func() bool { return a.remote(offer.APID) != nil })
	s := newStranger(t)
	s.gone.Store(true)
	body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": org.APID + "#delete", "type": "Delete", "actor": org.APID, "object": org.APID})
	if got := codeOf(t, http.DefaultClient, signedPost(t, a, newKey(t), s.keyID(), body)); got != http.StatusUnauthorized {
		t.Fatalf("a Delete proven by another host's 410 answered %d, want 401", got)
	}
	settle(t, a)
	if _, err := a.store.OrganizationByAPID(context.Background(), org.APID); err != nil {
		t.Fatalf("the organisation was deleted on another host's word: %v", err)
	}
}
