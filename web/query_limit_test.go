package web

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library/ratelimit"
)

// withQueryLimit gives the test node a small budget of costly queries, and
// trusts X-Forwarded-For from proxies (nil: from no one).
func withQueryLimit(l ratelimit.Limits, proxies []*net.IPNet) Option {
	return func(s *Server) {
		s.queries = ratelimit.New(l)
		s.e.IPExtractor = clientIP(proxies)
	}
}

// query sends GET path with the given headers (name, value, ...) and returns
// the status, Retry-After and the body.
func query(t *testing.T, client *http.Client, base, path string, header ...string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	return send(t, client, req, header...)
}

func TestCostlyQueriesHaveABudgetPerClient(t *testing.T) {
	n := newTestNode(t, withQueryLimit(ratelimit.Limits{Rate: 0.01, Burst: 3}, nil))
	_, token := orgWithToken(t, n, "riverside")
	staff := newStaff(t, n, "hillside", "sam@hillside.example")
	// Every costly route spends one budget; a forged X-Forwarded-For does not
	// make a new client when no proxy is trusted.
	for i, path := range []string{"/api/v1/search?q=housing", "/events.ics", "/search?q=housing"} {
		if status, _, _ := query(t, http.DefaultClient, n.srv.URL, path, "X-Forwarded-For", "203.0.113.9"); status == http.StatusTooManyRequests {
			t.Fatalf("query %d of a burst of 3 refused", i+1)
		}
	}
	for _, path := range []string{"/api/v1/search?q=housing", "/orgs/riverside/events.ics", "/orgs/riverside/matches.atom", "/api/v1/offers/x/matches"} {
		status, retry, body := query(t, http.DefaultClient, n.srv.URL, path, "X-Forwarded-For", "198.51.100.7")
		if status != http.StatusTooManyRequests || retry != "100" || !strings.Contains(body, "too many searches, matches or feeds from your address") {
			t.Errorf("%s over budget: %d Retry-After %q %q; want 429, 100, the reason", path, status, retry, body)
		}
		var e struct{ Error string }
		if strings.HasPrefix(path, "/api/") && (json.Unmarshal([]byte(body), &e) != nil || e.Error == "") {
			t.Errorf("%s: the API's 429 is not a JSON error: %q", path, body)
		}
	}
	// Staff logged in and API tokens are not limited.
	if status, _ := staff.get("/search?q=housing"); status == http.StatusTooManyRequests {
		t.Error("staff logged in were limited")
	}
	if status, _, _ := query(t, http.DefaultClient, n.srv.URL, "/api/v1/search?q=housing", "Authorization", "Bearer "+token); status == http.StatusTooManyRequests {
		t.Error("a request with a valid API token was limited")
	}
	// Ordinary pages are not limited.
	if status, _, _ := query(t, http.DefaultClient, n.srv.URL, "/events"); status != http.StatusOK {
		t.Errorf("/events over the query budget: %d", status)
	}
}

func TestQueryBudgetBehindATrustedProxy(t *testing.T) {
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	n := newTestNode(t, withQueryLimit(ratelimit.Limits{Rate: 0.01, Burst: 1}, []*net.IPNet{loopback}))
	for _, client := range []string{"203.0.113.1", "203.0.113.2", "2001:db8:5:6::1"} {
		if status, _, _ := query(t, http.DefaultClient, n.srv.URL, "/events.ics", "X-Forwarded-For", client); status != http.StatusOK {
			t.Errorf("first query of %s behind the proxy: %d", client, status)
		}
	}
	// The same /64 is the same client.
	if status, _, _ := query(t, http.DefaultClient, n.srv.URL, "/events.ics", "X-Forwarded-For", "2001:db8:5:6::ffff"); status != http.StatusTooManyRequests {
		t.Errorf("another address of the same /64: %d, want 429", status)
	}
}
