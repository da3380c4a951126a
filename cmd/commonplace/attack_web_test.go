package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The attack suite of issue 18 for logging in and the JSON API: each test
// sends what an attacker sent to a running binary and checks the answer.

const attackPassword = "correct horse battery"

var (
	setupLink = regexp.MustCompile(`https?://\S+/setup/\S+`)
	adminMail = regexp.MustCompile(`Created the coordinator account (\S+)\.\n`)
	csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
)

// formClient is a browser with a cookie jar, connecting from a chosen loopback
// address (all of 127.0.0.0/8 is loopback on Linux), so that a test can speak
// as several clients without trusting any header.
type formClient struct {
	t      testing.TB
	base   string
	client *http.Client
	csrf   string
}

func newFormClient(t testing.TB, base, from string) *formClient {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4}
	t.Cleanup(tr.CloseIdleConnections)
	return &formClient{t: t, base: base, client: &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// load fetches a form page and keeps its CSRF token.
func (f *formClient) load(path string) {
	f.t.Helper()
	res, err := f.client.Get(f.base + path)
	if err != nil {
		f.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		f.t.Fatalf("no CSRF field on %s (%d)", path, res.StatusCode)
	}
	f.csrf = string(m[1])
}

// post sends a form with the CSRF token; errors are returned, not fatal, so
// that it may run on other goroutines.
func (f *formClient) post(path string, fields url.Values) (*http.Response, string, error) {
	fields.Set("_csrf", f.csrf)
	res, err := f.client.PostForm(f.base+path, fields)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res, string(body), err
}

// login posts the login form and returns the status and Retry-After.
func (f *formClient) login(email, password string) (int, string, error) {
	res, _, err := f.post("/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return 0, "", err
	}
	return res.StatusCode, res.Header.Get("Retry-After"), nil
}

// startAttackNode runs serve on a fresh data folder and sets the coordinator's
// password through the printed link; it returns the node and that e-mail.
func startAttackNode(t *testing.T, extra ...string) (*server, string) {
	t.Helper()
	srv := startServer(t, t.TempDir(), freeAddr(t), extra...)
	link, mail := setupLink.FindString(srv.out.String()), adminMail.FindStringSubmatch(srv.out.String())
	if link == "" || mail == nil {
		t.Fatalf("no set-password link printed:\n%s", srv.out)
	}
	path := strings.TrimPrefix(link, srv.base)
	f := newFormClient(t, srv.base, "127.0.0.1")
	f.load(path)
	res, body, err := f.post(path, url.Values{"password": {attackPassword}, "confirm": {attackPassword}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting the password: %v %v %s", err, res, body)
	}
	// The right password works, once, and the account stays open to the test.
	if status, _, err := f.login(mail[1], attackPassword); err != nil || status != http.StatusSeeOther {
		t.Fatalf("logging in as %s: %d %v", mail[1], status, err)
	}
	return srv, mail[1]
}

// memory reads a process's resident set and its peak, in MB, from /proc.
func memory(pid int) (rss, hwm float64, err error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		name, value, _ := strings.Cut(line, ":")
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		switch name {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			hwm = kb / 1024
		}
	}
	return rss, hwm, nil
}

func TestAttackLoginGuessesThrottled(t *testing.T) {
	srv, email := startAttackNode(t)
	f := newFormClient(t, srv.base, "127.0.0.1")
	f.load("/login")
	statuses := map[int]int{}
	var retry string
	for range 50 {
		status, ra, err := f.login(email, "wrong password")
		if err != nil {
			t.Fatal(err)
		}
		statuses[status]++
		if status == http.StatusTooManyRequests && retry == "" {
			retry = ra
		}
	}
	// Five free guesses, then one a second, doubling with each failure: a few
	// more may pass on a slow machine, never many.
	if statuses[http.StatusUnauthorized] > 12 || statuses[http.StatusTooManyRequests] < 38 {
		t.Errorf("50 wrong passwords for one account: %v, want at most 12 answered 401, the rest 429", statuses)
	}
	if n, err := strconv.Atoi(retry); err != nil || n < 1 {
		t.Errorf("429 without a Retry-After in seconds: %q", retry)
	}
	// An account without one is refused just the same.
	statuses = map[int]int{}
	for range 20 {
		status, _, _ := f.login("nobody@"+strings.SplitN(email, "@", 2)[1], "wrong password")
		statuses[status]++
	}
	if statuses[http.StatusUnauthorized] < 5 || statuses[http.StatusUnauthorized] > 12 || statuses[http.StatusTooManyRequests] < 8 {
		t.Errorf("20 guesses for an e-mail without an account: %v, want 5 to 12 answered 401, the rest 429, like any other", statuses)
	}
}

// TestAttackLoginMemoryBomb sends 16 concurrent wrong-password logins for 10 s
// and checks the node's peak resident memory. Each client comes from its own
// address and guesses the coordinator's password and, every other time, that
// of a new e-mail, so that the throttle lets as many through as it can and the
// bound on concurrent hashes is what holds.
func TestAttackLoginMemoryBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("sends logins for 10 s")
	}
	const limitMB = 200
	srv, email := startAttackNode(t)
	pid := srv.cmd.Process.Pid
	rss0, _, err := memory(pid)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	var guesses, tooMany, busy, hashed atomic.Int64
	var wg sync.WaitGroup
	for i := range 16 {
		f := newFormClient(t, srv.base, "127.0.0."+strconv.Itoa(i+2))
		f.load("/login")
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				who := email
				if n%2 == 1 {
					who = fmt.Sprintf("guess%d-%d@%s", i, n, strings.SplitN(email, "@", 2)[1])
				}
				status, _, err := f.login(who, "wrong password")
				if err != nil {
					continue
				}
				guesses.Add(1)
				switch status {
				case http.StatusUnauthorized:
					hashed.Add(1)
				case http.StatusTooManyRequests:
					tooMany.Add(1)
				case http.StatusServiceUnavailable:
					busy.Add(1)
				}
			}
		})
	}
	// Watch the node while it is under attack; stop early once it is over the limit.
	var peakRSS float64
	tick := time.NewTicker(100 * time.Millisecond)
	for watching := true; watching; {
		select {
		case <-ctx.Done():
			watching = false
		case <-tick.C:
			rss, _, err := memory(pid)
			if err != nil {
				t.Fatal(err)
			}
			peakRSS = max(peakRSS, rss)
			if rss > limitMB {
				stop()
			}
		}
	}
	tick.Stop()
	wg.Wait()
	rss, hwm, err := memory(pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d logins: %d hashed (401), %d throttled (429), %d busy (503); VmRSS %.0f MB before, %.0f MB peak sampled, %.0f MB after; VmHWM %.0f MB",
		guesses.Load(), hashed.Load(), tooMany.Load(), busy.Load(), rss0, peakRSS, rss, hwm)
	if hwm >= limitMB {
		t.Errorf("VmHWM %.0f MB under 16 concurrent logins, want under %d MB", hwm, limitMB)
	}
	if hashed.Load() < 16 {
		t.Errorf("only %d passwords were checked: the test did not load the hashing", hashed.Load())
	}
}

func TestAttackLoginOpenRedirect(t *testing.T) {
	srv, email := startAttackNode(t)
	f := newFormClient(t, srv.base, "127.0.0.1")
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "evil.example"} {
		res, err := f.client.Get(srv.base + "/login?next=" + url.QueryEscape(next))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(page), `name="next" value="/dashboard"`) {
			t.Errorf("login form for next=%q does not fall back to /dashboard", next)
		}
		f.load("/login")
		res, _, err = f.post("/login", url.Values{"email": {email}, "password": {attackPassword}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/dashboard" {
			t.Errorf("logged in with next=%q: %d Location %q, want /dashboard", next, res.StatusCode, loc)
		}
	}
}

// rawAPI sends a body as it is with the given Content-Type; chunked leaves
// out the Content-Length.
func rawAPI(t *testing.T, method, url, token, contentType, body string, chunked bool) (int, string) {
	t.Helper()
	var rd io.Reader = strings.NewReader(body)
	if chunked {
		rd = io.MultiReader(rd) // hides the length, so the request is chunked
	}
	req, _ := http.NewRequest(method, url, rd)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

func TestAttackAPIInput(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	cli(t, "org", "create", "--data", data, "--handle", "hillside", "--name", "Hillside Homes", "--country", "CA")
	token := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	admin := lastLine(cli(t, "token", "create", "--data", data, "--admin"))
	srv := startServer(t, data, addr)
	offers := srv.base + "/api/v1/offers"
	big := `{"title": "x", "body": "` + strings.Repeat("a", 2<<20) + `"}`
	for _, tc := range []struct {
		name, contentType, body string
		chunked                 bool
		status                  int
		want                    string
	}{
		{"text/plain", "text/plain", `{"title": "Plain"}`, false, 415, `application/json`},
		{"form-encoded", "application/x-www-form-urlencoded", `{"title": "Form"}`, false, 415, `application/json`},
		{"invalid UTF-8", "application/json", "{\"title\": \"caf\xe9\"}", false, 400, `title: is not valid UTF-8`},
		{"NUL", "application/json", `{"title": "a\u0000b"}`, false, 400, `title: holds a NUL character`},
		{"type error", "application/json", `{"title": 5}`, false, 400, `title: expected a string, got number`},
		{"oversized", "application/json", big, false, 413, `larger than`},
		{"oversized, chunked", "application/json", big, true, 413, `larger than`},
		{"staff token names another org", "application/json", `{"org": "hillside", "title": "Theirs"}`, false, 403, `org:`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawAPI(t, "POST", offers, token, tc.contentType, tc.body, tc.chunked)
			var res map[string]string
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatalf("%d, not a JSON error: %.200s", status, body)
			}
			if status != tc.status || !strings.Contains(res["error"], tc.want) || strings.Contains(res["error"], "ListingInput") || strings.Contains(res["error"], "code=") {
				t.Errorf("%d %q, want %d naming %q", status, res["error"], tc.status, tc.want)
			}
		})
	}
	if _, list := call(t, "GET", offers, "", ""); len(list["items"].([]any)) != 0 {
		t.Errorf("refused bodies stored offers: %v", list["items"])
	}
	if status, body := rawAPI(t, "POST", srv.base+"/api/v1/admin/federation/retry", admin, "", "", false); status != http.StatusAccepted {
		t.Errorf("retry with no body: %d %s, want 202", status, body)
	}
	if status, body := rawAPI(t, "POST", srv.base+"/api/v1/admin/federation/retry", admin, "application/json", `{"host": "peer.example"}`, false); status != http.StatusAccepted {
		t.Errorf("retry for one host: %d %s, want 202", status, body)
	}
}

// TestAttackClientDisconnects gives up on logins queued behind the password
// hash and checks that the node does not log them as failures.
func TestAttackClientDisconnects(t *testing.T) {
	srv, email := startAttackNode(t, "--log-level", "debug")
	var wg sync.WaitGroup
	for i := range 8 {
		f := newFormClient(t, srv.base, "127.0.0."+strconv.Itoa(i+2))
		f.load("/login")
		f.client.Timeout = 20 * time.Millisecond
		wg.Go(func() { _, _, _ = f.login(email, "wrong password") })
	}
	wg.Wait()
	srv.stop() // waits for the requests in hand, and their log lines
	out := srv.out.String()
	if !strings.Contains(out, "client closed the request") {
		t.Fatalf("no client left early, the test proved nothing:\n%s", out)
	}
	if strings.Contains(out, "level=ERROR") {
		t.Errorf("a client leaving was logged as an error:\n%s", out)
	}
}

func TestQueryBudgetValidated(t *testing.T) {
	for _, tc := range []struct {
		rate  float64
		burst int
		flag  string
	}{{10, 30, ""}, {0, 1, ""}, {-1, 30, "--query-rate"}, {math.Inf(1), 30, "--query-rate"}, {10, 0, "--query-burst"}} {
		c := config{DataDir: "d", BaseURL: "http://node.example", LogLevel: "info", LogFormat: "text", Addr: "127.0.0.1:1", QueryRate: tc.rate, QueryBurst: tc.burst}
		err := c.validate(true)
		if (err != nil) != (tc.flag != "") || (err != nil && !strings.Contains(err.Error(), tc.flag)) {
			t.Errorf("rate %v burst %d: %v, want an error naming %q", tc.rate, tc.burst, err, tc.flag)
		}
	}
}

func TestTrustedProxiesValidated(t *testing.T) {
	for _, tc := range []struct {
		value string
		n     int
		fails bool
	}{
		{"", 0, false},
		{"10.0.0.0/8, ::1/128", 2, false},
		{"10.0.0.1", 0, true},
	} {
		c := config{DataDir: "d", BaseURL: "http://node.example", LogLevel: "info", LogFormat: "text", Addr: "127.0.0.1:1", TrustedProxies: tc.value, QueryBurst: 1}
		err := c.validate(true)
		if (err != nil) != tc.fails || len(c.trustedProxies) != tc.n {
			t.Errorf("--trusted-proxies %q: %v, %d ranges", tc.value, err, len(c.trustedProxies))
		}
		if tc.fails && !strings.Contains(fmt.Sprint(err), "--trusted-proxies") {
			t.Errorf("the error does not name the setting: %v", err)
		}
	}
}
