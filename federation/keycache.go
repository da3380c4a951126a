package federation

import (
	"errors"
	"sync"
	"time"
)

// errKeyUnavailable means the key of a signature could not be had: its
// fetch failed (lately), or too many unknown keys were asked of its host.
// The request is unauthenticated (401), never a failure of ours.
var errKeyUnavailable = errors.New("the signing key could not be fetched")

// Bounds on fetching keys we do not know: every forged request naming a
// new key would otherwise make us call the host it names.
const (
	keyFetchesPerSecond = 1
	keyFetchBurst       = 10
	keyMissFor          = 10 * time.Minute
	maxKeyMisses        = 10000
)

// missCache remembers for a while the keys whose fetch failed, so that a
// flood of requests naming them costs no further fetch.
type missCache struct {
	ttl  time.Duration
	mu   sync.Mutex
	when map[string]time.Time
}

func newMissCache(ttl time.Duration) *missCache {
	return &missCache{ttl: ttl, when: map[string]time.Time{}}
}

// add records a failed fetch of key.
func (m *missCache) add(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if len(m.when) >= maxKeyMisses {
		for k, t := range m.when {
			if now.Sub(t) > m.ttl || len(m.when) >= maxKeyMisses {
				delete(m.when, k)
			}
		}
	}
	m.when[key] = now
}

// recent reports whether key's fetch failed within the ttl.
func (m *missCache) recent(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.when[key]
	if ok && time.Since(t) > m.ttl {
		delete(m.when, key)
		return false
	}
	return ok
}
