package federation_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzWebfinger asks a node's WebFinger about a fuzzed resource.
// Properties: the answer is 200, 400, 404 or 429, never a server error; a
// 200 is a JRD whose subject is acct:user@this-host and whose self link,
// asked about again, gives the same answer; it answers only for a resource
// on this node's host or for one of its actor URLs.
func FuzzWebfinger(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/fuzz/webfinger/*.json")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var j struct {
			Subject string   `json:"subject"`
			Aliases []string `json:"aliases"`
		}
		if err := json.Unmarshal(b, &j); err != nil {
			f.Fatal(err)
		}
		f.Add(j.Subject)
		for _, a := range j.Aliases {
			f.Add(a)
		}
	}
	n := newNode(f, "wf")
	n.org("riverside", "Riverside Support", "GB")
	host := n.host()
	for _, s := range []string{"acct:riverside@" + host, "riverside@" + host, "@Riverside@" + strings.ToUpper(host),
		"acct:" + host + "@" + host, n.URL + "/orgs/riverside", n.URL + "/", n.URL + "/actor", "acct:nobody@" + host} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, resource string) {
		status, j := webfinger(n, resource)
		switch status {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusNotFound, http.StatusTooManyRequests:
			return
		default:
			t.Fatalf("resource %q: status %d", resource, status)
		}
		if !strings.HasPrefix(j.Subject, "acct:") || !strings.HasSuffix(j.Subject, "@"+host) {
			t.Fatalf("resource %q: subject %q", resource, j.Subject)
		}
		res := strings.TrimSpace(resource)
		if !strings.HasPrefix(res, n.URL) && !strings.HasSuffix(strings.ToLower(res), "@"+strings.ToLower(host)) {
			t.Fatalf("resource %q answered, though not on this node", resource)
		}
		self := selfLink(j)
		if self == "" {
			t.Fatalf("resource %q: no self link in %+v", resource, j)
		}
		for _, again := range []string{j.Subject, self} {
			if st, k := webfinger(n, again); st == http.StatusOK && (k.Subject != j.Subject || selfLink(k) != self) {
				t.Fatalf("%q answers %q/%q, %q answered %q/%q", again, k.Subject, selfLink(k), resource, j.Subject, self)
			} else if st != http.StatusOK && st != http.StatusTooManyRequests {
				t.Fatalf("%q (from %q) answers %d", again, resource, st)
			}
		}
	})
}

type jrdAnswer struct {
	Subject string `json:"subject"`
	Links   []struct {
		Rel  string `json:"rel"`
		Href string `json:"href"`
	} `json:"links"`
}

func webfinger(n *testNode, resource string) (int, jrdAnswer) {
	req := httptest.NewRequest(http.MethodGet, "/.well-known/webfinger?resource="+url.QueryEscape(resource), nil)
	req.Host = n.host()
	rec := httptest.NewRecorder()
	n.serve(rec, req)
	var j jrdAnswer
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
			return 0, j
		}
	}
	return rec.Code, j
}

func selfLink(j jrdAnswer) string {
	for _, l := range j.Links {
		if l.Rel == "self" {
			return l.Href
		}
	}
	return ""
}
