package web

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/needs/1", "/needs/1"},
		{"/search?q=a%20b", "/search?q=a%20b"},
		{"//evil.example", "/dashboard"},
		{"/\\evil.example", "/dashboard"},
		{"/\t/evil.example", "/dashboard"},
		{"/\n/evil.example", "/dashboard"},
		{"/\r/evil.example", "/dashboard"},
		{"/\x00", "/dashboard"},
		{"/needs\\1", "/dashboard"},
		{"/\x7f/evil.example", "/dashboard"},
		{"/\u0085/evil.example", "/dashboard"},
		{" /needs/1", "/dashboard"},
		{"needs/1", "/dashboard"},
		{"https://evil.example", "/dashboard"},
		{"", "/dashboard"},
	} {
		t.Run(tc.next, func(t *testing.T) {
			if got := safeNext(tc.next); got != tc.want {
				t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}
