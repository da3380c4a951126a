package web

import (
	"strings"
	"time"

	"github.com/citizen-network/commonplace/library/ratelimit"
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
	accounts, addresses *ratelimit.Table
	account, address    LoginLimits
	now                 func() time.Time
}

// NewLoginLimiter returns a limiter with the given budgets.
func NewLoginLimiter(account, address LoginLimits) *LoginLimiter {
	return newLoginLimiter(account, address, time.Now)
}

func newLoginLimiter(account, address LoginLimits, now func() time.Time) *LoginLimiter {
	table := func(l LoginLimits) *ratelimit.Table {
		return ratelimit.NewWithClock(ratelimit.Limits{Rate: 1 / l.Base.Seconds(), Burst: l.Burst, Keys: l.Keys, Idle: l.Idle}, now)
	}
	return &LoginLimiter{accounts: table(account), addresses: table(address), account: account, address: address, now: now}
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
	account, addr = accountKey(account), ratelimit.ClientKey(addr)
	now := l.now()
	ra, rd := l.accounts.ReserveAt(account, now), l.addresses.ReserveAt(addr, now)
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
	l.accounts.Failed(accountKey(account), l.account.backoff)
	l.addresses.Failed(ratelimit.ClientKey(addr), l.address.backoff)
}

// Succeeded forgets the account's failures; the address's stay.
func (l *LoginLimiter) Succeeded(account string) { l.accounts.Forget(accountKey(account)) }

// backoff is the wait between guesses after so many failures: none within
// the burst, then Base, doubling each time up to Max.
func (l LoginLimits) backoff(failures int) time.Duration {
	over := failures - l.Burst
	switch {
	case over < 0:
		return 0
	case over < 30 && l.Base<<over < l.Max:
		return l.Base << over
	default:
		return l.Max
	}
}

func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
