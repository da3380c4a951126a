package federation

import (
	"context"
	"sync"
	"time"
)

// hostLimiter is a token bucket per remote host.
type hostLimiter struct {
	rate    float64 // tokens per second; <= 0 means no limit
	burst   float64
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newHostLimiter(perSecond float64, burst int) *hostLimiter {
	return &hostLimiter{rate: perSecond, burst: float64(max(burst, 1)), buckets: map[string]*bucket{}}
}

// reserve takes a token for host and returns how long to wait before using it
// (0 when one was available).
func (l *hostLimiter) reserve(host string) time.Duration {
	if l.rate <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := time.Now()
	b, ok := l.buckets[host]
	if !ok {
		if len(l.buckets) > 10000 {
			l.buckets = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, last: t}
		l.buckets[host] = b
	}
	b.tokens = min(l.burst, b.tokens+t.Sub(b.last).Seconds()*l.rate)
	b.last = t
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / l.rate * float64(time.Second))
}

// allow takes a token if one is available now.
func (l *hostLimiter) allow(host string) bool {
	if l.rate <= 0 {
		return true
	}
	if wait := l.reserve(host); wait > 0 {
		l.mu.Lock()
		l.buckets[host].tokens++ // give back the token we could not use
		l.mu.Unlock()
		return false
	}
	return true
}

// wait blocks until host may be called, or ctx ends.
func (l *hostLimiter) wait(ctx context.Context, host string) error {
	d := l.reserve(host)
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
