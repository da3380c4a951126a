package federation_test

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestFollowNamesWhyTheRemoteFailed: following an account whose server
// cannot be reached is 502 "could not reach …"; one that does not exist
// is 422 "no such actor"; neither is 500 (issue 18, item 10).
func TestFollowNamesWhyTheRemoteFailed(t *testing.T) {
	a, s := newNode(t, "a"), newStranger(t)
	a.org("riverside", "Riverside Support", "GB")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	broken := newStranger(t)
	broken.broken.Store(true)
	cases := []struct {
		name, account string
		want          int
		says          string
	}{
		{"unreachable by address", "nobody@" + closed, http.StatusBadGateway, "could not reach " + closed},
		{"unreachable by actor URL", "http://" + closed + "/users/zed", http.StatusBadGateway, "could not reach " + closed},
		{"server error", broken.actor(), http.StatusBadGateway, "could not reach"},
		{"no such account", "ghost@" + strings.TrimPrefix(s.srv.URL, "http://"), http.StatusUnprocessableEntity, "no such actor"},
		{"no such actor URL", s.srv.URL + "/users/ghost", http.StatusUnprocessableEntity, "no such actor"},
		{"not an address", "ghost", http.StatusUnprocessableEntity, "user@host"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := a.api("POST", "/api/v1/follows", map[string]string{"org": "riverside", "account": tc.account})
			var res struct{ Error string }
			if err := json.Unmarshal(body, &res); err != nil || code != tc.want || !strings.Contains(res.Error, tc.says) {
				t.Fatalf("got %d %s, want %d naming %q", code, body, tc.want, tc.says)
			}
		})
	}
	if code, body := a.api("POST", "/api/v1/follows", map[string]string{"org": "riverside", "account": s.actor()}); code != http.StatusAccepted {
		t.Fatalf("a real actor: %d %s", code, body)
	}
}
