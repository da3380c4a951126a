package main

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library/testdb"
)

// lockedBuffer collects the demo's output from its goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDemoNetwork runs `commonplace demo`: three nodes peer, and an English
// offer is found by the Canadian node's search.
func TestDemoNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes")
	}
	if testdb.Postgres() {
		// The demo runs on the embedded default alone (SQLite in --data): the
		// pass on SQLite has run this very test.
		t.Skip("the demo is SQLite's; run in the SQLite pass")
	}
	_, p, _ := net.SplitHostPort(freeAddr(t))
	port, _ := strconv.Atoi(p)
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- runDemo(ctx, out, t.TempDir(), "127.0.0.1", port) }()
	waitFor(t, 180*time.Second, "the demo to be ready", func() bool { return strings.Contains(out.String(), "Press Ctrl-C") })
	canada := "http://127.0.0.1:" + strconv.Itoa(port+2)
	waitFor(t, 30*time.Second, "an English offer in Canada's search", func() bool {
		_, res := call(t, "GET", canada+"/api/v1/search?q=individual+service+funds", "", "")
		hits, _ := res["hits"].([]any)
		for _, h := range hits {
			if m, _ := h.(map[string]any); strings.HasPrefix(m["ap_id"].(string), "http://127.0.0.1:"+p+"/offers/") {
				return true
			}
		}
		return false
	})
	for _, want := range []string{"coordinator@england.example", "sam@riverside.example", "Prairie Family Networks", demoPassword} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo did not print %q:\n%s", want, out)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("demo: %v", err)
	}
}
