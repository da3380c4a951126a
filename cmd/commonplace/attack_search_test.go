package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startRiverside runs the binary with extra flags on a node holding one
// organisation, and returns the server and a staff API token.
func startRiverside(t *testing.T, extra ...string) (*server, string) {
	t.Helper()
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	return startServer(t, data, addr, extra...), token
}

// TestAttackHugeSearches: eight 20,000-word searches at once, on a node
// holding offers, each answer within 1 s (refused, naming the limit) and
// the node stays under 150 MB resident (issue 18, item 3).
func TestAttackHugeSearches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	srv, token := startRiverside(t)
	words := []string{"budget", "recruit", "housing", "circle", "support", "tenancy", "advocacy", "family", "employment", "communication"}
	for i := 0; i < 200; i++ {
		body := fmt.Sprintf(`{"title": "How we share %s and %s, number %d", "body": "We can share %s with %s."}`,
			words[i%10], words[(i/10)%10], i, words[(i+3)%10], words[(i+7)%10])
		if status, res := call(t, "POST", srv.base+"/api/v1/offers", token, body); status != http.StatusCreated {
			t.Fatalf("offer %d: %d %v", i, status, res)
		}
	}
	var huge strings.Builder
	for i := 0; i < 20000; i++ {
		huge.WriteString(words[i%10] + strconv.Itoa(i%500) + " ")
	}
	q := srv.base + "/api/v1/search?q=" + url.QueryEscape(huge.String())
	var wg sync.WaitGroup
	slowest := make([]time.Duration, 8)
	codes := make([]int, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			res, err := http.Get(q)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes[i], slowest[i] = res.StatusCode, time.Since(start)
		}()
	}
	wg.Wait()
	for i := range 8 {
		if codes[i] != http.StatusBadRequest || slowest[i] > time.Second {
			t.Errorf("search %d: %d after %v, want 400 within 1 s", i, codes[i], slowest[i])
		}
	}
	_, peak, err := memory(srv.cmd.Process.Pid)
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	t.Logf("8 × 20,000-word searches: slowest %v, node peak resident %.0f MB", max(slowest[0], slowest[1], slowest[2], slowest[3], slowest[4], slowest[5], slowest[6], slowest[7]), peak)
	if peak > 150 {
		t.Errorf("peak resident memory %.0f MB, want under 150", peak)
	}
}

// TestAttackSearchFlood: one client sends 320 searches as fast as eight
// connections allow. Past its burst it is answered 429 with a Retry-After,
// and the searches do not run; meanwhile another client, and a request with
// an API token, are still served (issue 18, item 3).
func TestAttackSearchFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	srv, token := startRiverside(t, "--trusted-proxies", "127.0.0.1/32", "--query-rate", "10", "--query-burst", "30")
	get := func(client, auth string) (int, string) {
		req, _ := http.NewRequest("GET", srv.base+"/api/v1/search?q=housing+support", nil)
		req.Header.Set("X-Forwarded-For", client)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Retry-After")
	}
	var mu sync.Mutex
	codes, retries := map[int]int{}, map[string]bool{}
	start := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 40 {
				code, retry := get("203.0.113.50", "")
				mu.Lock()
				codes[code]++
				if code == http.StatusTooManyRequests {
					retries[retry] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	allowed := 30 + int(10*took.Seconds()) + 2
	t.Logf("320 searches from one client in %v: %v (at most %d could pass)", took, codes, allowed)
	if codes[http.StatusOK] > allowed || codes[http.StatusTooManyRequests] == 0 {
		t.Errorf("flood: %v, want at most %d answered and the rest 429", codes, allowed)
	}
	if retries[""] || len(retries) == 0 {
		t.Errorf("429 without a Retry-After: %v", retries)
	}
	if code, _ := get("203.0.113.51", ""); code != http.StatusOK {
		t.Errorf("another client during the flood: %d, want 200", code)
	}
	if code, _ := get("203.0.113.50", token); code != http.StatusOK {
		t.Errorf("the flooding address with an API token: %d, want 200", code)
	}
}
