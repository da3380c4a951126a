package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/search"
)

// TestSearchRefusesOverlongQueries: a search text over the budget gets a
// 400 that states the limit, on the API and on the page (issue 18, item 3).
func TestSearchRefusesOverlongQueries(t *testing.T) {
	n := newSearchNode(t)
	long := strings.TrimSpace(strings.Repeat("support ", 20000))
	words := strings.TrimSpace(strings.Repeat("ab ", 200))
	for _, tc := range []struct{ q, want string }{
		{long, "at most 1500"},
		{words, "200 words, at most 120"},
	} {
		res, err := http.Get(n.srv.URL + "/api/v1/search?q=" + url.QueryEscape(tc.q))
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body["error"], tc.want) {
			t.Errorf("API: %d %v, want 400 naming %q", res.StatusCode, body, tc.want)
		}
		res, err = http.Get(n.srv.URL + "/search?q=" + url.QueryEscape(tc.q))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("page: %d, want 400", res.StatusCode)
		}
	}
}

// TestSearchStoppedByItsDeadline: a search that runs out of time is answered
// 503 saying so, not 500 (issue 18, item 3).
func TestSearchStoppedByItsDeadline(t *testing.T) {
	n := newSearchNode(t, search.WithTimeout(time.Nanosecond))
	res, err := http.Get(n.srv.URL + "/api/v1/search?q=" + url.QueryEscape("housing support"))
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body["error"], "took too long") {
		t.Errorf("%d %v, want 503 saying the search took too long", res.StatusCode, body)
	}
}
