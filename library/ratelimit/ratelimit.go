// Package ratelimit keeps a token bucket (golang.org/x/time/rate) per key —
// a client address, an account, a remote host, a key id — in a table of
// bounded size, so that no number of keys an attacker makes up can grow a
// node's memory. Federation, login and the costly anonymous queries all
// budget with it.
package ratelimit

import (
	"container/list"
	"context"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultKeys is how many keys a table remembers unless told otherwise
// (a few hundred bytes each).
const DefaultKeys = 10000

// Limits is a table's budget: Rate tokens a second per key on average, Burst
// at once. Keys bounds how many keys are remembered (the least recently seen
// is forgotten first; 0 means DefaultKeys). Idle forgets a key not seen for
// that long; 0 means as long as its bucket takes to fill again, when
// forgetting it changes nothing. A Rate of 0 or less sets no limit.
type Limits struct {
	Rate  float64
	Burst int
	Keys  int
	Idle  time.Duration
}

// Table holds one bucket per key, most recently seen first.
type Table struct {
	limits Limits
	now    func() time.Time

	mu    sync.Mutex
	keys  map[string]*list.Element // of *entry
	order *list.List               // front: most recently seen
}

type entry struct {
	key      string
	lim      *rate.Limiter
	failures int
	seen     time.Time
}

// New returns a table with the given budget, on the real clock.
func New(l Limits) *Table { return NewWithClock(l, time.Now) }

// NewWithClock returns a table whose time is now (tests move it by hand).
func NewWithClock(l Limits, now func() time.Time) *Table {
	l.Burst = max(l.Burst, 1)
	if l.Keys <= 0 {
		l.Keys = DefaultKeys
	}
	if l.Idle <= 0 && l.Rate > 0 {
		l.Idle = time.Duration(float64(l.Burst) / l.Rate * float64(time.Second))
	}
	return &Table{limits: l, now: now, keys: map[string]*list.Element{}, order: list.New()}
}

// Unlimited reports whether the table lets everything through.
func (t *Table) Unlimited() bool { return t.limits.Rate <= 0 }

// Limits is the table's budget.
func (t *Table) Limits() Limits { return t.limits }

// Allow takes a token from key's bucket if one is there now; otherwise it
// takes nothing and says how long until one will be.
func (t *Table) Allow(key string) (bool, time.Duration) {
	if t.Unlimited() {
		return true, 0
	}
	now := t.now()
	r := t.ReserveAt(key, now)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// ReserveAt takes a token from key's bucket at now, or at the first moment
// after it when there is one: the caller reads the delay from now, and
// cancels the reservation at the same now if it will not wait (a
// reservation cancelled any later gives nothing back).
func (t *Table) ReserveAt(key string, now time.Time) *rate.Reservation {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.entry(key, now).lim.ReserveN(now, 1)
}

// Wait blocks until key may go ahead, or ctx ends.
func (t *Table) Wait(ctx context.Context, key string) error {
	if t.Unlimited() {
		return nil
	}
	t.mu.Lock()
	lim := t.entry(key, t.now()).lim
	t.mu.Unlock()
	return lim.Wait(ctx)
}

// Failed counts a failure for key and slows its bucket to one token every
// backoff(failures); a backoff of 0 leaves the rate as it is.
func (t *Table) Failed(key string, backoff func(failures int) time.Duration) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entry(key, now)
	e.failures++
	if d := backoff(e.failures); d > 0 {
		e.lim.SetLimitAt(now, rate.Every(d))
	}
}

// Forget drops key: its next request starts with a full bucket.
func (t *Table) Forget(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.keys[key]; ok {
		t.order.Remove(el)
		delete(t.keys, key)
	}
}

// Len is the number of keys remembered.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.order.Len()
}

// entry returns key's entry, marked as seen now; it forgets idle keys, and
// the least recently seen one when the table is full. Callers hold mu.
func (t *Table) entry(key string, now time.Time) *entry {
	for el := t.order.Back(); el != nil && t.limits.Idle > 0 && now.Sub(el.Value.(*entry).seen) > t.limits.Idle; el = t.order.Back() {
		t.order.Remove(el)
		delete(t.keys, el.Value.(*entry).key)
	}
	if el, ok := t.keys[key]; ok {
		t.order.MoveToFront(el)
		e := el.Value.(*entry)
		e.seen = now
		return e
	}
	if t.order.Len() >= t.limits.Keys {
		el := t.order.Back()
		t.order.Remove(el)
		delete(t.keys, el.Value.(*entry).key)
	}
	limit := rate.Limit(t.limits.Rate)
	if t.Unlimited() {
		limit = rate.Inf
	}
	e := &entry{key: key, lim: rate.NewLimiter(limit, t.limits.Burst), seen: now}
	t.keys[key] = t.order.PushFront(e)
	return e
}

// ClientKey is whose budget a client address spends: the IPv4 address, or
// the /64 of an IPv6 one, which one household or office usually has whole
// (so single IPv6 addresses would cost an attacker nothing). A string that
// is not an address is its own key.
func ClientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	if a = a.Unmap(); a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}
