package federation

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// FuzzParseRetryAfter reads a peer's Retry-After. Properties: the wait is
// never negative nor longer than maxRetryAfter; whole seconds are read as
// such (capped); an HTTP date in the next day is read as the time until it.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-5", "3600", "86401", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", " 60", "1e3"} {
		f.Add(s, int64(90))
	}
	f.Fuzz(func(t *testing.T, v string, ahead int64) {
		d := parseRetryAfter(v)
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("%q gives %v", v, d)
		}
		if secs, err := strconv.Atoi(v); err == nil && secs > 0 && secs <= int(maxRetryAfter/time.Second) && d != time.Duration(secs)*time.Second {
			t.Fatalf("%q gives %v", v, d)
		}
		ahead = ahead % int64(maxRetryAfter/time.Second)
		if ahead < 60 {
			return
		}
		at := time.Now().Add(time.Duration(ahead) * time.Second).UTC()
		got := parseRetryAfter(at.Format(http.TimeFormat))
		if want := time.Until(at); got > want+time.Second || got < want-2*time.Second {
			t.Fatalf("date %d s ahead gives %v", ahead, got)
		}
	})
}
