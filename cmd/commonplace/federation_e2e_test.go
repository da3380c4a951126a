package main

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// fedNode is a running binary on its own data folder, with its tokens.
type fedNode struct {
	srv        *server
	data, addr string
	admin      string
	orgToken   string
}

func startFedNode(t *testing.T, org string) *fedNode {
	t.Helper()
	n := &fedNode{data: t.TempDir(), addr: freeAddr(t)}
	base := "http://" + n.addr
	cli(t, "org", "create", "--data", n.data, "--base-url", base, "--handle", org, "--name", "Org "+org, "--country", "GB")
	n.orgToken = lastLine(cli(t, "token", "create", "--data", n.data, "--base-url", base, "--org", org))
	n.admin = lastLine(cli(t, "token", "create", "--data", n.data, "--base-url", base, "--admin"))
	n.start(t)
	return n
}

func (n *fedNode) start(t *testing.T) {
	n.srv = startServer(t, n.data, n.addr, "--insecure-local-federation")
}

// found reports whether the node's search finds an object with this title and ap_id.
func (n *fedNode) found(t *testing.T, q, title, apID string) bool {
	_, res := call(t, "GET", n.srv.base+"/api/v1/search?q="+url.QueryEscape(q), "", "")
	hits, _ := res["hits"].([]any)
	for _, h := range hits {
		if m, _ := h.(map[string]any); m["title"] == title && m["ap_id"] == apID {
			return true
		}
	}
	return false
}

func (n *fedNode) postOffer(t *testing.T, title, body string) string {
	t.Helper()
	status, res := call(t, "POST", n.srv.base+"/api/v1/offers", n.orgToken,
		fmt.Sprintf(`{"title": %q, "body": %q, "visibility": "public"}`, title, body))
	if status != http.StatusCreated {
		t.Fatalf("post offer: %d %v", status, res)
	}
	return res["ap_id"].(string)
}

// TestTwoServeProcessesFederate is acceptance 2: two `commonplace serve`
// processes peer through the coordinator API; an offer posted on one is found
// by the other's search; an offer posted while the other is stopped arrives
// within 90 s of its restart.
func TestTwoServeProcessesFederate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes")
	}
	a, b := startFedNode(t, "riverside"), startFedNode(t, "lochside")
	if status, res := call(t, "POST", a.srv.base+"/api/v1/admin/peers", a.admin, `{"url": "`+b.srv.base+`"}`); status != http.StatusAccepted {
		t.Fatalf("peer: %d %v", status, res)
	}
	peered := func(n, other *fedNode) bool {
		_, st := call(t, "GET", n.srv.base+"/api/v1/admin/federation", n.admin, "")
		peers, _ := st["peers"].([]any)
		for _, p := range peers {
			if m, _ := p.(map[string]any); m["base_url"] == other.srv.base && m["state"] == "peered" {
				return true
			}
		}
		return false
	}
	waitFor(t, 30*time.Second, "peered both ways", func() bool { return peered(a, b) && peered(b, a) })

	title := "Interviewing personal assistants with the person"
	apID := a.postOffer(t, title, "The person leads the interview; we bring the questions they chose.")
	waitFor(t, 30*time.Second, "the offer in b's search", func() bool { return b.found(t, "interviewing assistants", title, apID) })

	b.srv.stop()
	late := "Matching staff by shared interests"
	lateID := a.postOffer(t, late, "We match staff and the person by what they enjoy doing together.")
	waitFor(t, 30*time.Second, "a failed to deliver to the stopped node", func() bool {
		_, st := call(t, "GET", a.srv.base+"/api/v1/admin/federation", a.admin, "")
		peers, _ := st["peers"].([]any)
		m, _ := peers[0].(map[string]any)
		f, _ := m["failures"].(float64)
		return f > 0
	})
	b.start(t)
	restarted := time.Now()
	waitFor(t, 90*time.Second, "the late offer in b's search", func() bool { return b.found(t, "matching staff interests", late, lateID) })
	t.Logf("the late offer arrived %s after b restarted", time.Since(restarted).Round(100*time.Millisecond))
}
