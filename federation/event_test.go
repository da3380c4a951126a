package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// orgToken creates a local organisation and an API token for it.
func (n *testNode) orgToken(handle string) (*library.Organization, string) {
	n.t.Helper()
	org := n.org(handle, "Org "+handle, "GB")
	token, err := n.store.CreateAPIToken(context.Background(), org.ID, false, "test")
	if err != nil {
		n.t.Fatal(err)
	}
	return org, token
}

// call sends a JSON request with a token to the node's API.
func (n *testNode) call(method, path, token, body string) (int, map[string]any) {
	n.t.Helper()
	req, _ := http.NewRequest(method, n.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer res.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// event returns n's copy of an event, or nil.
func (n *testNode) event(apID string) *library.Event {
	e, err := n.store.EventByAPID(context.Background(), apID)
	if err != nil {
		return nil
	}
	return e
}

// myStatus is an organisation's registration state as its own node shows it.
func (n *testNode) myStatus(eventID, token string) string {
	_, got := n.call("GET", "/api/v1/events/"+eventID, token, "")
	m, _ := got["my_registration"].(map[string]any)
	return fmt.Sprint(m["status"])
}

// TestEventRegistrationAcrossNodes is acceptance 1: an event hosted on a is
// found on b; two organisations there register for its one place; one is
// accepted and the other waitlisted; when the first leaves the second gets
// the place, and the host sees the count.
func TestEventRegistrationAcrossNodes(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	_, hostToken := a.orgToken("riverside")
	a.peer(b)
	start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
	status, created := a.call("POST", "/api/v1/events", hostToken, fmt.Sprintf(`{"title": "Support planning together",
		"body": "Planning **with** the person.", "start": %q, "end": %q, "timezone": "America/Toronto", "capacity": 1,
		"online_url": "https://meet.example/plan", "place": {"name": "Hall", "address": "1 Quay St", "country": "CA-ON"},
		"themes": ["personnel"], "languages": ["en", "fr"]}`, start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339)))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, created)
	}
	apID, hostID := created["ap_id"].(string), created["id"].(string)
	eventually(t, 10*time.Second, "event at b", func() bool { return b.event(apID) != nil })
	copy := b.event(apID)
	if copy.Local || copy.Title != "Support planning together" || copy.Body != "Planning **with** the person." || !copy.Start.Equal(start) ||
		copy.Timezone != "America/Toronto" || copy.Capacity != 1 || copy.OnlineURL != "https://meet.example/plan" ||
		copy.Place.Country != "CA-ON" || copy.Themes[0] != "personnel" || copy.Languages[1] != "fr" {
		t.Fatalf("fields not recovered: %+v", copy)
	}

	_, first := b.orgToken("hillside")
	_, second := b.orgToken("lochside")
	for _, tok := range []string{first, second} {
		if status, reg := b.call("POST", "/api/v1/events/"+copy.ID+"/registrations", tok, ""); status != http.StatusCreated || reg["status"] != "pending" {
			t.Fatalf("register at b: %d %v", status, reg)
		}
	}
	eventually(t, 15*time.Second, "answers at b", func() bool {
		s1, s2 := b.myStatus(copy.ID, first), b.myStatus(copy.ID, second)
		return (s1 == "accepted" && s2 == "waitlisted") || (s1 == "waitlisted" && s2 == "accepted")
	})
	if b.myStatus(copy.ID, second) == "accepted" {
		first, second = second, first
	}
	_, hostView := a.call("GET", "/api/v1/events/"+hostID+"/registrations", hostToken, "")
	if hostView["participant_count"] != 1.0 || len(hostView["items"].([]any)) != 2 {
		t.Fatalf("host's list: %v", hostView)
	}
	eventually(t, 10*time.Second, "count at b", func() bool { return b.event(apID).ParticipantCount == 1 })
	// Updates of the count are not revisions: b's calendar says the host's SEQUENCE.
	host, err := a.store.Event(context.Background(), hostID)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.event(apID).Sequence; got != host.Sequence {
		t.Errorf("SEQUENCE at b %d, at the host %d", got, host.Sequence)
	}

	if status, _ := b.call("DELETE", "/api/v1/events/"+copy.ID+"/registrations", first, ""); status != http.StatusOK {
		t.Fatalf("leave: %d", status)
	}
	eventually(t, 15*time.Second, "second accepted at b", func() bool { return b.myStatus(copy.ID, second) == "accepted" })
	_, hostView = a.call("GET", "/api/v1/events/"+hostID+"/registrations", hostToken, "")
	counts, _ := hostView["counts"].(map[string]any)
	if hostView["participant_count"] != 1.0 || counts["cancelled"] != 1.0 || counts["accepted"] != 1.0 {
		t.Fatalf("host's list after leaving: %v", hostView)
	}

	if status, _ := a.call("PATCH", "/api/v1/events/"+hostID, hostToken, `{"status": "cancelled"}`); status != http.StatusOK {
		t.Fatal("cancel")
	}
	eventually(t, 10*time.Second, "cancellation at b", func() bool { return b.event(apID).Cancelled() })
	if host, _ := a.store.Event(context.Background(), hostID); b.event(apID).Sequence != host.Sequence {
		t.Errorf("SEQUENCE after the cancellation: %d at b, %d at the host", b.event(apID).Sequence, host.Sequence)
	}
	if status, res := b.call("POST", "/api/v1/events/"+copy.ID+"/registrations", first, ""); status != 422 {
		t.Errorf("registering at b for a cancelled event: %d %v", status, res)
	}
	if status, _ := a.call("DELETE", "/api/v1/events/"+hostID, hostToken, ""); status != http.StatusNoContent {
		t.Fatal("delete")
	}
	eventually(t, 10*time.Second, "delete at b", func() bool { return b.event(apID) == nil })
}

// TestEventDocumentForMobilizon checks the Event a node serves: Mobilizon's
// extensions, the place as a PostalAddress and the online link as its
// "Website" attachment.
func TestEventDocumentForMobilizon(t *testing.T) {
	a := newNode(t, "a")
	_, token := a.orgToken("riverside")
	start := time.Date(2031, 3, 30, 9, 30, 0, 0, time.UTC)
	_, created := a.call("POST", "/api/v1/events", token, fmt.Sprintf(`{"title": "Circles of support", "start": %q, "end": %q,
		"timezone": "Europe/London", "capacity": 12, "join_mode": "approval", "online_url": "https://meet.example/c",
		"place": {"name": "Hall", "address": "1 Quay St, Bristol", "country": "GB"}}`, start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339)))
	req, _ := http.NewRequest("GET", created["url"].(string), nil)
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET the event as ActivityStreams: %d %v", res.StatusCode, err)
	}
	want := map[string]any{"type": "Event", "name": "Circles of support", "startTime": "2031-03-30T10:30:00+01:00",
		"timezone": "Europe/London", "joinMode": "restricted", "maximumAttendeeCapacity": 12.0, "remainingAttendeeCapacity": 12.0,
		"participantCount": 0.0, "isOnline": true, "status": "CONFIRMED", "inLanguage": "en"}
	for k, v := range want {
		if doc[k] != v {
			t.Errorf("%s = %v, want %v", k, doc[k], v)
		}
	}
	place, _ := doc["location"].(map[string]any)
	addr, _ := place["address"].(map[string]any)
	if place["type"] != "Place" || addr["type"] != "PostalAddress" || addr["addressCountry"] != "GB" || addr["streetAddress"] != "1 Quay St, Bristol" {
		t.Errorf("location: %v", doc["location"])
	}
	att, _ := doc["attachment"].(map[string]any)
	if att == nil {
		list, _ := doc["attachment"].([]any)
		if len(list) > 0 {
			att, _ = list[0].(map[string]any)
		}
	}
	if att["type"] != "Link" || att["name"] != "Website" || att["href"] != "https://meet.example/c" || att["mediaType"] != "text/html" {
		t.Errorf("online link: %v", doc["attachment"])
	}
	ctx, _ := json.Marshal(doc["@context"])
	for _, term := range []string{`"joinMode":"mz:joinMode"`, `"timezone":"mz:timezone"`, `"mz":"https://joinmobilizon.org/ns#"`} {
		if !strings.Contains(string(ctx), term) {
			t.Errorf("@context lacks %s", term)
		}
	}
}

// TestApprovalAcrossNodes: for an event in approval mode the registering node
// shows pending until the host decides, then the host's decision.
func TestApprovalAcrossNodes(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	_, hostToken := a.orgToken("riverside")
	a.peer(b)
	start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
	_, created := a.call("POST", "/api/v1/events", hostToken, fmt.Sprintf(`{"title": "Small group session", "start": %q, "end": %q,
		"timezone": "Pacific/Auckland", "join_mode": "approval", "online_url": "https://meet.example/s"}`,
		start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339)))
	apID, hostID := created["ap_id"].(string), created["id"].(string)
	eventually(t, 10*time.Second, "event at b", func() bool { return b.event(apID) != nil })
	copy := b.event(apID)
	if copy.JoinMode != "approval" {
		t.Fatalf("join mode at b: %s", copy.JoinMode)
	}
	_, guest := b.orgToken("hillside")
	b.call("POST", "/api/v1/events/"+copy.ID+"/registrations", guest, "")
	var rid string
	eventually(t, 10*time.Second, "the registration at the host", func() bool {
		_, list := a.call("GET", "/api/v1/events/"+hostID+"/registrations", hostToken, "")
		items, _ := list["items"].([]any)
		if len(items) == 1 {
			rid = items[0].(map[string]any)["id"].(string)
		}
		return rid != ""
	})
	settle(t, a, b)
	if got := b.myStatus(copy.ID, guest); got != "pending" {
		t.Fatalf("before the host decides: %s", got)
	}
	if status, _ := a.call("POST", "/api/v1/events/"+hostID+"/registrations/"+rid+"/decline", hostToken, ""); status != http.StatusOK {
		t.Fatal("decline")
	}
	eventually(t, 10*time.Second, "rejected at b", func() bool { return b.myStatus(copy.ID, guest) == "rejected" })
	if status, _ := a.call("POST", "/api/v1/events/"+hostID+"/registrations/"+rid+"/accept", hostToken, ""); status != http.StatusOK {
		t.Fatal("accept")
	}
	eventually(t, 10*time.Second, "accepted at b", func() bool { return b.myStatus(copy.ID, guest) == "accepted" })
}
