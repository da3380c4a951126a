package federation

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// hostLimiter is a token bucket (golang.org/x/time/rate) per key: a remote
// host, or the address a request came from. It holds at most maxKeys
// buckets; when full, the buckets idle longest are dropped (a dropped key
// starts again with a full burst, which costs an attacker nothing it could
// not get from a new address).
type hostLimiter struct {
	limit rate.Limit // <= 0 means no limit
	burst int
	mu    sync.Mutex
	keys  map[string]*limitEntry
}

type limitEntry struct {
	lim  *rate.Limiter
	used time.Time
}

const maxLimiterKeys = 10000

func newHostLimiter(perSecond float64, burst int) *hostLimiter {
	return &hostLimiter{limit: rate.Limit(perSecond), burst: max(burst, 1), keys: map[string]*limitEntry{}}
}

// limiter returns key's bucket, making room when the table is full.
func (l *hostLimiter) limiter(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.keys[key]
	if !ok {
		if len(l.keys) >= maxLimiterKeys {
			l.evict(now)
		}
		e = &limitEntry{lim: rate.NewLimiter(l.limit, l.burst)}
		l.keys[key] = e
	}
	e.used = now
	return e.lim
}

// evict drops the buckets unused for the longest: first those idle long
// enough to be full again, then, if that freed nothing, half of them.
func (l *hostLimiter) evict(now time.Time) {
	refill := time.Duration(float64(l.burst)/float64(l.limit)*float64(time.Second)) + time.Second
	for k, e := range l.keys {
		if now.Sub(e.used) > refill {
			delete(l.keys, k)
		}
	}
	for k := range l.keys {
		if len(l.keys) < maxLimiterKeys/2 {
			break
		}
		delete(l.keys, k)
	}
}

// allow takes a token for key if one is available now.
func (l *hostLimiter) allow(key string) bool {
	if l.limit <= 0 {
		return true
	}
	return l.limiter(key, time.Now()).Allow()
}

// wait blocks until key may be called, or ctx ends.
func (l *hostLimiter) wait(ctx context.Context, key string) error {
	if l.limit <= 0 {
		return nil
	}
	return l.limiter(key, time.Now()).Wait(ctx)
}
