package federation_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// TestStaleSignatureWithUnsignedCreated: a request signed over a Date 30
// days old, with created="<now>" appended to its Signature header but
// (created) not among the signed headers, is refused; judged only by what
// is signed (issue 18, item 1).
func TestStaleSignatureWithUnsignedCreated(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	b.org("moray", "Moray Homes Together", "GB")
	a.peer(b)
	moray := b.URL + "/orgs/moray"
	body := createFrom(b, "moray", "03stale", "A captured request, replayed")
	req, _ := http.NewRequest("POST", a.URL+"/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := b.fed.SignAtForTest(context.Background(), req, moray, body, time.Now().Add(-30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	sig := req.Header.Get("Signature")
	req.Header.Set("Signature", sig+`,created="`+itoa(time.Now().Unix())+`"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a 30-day-old signature with an unsigned created: %d, want 401", resp.StatusCode)
	}
	settle(t, a)
	if a.remote(b.URL+"/offers/03stale") != nil {
		t.Fatal("the replayed request was stored")
	}
}

// TestSignatureForAnotherHost: a request signed for one server and sent to
// another is refused, for both kinds of signature (issue 18, item 2).
func TestSignatureForAnotherHost(t *testing.T) {
	a, b, c := newNode(t, "a"), newNode(t, "b"), newNode(t, "c")
	b.org("moray", "Moray Homes Together", "GB")
	a.peer(b)
	c.peer(b)
	moray := b.URL + "/orgs/moray"
	for _, kind := range []string{"cavage", "rfc9421"} {
		t.Run(kind, func(t *testing.T) {
			body := createFrom(b, "moray", "04"+kind, "Meant for node c, sent to node a")
			// Signed for c, as b's delivery to c would be; then sent to a
			// with c's Host, as a replaying intruder would.
			req, _ := http.NewRequest("POST", c.URL+"/inbox", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/activity+json")
			var err error
			if kind == "cavage" {
				err = b.fed.SignForTest(context.Background(), req, moray, body)
			} else {
				err = b.fed.SignMessageForTest(context.Background(), req, moray, body)
			}
			if err != nil {
				t.Fatal(err)
			}
			aURL, _ := url.Parse(a.URL)
			req.URL.Host = aURL.Host // the connection goes to a; Host still says c
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("signed for %s, accepted by %s: %d, want 401", req.Host, a.URL, resp.StatusCode)
			}
			settle(t, a)
			if a.remote(b.URL+"/offers/04"+kind) != nil {
				t.Fatal("the request signed for another host was stored")
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
