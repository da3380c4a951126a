package federation_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// clientFrom is an HTTP client whose connections come from ip (any
// 127.0.0.0/8 address is loopback on Linux), so a test can play an
// attacker on another address than the peer.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 10 * time.Second}
}

// forged is a POST to n's inbox whose Signature names keyID but was never
// made with its key.
func forged(t *testing.T, to, keyID string, body []byte) *http.Request {
	t.Helper()
	req, _ := http.NewRequest("POST", to+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	sum := sha256.Sum256(body)
	req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	req.Header.Set("Signature", `keyId="`+keyID+`",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="Zm9yZ2Vk"`)
	return req
}

// TestForgedRequestsDoNotSpendAPeersBudget: requests with garbage
// signatures naming a peer's key come from another address; the peer's
// real deliveries still get through (issue 18, item 10).
func TestForgedRequestsDoNotSpendAPeersBudget(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	b.org("moray", "Moray Homes Together", "GB")
	a.peer(b)
	cfg := testConfig(a.URL)
	cfg.InboundPerSecond = 2 // a peer's budget: burst 20, then 2 a second
	a.restart(cfg)
	moray := b.URL + "/orgs/moray"
	attacker := clientFrom("127.0.0.2")
	refused := map[int]int{}
	for i := 0; i < 150; i++ {
		body := createFrom(b, "moray", "forged"+strconv.Itoa(i), "Forged")
		resp, err := attacker.Do(forged(t, a.URL, moray+"#main-key", body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		refused[resp.StatusCode]++
	}
	if refused[http.StatusAccepted] > 0 || refused[http.StatusInternalServerError] > 0 {
		t.Fatalf("forged requests answered %v", refused)
	}
	body := createFrom(b, "moray", "05real", "The real delivery")
	if got := postInbox(t, a, b, moray, body, nil); got != http.StatusAccepted {
		t.Fatalf("the peer's real delivery after %v forged requests: %d, want 202", refused, got)
	}
}

// TestUnknownKeysAreFetchedSparingly: each request naming a new key on an
// unreachable or failing host answers 401 (not 500), and the node does not
// call that host once per request (issue 18, item 10).
func TestUnknownKeysAreFetchedSparingly(t *testing.T) {
	a := newNode(t, "a")
	var fetches atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer evil.Close()
	statuses := map[int]int{}
	for i := 0; i < 60; i++ {
		// A Follow of the instance actor is admitted from any host, so it
		// reaches the signature check.
		act, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": evil.URL + "/follows/" + strconv.Itoa(i), "type": "Follow", "actor": evil.URL + "/actor", "object": a.fed.InstanceActor()})
		key := evil.URL + "/actor#key-" + strconv.Itoa(i)
		resp, err := clientFrom("127.0.0.3").Do(forged(t, a.URL, key, act))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses[resp.StatusCode]++
	}
	if statuses[http.StatusUnauthorized] != 60 {
		t.Errorf("answers to 60 requests with unknown keys: %v, want 60 × 401", statuses)
	}
	if n := fetches.Load(); n > 15 {
		t.Errorf("%d fetches for 60 unknown keys on one host, want at most 15", n)
	}
	// The same key again is not fetched again for a while.
	before := fetches.Load()
	act, _ := json.Marshal(map[string]any{"id": evil.URL + "/follows/again", "type": "Follow", "actor": evil.URL + "/actor", "object": a.fed.InstanceActor()})
	resp, err := http.DefaultClient.Do(forged(t, a.URL, evil.URL+"/actor#key-0", act))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || fetches.Load() != before {
		t.Errorf("a key that failed just now: %d, %d more fetches", resp.StatusCode, fetches.Load()-before)
	}

	// A host that cannot be reached at all: 401 too, not a failure of ours.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	gone := "http://" + ln.Addr().String()
	ln.Close()
	act, _ = json.Marshal(map[string]any{"id": gone + "/follows/1", "type": "Follow", "actor": gone + "/actor", "object": a.fed.InstanceActor()})
	resp, err = http.DefaultClient.Do(forged(t, a.URL, gone+"/actor#main-key", act))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a key on an unreachable host: %d, want 401", resp.StatusCode)
	}
}

// TestFollowOfAnUnreachableAccount: POST /api/v1/follows answers the other
// server's failure as 502 and a missing actor as 422, never 500.
func TestFollowOfAnUnreachableAccount(t *testing.T) {
	a := newNode(t, "a")
	a.org("riverside", "Riverside", "GB")
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	gone := "http://" + ln.Addr().String()
	ln.Close()
	for _, tc := range []struct {
		account string
		want    int
	}{{gone + "/users/alice", http.StatusBadGateway}, {missing.URL + "/users/alice", http.StatusUnprocessableEntity}} {
		code, body := a.api("POST", "/api/v1/follows", map[string]string{"org": "riverside", "account": tc.account})
		var res map[string]string
		_ = json.Unmarshal(body, &res)
		if code != tc.want || res["error"] == "" {
			t.Errorf("follow %s: %d %s, want %d with an error", tc.account, code, body, tc.want)
		}
	}
}
