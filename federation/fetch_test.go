package federation_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-fed/httpsig"
)

// checkpoint is a server that checks each request's signature as a strict
// peer would: (request-target), host and date covered, digest too for a
// POST, and the signature valid for this server's host and path.
type checkpoint struct {
	srv    *httptest.Server
	pub    any
	mu     sync.Mutex
	ok     []string
	errors []string
}

func newCheckpoint(t *testing.T, pubPEM string, h http.HandlerFunc) *checkpoint {
	block, _ := pem.Decode([]byte(pubPEM))
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	c := &checkpoint{pub: pub}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := c.check(r); err != nil {
			c.mu.Lock()
			c.errors = append(c.errors, r.Method+" "+r.URL.Path+": "+err.Error())
			c.mu.Unlock()
		} else {
			c.mu.Lock()
			c.ok = append(c.ok, r.Method+" "+r.URL.Path)
			c.mu.Unlock()
		}
		h(w, r)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *checkpoint) check(r *http.Request) error {
	sig := r.Header.Get("Signature")
	i := strings.Index(sig, `headers="`)
	if i < 0 {
		return fmt.Errorf("no headers in %q", sig)
	}
	covered := " " + strings.SplitN(sig[i+9:], `"`, 2)[0] + " "
	need := []string{"(request-target)", "host", "date"}
	if r.Method == http.MethodPost {
		need = append(need, "digest")
	}
	for _, h := range need {
		if !strings.Contains(covered, " "+h+" ") {
			return fmt.Errorf("%s is not signed (%s)", h, covered)
		}
	}
	v, err := httpsig.NewVerifier(r)
	if err != nil {
		return err
	}
	return v.Verify(c.pub, httpsig.RSA_SHA256)
}

// TestOutgoingRequestsAreSignedForTheirTarget: our GETs and POSTs sign
// (request-target), host, date and, for a POST, digest; a GET that is
// redirected is signed again for its new target instead of carrying the
// first server's signature there; a signed POST is not redirected.
func TestOutgoingRequestsAreSignedForTheirTarget(t *testing.T) {
	a := newNode(t, "a")
	ctx := context.Background()
	pubPEM, err := a.fed.PublicKeyPEMForTest(ctx, a.URL+"/actor")
	if err != nil {
		t.Fatal(err)
	}
	target := newCheckpoint(t, pubPEM, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		fmt.Fprintf(w, `{"id": "http://%s/notes/1", "type": "Note"}`, r.Host)
	})
	first := newCheckpoint(t, pubPEM, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.srv.URL+"/notes/1", map[string]int{"GET": http.StatusFound, "POST": http.StatusTemporaryRedirect}[r.Method])
	})

	if _, err := a.fed.FetchForTest(ctx, target.srv.URL+"/notes/1"); err != nil {
		t.Fatal(err)
	}
	if code, err := a.fed.DeliverForTest(ctx, target.srv.URL+"/inbox", a.URL+"/actor", []byte(`{"type":"Like"}`)); err != nil || code != http.StatusAccepted {
		t.Fatalf("delivery: %d %v", code, err)
	}
	if _, err := a.fed.FetchForTest(ctx, first.srv.URL+"/old"); err != nil {
		t.Fatalf("redirected GET: %v", err)
	}
	code, err := a.fed.DeliverForTest(ctx, first.srv.URL+"/inbox", a.URL+"/actor", []byte(`{"type":"Like"}`))
	if err != nil || code != http.StatusTemporaryRedirect {
		t.Fatalf("a redirected delivery answered %d %v, want the 307 itself", code, err)
	}
	target.mu.Lock()
	defer target.mu.Unlock()
	if len(target.errors) > 0 || len(target.ok) != 3 {
		t.Fatalf("at the target: refused %v, accepted %v (want GET, POST, redirected GET)", target.errors, target.ok)
	}
}
