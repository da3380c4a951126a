package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-fed/httpsig"
)

// remoteActor is another server's actor, served by an httptest server
// with its own RSA key, as Mastodon serves one.
type remoteActor struct {
	srv *httptest.Server
	key *rsa.PrivateKey
	n   atomic.Int64 // activity ids
}

func newRemoteActor(t *testing.T) *remoteActor {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ra := &remoteActor{key: key}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pubPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	ra.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
		case r.URL.Path == "/users/zed":
			w.Header().Set("Content-Type", "application/activity+json")
			_ = json.NewEncoder(w).Encode(map[string]any{
				"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
				"id":       ra.actor(), "type": "Person", "preferredUsername": "zed", "inbox": ra.actor() + "/inbox",
				"publicKey": map[string]string{"id": ra.actor() + "#main-key", "owner": ra.actor(), "publicKeyPem": pubPEM}})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ra.srv.Close)
	return ra
}

func (ra *remoteActor) actor() string { return ra.srv.URL + "/users/zed" }
func (ra *remoteActor) host() string  { return strings.TrimPrefix(ra.srv.URL, "http://") }

// like is a Like of the node's instance actor, with a new id each time.
func (ra *remoteActor) like(node string) []byte {
	b, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": fmt.Sprintf("%s/likes/%d", ra.actor(), ra.n.Add(1)), "type": "Like", "actor": ra.actor(), "object": node + "/actor"})
	return b
}

// signedInbox is a POST of body to node's inbox signed with go-fed/httpsig
// over (request-target) host date digest, with the given Date, for host
// (the node's own when "").
func signedInbox(t *testing.T, node, host string, key *rsa.PrivateKey, keyID string, body []byte, date time.Time) *http.Request {
	t.Helper()
	req, _ := http.NewRequest("POST", node+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Accept", "application/activity+json")
	if host != "" {
		req.Host = host
	} else {
		req.Host = req.URL.Host
	}
	req.Header.Set("Host", req.Host)
	req.Header.Set("Date", date.UTC().Format(http.TimeFormat))
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		[]string{httpsig.RequestTarget, "host", "date", "digest"}, httpsig.Signature, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := signer.SignRequest(key, keyID, req, body); err != nil {
		t.Fatal(err)
	}
	return req
}

// answer sends req with c and returns the status and the "error" of the JSON answer.
func answer(t *testing.T, c *http.Client, req *http.Request) (int, string) {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Error string }
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.Error
}

// startFedAttackNode runs the binary with local federation allowed and an organisation.
func startFedAttackNode(t *testing.T) (*server, string) {
	t.Helper()
	data, addr := t.TempDir(), freeAddr(t)
	base := "http://" + addr
	cli(t, "org", "create", "--data", data, "--base-url", base, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", data, "--base-url", base, "--org", "riverside"))
	return startServer(t, data, addr, "--insecure-local-federation"), token
}

// TestAttackFederationSignatures: a captured request whose Date is 30 days
// old, with created="<now>" appended unsigned, is refused; so is a request
// signed for another host; a fresh one is accepted (issue 18, items 1, 2).
func TestAttackFederationSignatures(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	srv, _ := startFedAttackNode(t)
	ra := newRemoteActor(t)
	keyID := ra.actor() + "#main-key"
	if code, msg := answer(t, http.DefaultClient, signedInbox(t, srv.base, "", ra.key, keyID, ra.like(srv.base), time.Now())); code != http.StatusAccepted {
		t.Fatalf("a fresh signed request: %d %s", code, msg)
	}
	stale := signedInbox(t, srv.base, "", ra.key, keyID, ra.like(srv.base), time.Now().Add(-30*24*time.Hour))
	stale.Header.Set("Signature", stale.Header.Get("Signature")+fmt.Sprintf(`,created="%d"`, time.Now().Unix()))
	if code, msg := answer(t, http.DefaultClient, stale); code != http.StatusUnauthorized || !strings.Contains(msg, "date") {
		t.Fatalf("a 30-day-old Date with an unsigned created: %d %q, want 401 naming the date", code, msg)
	}
	elsewhere := signedInbox(t, srv.base, "other.example", ra.key, keyID, ra.like(srv.base), time.Now())
	if code, msg := answer(t, http.DefaultClient, elsewhere); code != http.StatusUnauthorized || !strings.Contains(msg, "other.example") {
		t.Fatalf("a request signed for other.example: %d %q, want 401 naming the host", code, msg)
	}
}

// TestAttackOversizedInboxBodies: a body over 1 MiB is answered 413 whether
// its Content-Length says so or it comes chunked, with no length (issue 18,
// item 6).
func TestAttackOversizedInboxBodies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	srv, _ := startFedAttackNode(t)
	huge := append([]byte(`{"type": "Create", "padding": "`), bytes.Repeat([]byte("x"), 2<<20)...)
	huge = append(huge, '"', '}')
	for _, chunked := range []bool{false, true} {
		var body io.Reader = bytes.NewReader(huge)
		if chunked {
			body = io.MultiReader(body) // no length known: sent chunked
		}
		req, _ := http.NewRequest("POST", srv.base+"/inbox", body)
		req.Header.Set("Content-Type", "application/activity+json")
		if code, msg := answer(t, http.DefaultClient, req); code != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB body (chunked %v): %d %q, want 413", chunked, code, msg)
		}
	}
}

// TestAttackFederationBudgets: 1,500 garbage requests naming a peer's key,
// from another address, do not make the node refuse the peer's real ones;
// keys that cannot be fetched are 401, not 500, and leave no ERROR in the
// log (issue 18, item 10).
func TestAttackFederationBudgets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	srv, _ := startFedAttackNode(t)
	ra := newRemoteActor(t)
	keyID := ra.actor() + "#main-key"
	if code, msg := answer(t, http.DefaultClient, signedInbox(t, srv.base, "", ra.key, keyID, ra.like(srv.base), time.Now())); code != http.StatusAccepted {
		t.Fatalf("the peer's first request: %d %s", code, msg)
	}
	forger, _ := rsa.GenerateKey(rand.Reader, 2048)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
	attacker := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 16}}
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1500/16; i++ {
				// Most are cheap garbage (the body is not the one signed);
				// some are signed, with another key.
				req := signedInbox(t, srv.base, "", forger, keyID, ra.like(srv.base), time.Now())
				if i%10 != 0 {
					other := ra.like(srv.base)
					req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(other)), int64(len(other))
				}
				code, _ := answer(t, attacker, req)
				mu.Lock()
				counts[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("garbage from 127.0.0.2 answered %v", counts)
	if counts[http.StatusAccepted] != 0 || counts[http.StatusInternalServerError] != 0 {
		t.Fatalf("forgeries answered %v", counts)
	}
	if code, msg := answer(t, http.DefaultClient, signedInbox(t, srv.base, "", ra.key, keyID, ra.like(srv.base), time.Now())); code != http.StatusAccepted {
		t.Fatalf("after %v forgeries, the peer's real request answered %d %s, want 202", counts, code, msg)
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for i := 0; i < 20; i++ {
		req := signedInbox(t, srv.base, "", forger, closed+"/users/zed#main-key", ra.like(srv.base), time.Now())
		if code, msg := answer(t, http.DefaultClient, req); code != http.StatusUnauthorized {
			t.Fatalf("a key on an unreachable host: %d %q, want 401", code, msg)
		}
	}
	if strings.Contains(srv.out.String(), "level=ERROR") {
		t.Fatalf("refusals logged as errors:\n%s", srv.out)
	}
}

// TestAttackFederationFollowFailures: following an account on a server
// that cannot be reached is 502 "could not reach …", an account that does
// not exist 422 "no such actor", never 500 (issue 18, item 10).
func TestAttackFederationFollowFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	srv, token := startFedAttackNode(t)
	ra := newRemoteActor(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	cases := []struct {
		account string
		want    int
		says    string
	}{
		{"nobody@" + closed, http.StatusBadGateway, "could not reach " + closed},
		{"ghost@" + ra.host(), http.StatusUnprocessableEntity, "no such actor"},
		{ra.srv.URL + "/users/ghost", http.StatusUnprocessableEntity, "no such actor"},
	}
	for _, tc := range cases {
		code, res := call(t, "POST", srv.base+"/api/v1/follows", token, fmt.Sprintf(`{"account": %q}`, tc.account))
		if msg, _ := res["error"].(string); code != tc.want || !strings.Contains(msg, tc.says) {
			t.Fatalf("follow %s: %d %v, want %d naming %q", tc.account, code, res, tc.want, tc.says)
		}
	}
}
