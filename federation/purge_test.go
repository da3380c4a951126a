package federation_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestBlockingADomainPromotesTheWaitingList: a hosts an event with one place;
// an organisation on b takes it and one on c waits. When a blocks b, the
// place goes to c's organisation, and c hears so from a, as after a Leave.
func TestBlockingADomainPromotesTheWaitingList(t *testing.T) {
	a, b, c := newNode(t, "a"), newNode(t, "b"), newNode(t, "c")
	_, hostToken := a.orgToken("riverside")
	a.peer(b)
	a.peer(c)
	start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
	status, created := a.call("POST", "/api/v1/events", hostToken, fmt.Sprintf(`{"title": "Planning together",
		"start": %q, "end": %q, "timezone": "Europe/London", "capacity": 1, "online_url": "https://meet.example/plan"}`,
		start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339)))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, created)
	}
	apID, hostID := created["ap_id"].(string), created["id"].(string)
	eventually(t, 10*time.Second, "event at b and c", func() bool { return b.event(apID) != nil && c.event(apID) != nil })

	register := func(n *testNode, handle, want string) string {
		_, token := n.orgToken(handle)
		id := n.event(apID).ID
		if status, reg := n.call("POST", "/api/v1/events/"+id+"/registrations", token, ""); status != http.StatusCreated {
			t.Fatalf("register at %s: %d %v", n.name, status, reg)
		}
		eventually(t, 15*time.Second, handle+" "+want, func() bool { return n.myStatus(id, token) == want })
		return token
	}
	register(b, "moray", "accepted")
	waiting := register(c, "lochside", "waitlisted")

	if code, body := a.api("POST", "/api/v1/admin/domains", map[string]string{"domain": b.host(), "policy": "block", "reason": "test"}); code != http.StatusNoContent {
		t.Fatalf("block: %d %s", code, body)
	}
	_, hostView := a.call("GET", "/api/v1/events/"+hostID+"/registrations", hostToken, "")
	counts, _ := hostView["counts"].(map[string]any)
	if hostView["participant_count"] != 1.0 || counts["accepted"] != 1.0 || counts["waitlisted"] != nil {
		t.Fatalf("host's list after the block: %v", hostView)
	}
	eventually(t, 15*time.Second, "lochside accepted at c", func() bool { return c.myStatus(c.event(apID).ID, waiting) == "accepted" })
}
