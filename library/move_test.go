package library

import "testing"

func TestMovedIRI(t *testing.T) {
	for _, tc := range []struct{ old, actor, want string }{
		{"https://old.example/offers/01abc", "https://new.example/orgs/riverside", "https://new.example/offers/01abc"},
		{"http://127.0.0.1:8080/events/01x#a", "http://127.0.0.1:9090/orgs/r", "http://127.0.0.1:9090/events/01x#a"},
		{"https://old.example/orgs/riverside", "https://new.example:8443/orgs/riverside", "https://new.example:8443/orgs/riverside"},
	} {
		if got := MovedIRI(tc.old, tc.actor); got != tc.want {
			t.Errorf("MovedIRI(%q, %q) = %q, want %q", tc.old, tc.actor, got, tc.want)
		}
	}
}
