package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/citizen-network/commonplace/library/ratelimit"
	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"
)

// Errors of fetching a signer's key. The inbox answers 401 to the first
// (the sender cannot be verified) and 429 to the second (retry later).
var (
	errKeyUnavailable  = errors.New("the signer's key could not be fetched")
	errKeyFetchLimited = errors.New("too many unknown keys to fetch; retry later")
)

// Bounds on fetching keys that are not known yet: any unsigned stranger can
// name a key, and each unknown one costs an outgoing request.
const (
	keyFetchPerHost    = 2  // per second, to one host
	keyFetchHostBurst  = 20 // new keys of one host at once
	keyFetchPerSecond  = 10 // per second, all hosts together
	keyFetchBurst      = 50 // all hosts together, at once
	keyFailureTTL      = time.Minute
	keyRefreshInterval = time.Minute // a known key is fetched again at most this often
)

// keyFetches limits, coalesces and remembers the fetching of remote keys:
// concurrent requests for one key make one fetch, a failure is remembered
// for a minute (a negative cache), and fetches are rate-limited per host and
// overall. A known key that fails to verify is fetched again (the peer may
// have rotated it), at most once a minute.
type keyFetches struct {
	group   singleflight.Group
	perHost *ratelimit.Table
	overall *rate.Limiter
	refresh *ratelimit.Table
	failed  *lru[keyFailure]
}

// keyFailure is a remembered failed fetch.
type keyFailure struct {
	err   error
	until time.Time
}

func newKeyFetches() *keyFetches {
	return &keyFetches{
		perHost: ratelimit.New(ratelimit.Limits{Rate: keyFetchPerHost, Burst: keyFetchHostBurst}),
		overall: rate.NewLimiter(keyFetchPerSecond, keyFetchBurst),
		refresh: ratelimit.New(ratelimit.Limits{Rate: 1 / keyRefreshInterval.Seconds(), Burst: 1}),
		failed:  newLRU[keyFailure](ratelimit.DefaultKeys),
	}
}

// mayRefresh reports whether a known key may be fetched again now.
func (k *keyFetches) mayRefresh(keyID string) bool {
	ok, _ := k.refresh.Allow(keyID)
	return ok
}

// fetch runs f for keyID unless a recent failure or a limit forbids it.
// The fetch runs detached from ctx, since other requests may wait on it; the
// fetcher's own timeout bounds it.
func (k *keyFetches) fetch(ctx context.Context, keyID string, f func(context.Context) (*remoteActor, error)) (*remoteActor, error) {
	if fail, ok := k.failed.get(keyID); ok && time.Now().Before(fail.until) {
		return nil, fail.err
	}
	v, err, _ := k.group.Do(keyID, func() (any, error) {
		if ok, _ := k.perHost.Allow(hostOf(keyID)); !ok || !k.overall.Allow() {
			return nil, errKeyFetchLimited
		}
		a, err := f(context.WithoutCancel(ctx))
		if err != nil {
			err = fmt.Errorf("%w: %s: %w", errKeyUnavailable, keyID, err)
			k.failed.put(keyID, keyFailure{err: err, until: time.Now().Add(keyFailureTTL)})
			return nil, err
		}
		k.failed.remove(keyID)
		return a, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*remoteActor), nil
}
