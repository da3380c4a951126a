package web

import (
	"container/list"
	"net"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimits is the budget of password guesses for one key (an account, or
// a client address): Burst failures freely, then one per Base, each further
// failure doubling the wait up to Max. At most Keys keys are remembered (the
// least recently seen is forgotten first), and a key not seen for Idle is
// forgotten, so an attacker cannot grow the limiter's memory.
type LoginLimits struct {
	Burst int
	Base  time.Duration
	Max   time.Duration
	Keys  int
	Idle  time.Duration
}

// Default budgets: per account a few guesses then growing delays; per address
// more, since an office may share one, but growing the same way.
var (
	DefaultAccountLimits = LoginLimits{Burst: 5, Base: time.Second, Max: 15 * time.Minute, Keys: 10000, Idle: 24 * time.Hour}
	DefaultAddressLimits = LoginLimits{Burst: 20, Base: time.Second, Max: 15 * time.Minute, Keys: 10000, Idle: 24 * time.Hour}
)

// LoginLimiter throttles guesses at passwords per account and per client
// address. Login uses it, and so should anything else that checks a secret a
// person types (a password reset), so that all guesses share one budget. The
// same budget applies to e-mails with and without an account.
type LoginLimiter struct {
	accounts, addresses *keyedLimiter
	now                 func() time.Time
}

// NewLoginLimiter returns a limiter with the given budgets.
func NewLoginLimiter(account, address LoginLimits) *LoginLimiter {
	return &LoginLimiter{accounts: newKeyedLimiter(account), addresses: newKeyedLimiter(address), now: time.Now}
}

// Throttle names which budget is spent and for how long.
type Throttle struct {
	// Account is true when the account's budget is spent, false for the address's.
	Account bool
	Wait    time.Duration
}

// Allow takes one guess from the account's and the address's budgets, or,
// when either is spent, takes nothing and says how long to wait.
func (l *LoginLimiter) Allow(account, addr string) (Throttle, bool) {
	now := l.now()
	account, addr = accountKey(account), addressKey(addr)
	ra, rd := l.accounts.reserve(account, now), l.addresses.reserve(addr, now)
	wa, wd := ra.DelayFrom(now), rd.DelayFrom(now)
	if wa == 0 && wd == 0 {
		return Throttle{}, true
	}
	ra.CancelAt(now)
	rd.CancelAt(now)
	if wa >= wd {
		return Throttle{Account: true, Wait: wa}, false
	}
	return Throttle{Wait: wd}, false
}

// Failed records a wrong guess: past the burst, each one doubles the wait.
func (l *LoginLimiter) Failed(account, addr string) {
	now := l.now()
	l.accounts.failed(accountKey(account), now)
	l.addresses.failed(addressKey(addr), now)
}

// Succeeded forgets the account's failures; the address's stay.
func (l *LoginLimiter) Succeeded(account string) { l.accounts.forget(accountKey(account)) }

func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// addressKey is the client's IPv4 address, or its IPv6 /64: one household or
// office gets a whole /64, so single IPv6 addresses cost an attacker nothing.
func addressKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// keyedLimiter holds one rate.Limiter per key, in least-recently-seen order.
type keyedLimiter struct {
	limits LoginLimits
	mu     sync.Mutex
	keys   map[string]*list.Element
	order  *list.List // front: most recently seen
}

type keyedEntry struct {
	key      string
	lim      *rate.Limiter
	failures int
	seen     time.Time
}

func newKeyedLimiter(limits LoginLimits) *keyedLimiter {
	return &keyedLimiter{limits: limits, keys: map[string]*list.Element{}, order: list.New()}
}

func (k *keyedLimiter) reserve(key string, now time.Time) *rate.Reservation {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.entry(key, now).lim.ReserveN(now, 1)
}

func (k *keyedLimiter) failed(key string, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e := k.entry(key, now)
	e.failures++
	if over := e.failures - k.limits.Burst; over >= 0 {
		wait := k.limits.Max
		if over < 30 && k.limits.Base<<over < k.limits.Max {
			wait = k.limits.Base << over
		}
		e.lim.SetLimitAt(now, rate.Every(wait))
	}
}

func (k *keyedLimiter) forget(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if el, ok := k.keys[key]; ok {
		k.order.Remove(el)
		delete(k.keys, key)
	}
}

// entry returns the key's entry, marked as seen now; it forgets idle keys,
// and the least recently seen one when the limiter is full. Callers hold mu.
func (k *keyedLimiter) entry(key string, now time.Time) *keyedEntry {
	for el := k.order.Back(); el != nil && now.Sub(el.Value.(*keyedEntry).seen) > k.limits.Idle; el = k.order.Back() {
		k.order.Remove(el)
		delete(k.keys, el.Value.(*keyedEntry).key)
	}
	if el, ok := k.keys[key]; ok {
		k.order.MoveToFront(el)
		e := el.Value.(*keyedEntry)
		e.seen = now
		return e
	}
	if k.order.Len() >= k.limits.Keys {
		el := k.order.Back()
		k.order.Remove(el)
		delete(k.keys, el.Value.(*keyedEntry).key)
	}
	e := &keyedEntry{key: key, lim: rate.NewLimiter(rate.Every(k.limits.Base), k.limits.Burst), seen: now}
	k.keys[key] = k.order.PushFront(e)
	return e
}

func (k *keyedLimiter) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.order.Len()
}
