package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// vmHWM is a process's peak resident memory in MB, from /proc.
func vmHWM(t *testing.T, pid int) float64 {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// TestAttackHugeSearches: eight 20,000-word searches at once, on a node
// holding offers, each answer within 1 s (refused, naming the limit) and
// the node stays under 150 MB resident (issue 18, item 3).
func TestAttackHugeSearches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	srv := startServer(t, data, addr)
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
	peak := vmHWM(t, srv.cmd.Process.Pid)
	t.Logf("8 × 20,000-word searches: slowest %v, node peak resident %.0f MB", max(slowest[0], slowest[1], slowest[2], slowest[3], slowest[4], slowest[5], slowest[6], slowest[7]), peak)
	if peak > 150 {
		t.Errorf("peak resident memory %.0f MB, want under 150", peak)
	}
}
