package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newTestLimiter(account, address LoginLimits) (*LoginLimiter, *testClock) {
	clock := &testClock{now: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	return newLoginLimiter(account, address, clock.Now), clock
}

// tryLogin posts a login form and returns the status, Retry-After and page.
func tryLogin(t *testing.T, b *browser, email, password string, header ...string) (int, string, string) {
	t.Helper()
	_, page := b.get("/login")
	m := csrfField.FindStringSubmatch(page)
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {m[1]}}
	req, _ := http.NewRequest("POST", b.base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := *b.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return send(t, &client, req, header...)
}

// send sends req with the given headers (name, value, ...) and returns the
// status, Retry-After and the body.
func send(t *testing.T, client *http.Client, req *http.Request, header ...string) (int, string, string) {
	t.Helper()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Retry-After"), string(body)
}

func TestLoginThrottledPerAccountWithGrowingDelays(t *testing.T) {
	limiter, clock := newTestLimiter(
		LoginLimits{Burst: 3, Base: 10 * time.Second, Max: time.Hour, Keys: 100, Idle: 24 * time.Hour},
		LoginLimits{Burst: 100, Base: time.Millisecond, Max: time.Hour, Keys: 100, Idle: 24 * time.Hour})
	n := newTestNode(t, WithLoginLimiter(limiter))
	newStaff(t, n, "riverside", "staff@riverside.example")
	b := newBrowser(t, n.srv.URL)

	pages := map[string]string{}
	for _, email := range []string{"staff@riverside.example", "nobody@riverside.example"} {
		for i := range 3 {
			if status, _, _ := tryLogin(t, b, email, "wrong password"); status != http.StatusUnauthorized {
				t.Fatalf("%s: guess %d: %d, want 401", email, i+1, status)
			}
		}
		status, retry, page := tryLogin(t, b, email, "wrong password")
		if status != http.StatusTooManyRequests || retry != "10" || !strings.Contains(page, "Too many failed attempts to log in with this e-mail address. Try again in 10 seconds.") {
			t.Fatalf("%s: fourth guess: %d Retry-After %q", email, status, retry)
		}
		pages[email] = strings.ReplaceAll(page, email, "EMAIL")
	}
	if stripCSRF(pages["staff@riverside.example"]) != stripCSRF(pages["nobody@riverside.example"]) {
		t.Error("the refusal differs for an e-mail with an account and one without")
	}

	// Each further failure doubles the wait; even the right password waits its turn.
	want := 20
	for range 3 {
		clock.Add(time.Duration(want/2) * time.Second)
		if status, _, _ := tryLogin(t, b, "staff@riverside.example", "wrong password"); status != http.StatusUnauthorized {
			t.Fatalf("after waiting: %d, want 401", status)
		}
		status, retry, _ := tryLogin(t, b, "staff@riverside.example", "correct horse battery")
		if status != http.StatusTooManyRequests || retry != strconv.Itoa(want) {
			t.Fatalf("next guess: %d Retry-After %q, want 429 and %d", status, retry, want)
		}
		want *= 2
	}
	clock.Add(time.Duration(want/2) * time.Second)
	if status, _, _ := tryLogin(t, b, "staff@riverside.example", "correct horse battery"); status != http.StatusSeeOther {
		t.Fatalf("right password after the wait: %d", status)
	}
	// Success forgets the account's failures.
	for i := range 3 {
		if status, _, _ := tryLogin(t, b, "staff@riverside.example", "wrong password"); status != http.StatusUnauthorized {
			t.Fatalf("after success, guess %d: %d", i+1, status)
		}
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	limiter, _ := newTestLimiter(
		LoginLimits{Burst: 100, Base: time.Millisecond, Max: time.Hour, Keys: 100, Idle: 24 * time.Hour},
		LoginLimits{Burst: 4, Base: time.Minute, Max: time.Hour, Keys: 100, Idle: 24 * time.Hour})
	n := newTestNode(t, WithLoginLimiter(limiter))
	b := newBrowser(t, n.srv.URL)
	for i := range 4 {
		// A different e-mail each time, and a forged X-Forwarded-For: neither escapes the address's budget.
		email := "guess" + strconv.Itoa(i) + "@riverside.example"
		if status, _, _ := tryLogin(t, b, email, "wrong password", "X-Forwarded-For", "203.0.113."+strconv.Itoa(i)); status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, status)
		}
	}
	status, retry, page := tryLogin(t, b, "another@riverside.example", "wrong password", "X-Forwarded-For", "203.0.113.99")
	if status != http.StatusTooManyRequests || retry != "60" || !strings.Contains(page, "from your network. Try again in 60 seconds.") {
		t.Fatalf("fifth guess from the address: %d Retry-After %q", status, retry)
	}
}

func TestLoginLimiterForgetsIdleAndBoundsKeys(t *testing.T) {
	limits := LoginLimits{Burst: 2, Base: time.Second, Max: time.Hour, Keys: 50, Idle: time.Hour}
	l, clock := newTestLimiter(limits, limits)
	for i := range 1000 {
		l.Allow("a"+strconv.Itoa(i)+"@example", "192.0.2."+strconv.Itoa(i%256))
		l.Failed("a"+strconv.Itoa(i)+"@example", "192.0.2."+strconv.Itoa(i%256))
	}
	if n := l.accounts.Len(); n != 50 {
		t.Errorf("%d accounts remembered, want the bound of 50", n)
	}
	// IPv6 addresses of one /64 share a budget.
	for i := range 3 {
		_, ok := l.Allow("v6@example", "2001:db8:1:2::"+strconv.Itoa(i+1))
		l.Failed("v6@example", "2001:db8:1:2::"+strconv.Itoa(i+1))
		if ok != (i < 2) {
			t.Errorf("guess %d from the /64: allowed %v", i+1, ok)
		}
	}
	clock.Add(2 * time.Hour)
	if _, ok := l.Allow("fresh@example", "198.51.100.1"); !ok {
		t.Fatal("a new key was refused")
	}
	if n := l.accounts.Len(); n != 1 {
		t.Errorf("%d accounts remembered after an idle hour, want 1", n)
	}
}

// stripCSRF drops the per-request CSRF token from a page.
func stripCSRF(page string) string { return csrfField.ReplaceAllString(page, "") }

// TestRefusedGuessesCostTheOtherBudgetNothing runs on the real clock: a
// guess refused by the account's budget gives back what it took of the
// address's, and the other way round, however much time passes between
// reading the clock and cancelling.
func TestRefusedGuessesCostTheOtherBudgetNothing(t *testing.T) {
	l := NewLoginLimiter(
		LoginLimits{Burst: 2, Base: time.Hour, Max: time.Hour, Keys: 100, Idle: 24 * time.Hour},
		LoginLimits{Burst: 5, Base: time.Hour, Max: time.Hour, Keys: 100, Idle: 24 * time.Hour})
	for range 2 {
		if _, ok := l.Allow("a@example", "192.0.2.1"); !ok {
			t.Fatal("a guess within both budgets refused")
		}
		l.Failed("a@example", "192.0.2.1")
	}
	for range 20 {
		if th, ok := l.Allow("a@example", "192.0.2.1"); ok || !th.Account {
			t.Fatalf("the account's budget is spent, yet: allowed %v, %+v", ok, th)
		}
	}
	for i := range 3 {
		if _, ok := l.Allow("b"+strconv.Itoa(i)+"@example", "192.0.2.1"); !ok {
			t.Fatalf("guess %d for another e-mail from the address refused: the refused guesses spent the address's budget", i+1)
		}
	}
}
