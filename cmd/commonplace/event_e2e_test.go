package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// waitFor polls cond until it holds, or fails the test after within.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for: %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// eventNode is a running binary with its coordinator token.
type eventNode struct {
	srv   *server
	admin string
	data  string
}

func startEventNode(t *testing.T, orgs ...string) (*eventNode, map[string]string) {
	t.Helper()
	data, addr := t.TempDir(), freeAddr(t)
	tokens := map[string]string{}
	for _, h := range orgs {
		cli(t, "org", "create", "--data", data, "--handle", h, "--name", "Org "+h, "--country", "GB")
		tokens[h] = lastLine(cli(t, "token", "create", "--data", data, "--org", h))
	}
	n := &eventNode{admin: lastLine(cli(t, "token", "create", "--data", data, "--admin")), data: data}
	n.srv = startServer(t, data, addr, "--insecure-local-federation")
	return n, tokens
}

func (n *eventNode) peered(t *testing.T, other *eventNode) bool {
	_, st := call(t, "GET", n.srv.base+"/api/v1/admin/federation", n.admin, "")
	peers, _ := st["peers"].([]any)
	for _, p := range peers {
		if m, _ := p.(map[string]any); m["base_url"] == other.srv.base && m["state"] == "peered" {
			return true
		}
	}
	return false
}

// TestEventAcrossTwoBinaries is acceptance 1 with the real binary: two
// peered nodes; two organisations of one register for the other's one-place
// event; the first is accepted and the second waitlisted until the first leaves.
func TestEventAcrossTwoBinaries(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes")
	}
	a, aTokens := startEventNode(t, "riverside")
	b, bTokens := startEventNode(t, "hillside", "lochside")
	if status, res := call(t, "POST", a.srv.base+"/api/v1/admin/peers", a.admin, `{"url": "`+b.srv.base+`"}`); status != http.StatusAccepted {
		t.Fatalf("peer: %d %v", status, res)
	}
	waitFor(t, 30*time.Second, "peered both ways", func() bool { return a.peered(t, b) && b.peered(t, a) })

	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	status, ev := call(t, "POST", a.srv.base+"/api/v1/events", aTokens["riverside"], fmt.Sprintf(`{"title": "Recruiting with the person",
		"start": %q, "end": %q, "timezone": "Europe/London", "capacity": 1, "online_url": "https://meet.example/r"}`,
		start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339)))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, ev)
	}
	var copyID string
	waitFor(t, 30*time.Second, "the event at b", func() bool {
		_, list := call(t, "GET", b.srv.base+"/api/v1/events", "", "")
		items, _ := list["items"].([]any)
		for _, it := range items {
			if m, _ := it.(map[string]any); m["ap_id"] == ev["ap_id"] {
				copyID = m["id"].(string)
			}
		}
		return copyID != ""
	})
	url := b.srv.base + "/api/v1/events/" + copyID
	mine := func(token string) string {
		_, got := call(t, "GET", url, token, "")
		m, _ := got["my_registration"].(map[string]any)
		return fmt.Sprint(m["status"])
	}
	first, second := bTokens["hillside"], bTokens["lochside"]
	call(t, "POST", url+"/registrations", first, "")
	waitFor(t, 30*time.Second, "the first accepted", func() bool { return mine(first) == "accepted" })
	call(t, "POST", url+"/registrations", second, "")
	waitFor(t, 30*time.Second, "the second waitlisted", func() bool { return mine(second) == "waitlisted" })
	hostURL := a.srv.base + "/api/v1/events/" + ev["id"].(string)
	if _, host := call(t, "GET", hostURL+"/registrations", aTokens["riverside"], ""); host["participant_count"] != 1.0 {
		t.Fatalf("host's count: %v", host)
	}
	if status, _ := call(t, "DELETE", url+"/registrations", first, ""); status != http.StatusOK {
		t.Fatalf("leave: %d", status)
	}
	waitFor(t, 30*time.Second, "the second accepted", func() bool { return mine(second) == "accepted" })
	_, host := call(t, "GET", hostURL+"/registrations", aTokens["riverside"], "")
	counts, _ := host["counts"].(map[string]any)
	if host["participant_count"] != 1.0 || counts["cancelled"] != 1.0 {
		t.Fatalf("host's list after leaving: %v", host)
	}
	waitFor(t, 30*time.Second, "the count at b", func() bool {
		_, got := call(t, "GET", url, "", "")
		return got["participant_count"] == 1.0 && got["remaining_capacity"] == 0.0
	})
}
