package federation

import (
	"container/list"
	"context"
	"net"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxLimiterKeys bounds how many keys a limiter remembers; the least
// recently used is forgotten first, so a flood of new keys cannot reset the
// budget of the keys in use.
const maxLimiterKeys = 10000

// keyedLimiter is a token bucket (golang.org/x/time/rate) per key: a remote
// host, a client address or a key id.
type keyedLimiter struct {
	limit rate.Limit
	burst int
	seen  *lru[*rate.Limiter]
}

// newKeyedLimiter allows perSecond events per key with the given burst;
// perSecond <= 0 means no limit.
func newKeyedLimiter(perSecond float64, burst int) *keyedLimiter {
	l := rate.Limit(perSecond)
	if perSecond <= 0 {
		l = rate.Inf
	}
	return &keyedLimiter{limit: l, burst: max(burst, 1), seen: newLRU[*rate.Limiter](maxLimiterKeys)}
}

func (l *keyedLimiter) get(key string) *rate.Limiter {
	return l.seen.getOrAdd(key, func() *rate.Limiter { return rate.NewLimiter(l.limit, l.burst) })
}

// allow takes a token for key if one is available now; otherwise it says
// how long until one will be.
func (l *keyedLimiter) allow(key string) (bool, time.Duration) {
	if l.limit == rate.Inf {
		return true, 0
	}
	lim := l.get(key)
	r := lim.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return false, d
	}
	return true, 0
}

// wait blocks until key may go ahead, or ctx ends.
func (l *keyedLimiter) wait(ctx context.Context, key string) error {
	if l.limit == rate.Inf {
		return nil
	}
	return l.get(key).Wait(ctx)
}

// sourceOf is the budget key of a client address: the address itself for
// IPv4, its /64 for IPv6, where one host commonly holds a whole /64.
func sourceOf(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// lru is a bounded map that forgets its least recently used entry.
type lru[V any] struct {
	max   int
	mu    sync.Mutex
	order *list.List // front: most recent
	items map[string]*list.Element
}

type lruEntry[V any] struct {
	key string
	val V
}

func newLRU[V any](max int) *lru[V] {
	return &lru[V]{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// getOrAdd returns key's value, making it with mk when absent.
func (c *lru[V]) getOrAdd(key string, mk func() V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[V]).val
	}
	v := mk()
	c.addLocked(key, v)
	return v
}

// get returns key's value and whether it is there.
func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[V]).val, true
	}
	var zero V
	return zero, false
}

// put sets key's value.
func (c *lru[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		e.Value.(*lruEntry[V]).val = v
		c.order.MoveToFront(e)
		return
	}
	c.addLocked(key, v)
}

// remove forgets key.
func (c *lru[V]) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.Remove(e)
		delete(c.items, key)
	}
}

func (c *lru[V]) addLocked(key string, v V) {
	c.items[key] = c.order.PushFront(&lruEntry[V]{key, v})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*lruEntry[V]).key)
	}
}
