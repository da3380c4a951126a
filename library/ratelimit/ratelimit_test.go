package ratelimit

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newClock() *clock { return &clock{now: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)} }

func TestAllowSpendsTheBurstThenSaysHowLong(t *testing.T) {
	c := newClock()
	tb := NewWithClock(Limits{Rate: 2, Burst: 3}, c.Now)
	for i := range 3 {
		if ok, _ := tb.Allow("a"); !ok {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	ok, wait := tb.Allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("fourth request: allowed %v, wait %v; want refused, 500ms", ok, wait)
	}
	// A refusal takes nothing: half a second later there is exactly one token.
	c.Add(500 * time.Millisecond)
	if ok, _ := tb.Allow("a"); !ok {
		t.Fatal("refused after the wait")
	}
	if ok, _ := tb.Allow("b"); !ok {
		t.Fatal("another key shares a's budget")
	}
}

func TestTableIsBoundedAndForgetsIdleKeys(t *testing.T) {
	c := newClock()
	tb := NewWithClock(Limits{Rate: 1, Burst: 2, Keys: 50}, c.Now)
	for i := range 1000 {
		tb.Allow("k" + strconv.Itoa(i))
	}
	if n := tb.Len(); n != 50 {
		t.Fatalf("%d keys remembered, want the bound of 50", n)
	}
	// The bucket fills in 2 s; past that, a key is the same as a new one.
	c.Add(3 * time.Second)
	tb.Allow("fresh")
	if n := tb.Len(); n != 1 {
		t.Fatalf("%d keys remembered after they all refilled, want 1", n)
	}
}

func TestFailedSlowsAKeyUntilForgotten(t *testing.T) {
	c := newClock()
	tb := NewWithClock(Limits{Rate: 1000, Burst: 1, Idle: time.Hour}, c.Now)
	tb.Allow("a")
	tb.Failed("a", func(n int) time.Duration { return time.Duration(n) * time.Minute })
	tb.Failed("a", func(n int) time.Duration { return time.Duration(n) * time.Minute })
	if ok, wait := tb.Allow("a"); ok || wait != 2*time.Minute {
		t.Fatalf("after two failures: allowed %v, wait %v; want 2m", ok, wait)
	}
	tb.Forget("a")
	if ok, _ := tb.Allow("a"); !ok {
		t.Fatal("a forgotten key is still slowed")
	}
}

func TestUnlimitedAndWait(t *testing.T) {
	tb := New(Limits{})
	for range 100 {
		if ok, _ := tb.Allow("a"); !ok {
			t.Fatal("a table with no rate refused")
		}
	}
	if tb.Len() != 0 {
		t.Error("an unlimited table remembers keys")
	}
	slow := New(Limits{Rate: 1, Burst: 1})
	if err := slow.Wait(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := slow.Wait(ctx, "a"); err == nil {
		t.Fatal("Wait returned before the next token or the deadline")
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":               "192.0.2.7",
		"::ffff:192.0.2.7":        "192.0.2.7",
		"2001:db8:1:2::1":         "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::9":    "2001:db8:1:2::/64",
		"fe80::1%eth0":            "fe80::/64",
		"not an address":          "not an address",
		"2001:db8:1:3:0:0:0:1234": "2001:db8:1:3::/64",
	} {
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}
