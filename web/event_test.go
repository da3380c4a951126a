package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// apiCall sends a JSON request with a bearer token ("" for none) and decodes the answer.
func apiCall(t testing.TB, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: not JSON (%d): %s", method, url, res.StatusCode, raw)
		}
	}
	return res.StatusCode, out
}

// orgWithToken creates a local organisation and an API token for it.
func orgWithToken(t testing.TB, n *testNode, handle string) (*library.Organization, string) {
	t.Helper()
	ctx := context.Background()
	org, err := n.store.CreateOrganization(ctx, library.OrganizationInput{Handle: handle, Name: "Org " + handle, Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := n.store.CreateAPIToken(ctx, org.ID, false, "test")
	if err != nil {
		t.Fatal(err)
	}
	return org, token
}

// eventJSON is a valid event body starting in days days, with extra fields appended.
func eventJSON(days int, extra string) string {
	start := time.Now().Add(time.Duration(days) * 24 * time.Hour).Truncate(time.Hour).UTC()
	return fmt.Sprintf(`{"title": "Support planning with families", "body": "Planning *with* people.",
		"start": %q, "end": %q, "timezone": "Europe/London", "online_url": "https://meet.example/x"%s}`,
		start.Format(time.RFC3339), start.Add(90*time.Minute).Format(time.RFC3339), extra)
}

func TestEventAPIContract(t *testing.T) {
	n := newTestNode(t)
	_, host := orgWithToken(t, n, "riverside")
	_, guest := orgWithToken(t, n, "hillside")
	api := n.srv.URL + "/api/v1/events"
	status, ev := apiCall(t, "POST", api, host, eventJSON(7, `, "capacity": 2, "themes": ["personnel"], "languages": ["en", "fr"],
		"place": {"name": "Riverside Hall", "address": "1 Quay St", "country": "GB-ENG"}`))
	if status != http.StatusCreated || ev["id"] == nil || ev["ap_id"] != n.srv.URL+"/events/"+ev["id"].(string) || ev["url"] == "" {
		t.Fatalf("create: %d %v", status, ev)
	}
	id := ev["id"].(string)
	t.Run("bad input names the field", func(t *testing.T) {
		for _, tc := range []struct{ body, field string }{
			{`{"title": "t", "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T09:00:00Z", "timezone": "UTC", "online_url": "https://x.example"}`, "end"},
			{strings.Replace(eventJSON(7, ""), "Europe/London", "Europe/Atlantis", 1), "timezone"},
			{eventJSON(7, `, "capacity": -1`), "capacity"},
			{eventJSON(7, `, "join_mode": "raffle"`), "join_mode"},
			{eventJSON(7, `, "place": {"name": "Hall", "colour": "red"}`), "colour"},
			{`{"title": "t", "start": "soon", "end": "2030-01-01T10:00:00Z", "timezone": "UTC", "online_url": "https://x.example"}`, "start"},
		} {
			status, res := apiCall(t, "POST", api, host, tc.body)
			if (status != 400 && status != 422) || !strings.Contains(fmt.Sprint(res["error"]), tc.field) {
				t.Errorf("%s: %d %v", tc.field, status, res)
			}
		}
	})
	status, got := apiCall(t, "GET", api+"/"+id, "", "")
	if _, has := got["my_registration"]; status != http.StatusOK || has || got["participant_count"] != 0.0 || got["remaining_capacity"] != 2.0 {
		t.Fatalf("anonymous get: %d %v", status, got)
	}
	if _, got = apiCall(t, "GET", api+"/"+id, guest, ""); got["my_registration"] != nil {
		t.Fatalf("before registering: %v", got["my_registration"])
	}
	if _, has := got["my_registration"]; !has {
		t.Fatal("my_registration should be null for a caller with a token who has not registered")
	}
	if status, reg := apiCall(t, "POST", api+"/"+id+"/registrations", guest, ""); status != http.StatusCreated || reg["status"] != "accepted" {
		t.Fatalf("register: %d %v", status, reg)
	}
	if status, _ := apiCall(t, "POST", api+"/"+id+"/registrations", guest, ""); status != http.StatusOK {
		t.Fatalf("registering twice: %d", status)
	}
	_, got = apiCall(t, "GET", api+"/"+id, guest, "")
	if mine, _ := got["my_registration"].(map[string]any); mine["status"] != "accepted" || got["participant_count"] != 1.0 {
		t.Fatalf("after registering: %v", got)
	}
	if status, _ := apiCall(t, "PATCH", api+"/"+id, guest, `{"title": "mine"}`); status != http.StatusForbidden {
		t.Errorf("another organisation edits: %d", status)
	}
	if status, _ := apiCall(t, "GET", api+"/"+id+"/registrations", guest, ""); status != http.StatusForbidden {
		t.Errorf("another organisation lists registrations: %d", status)
	}
	status, upd := apiCall(t, "PATCH", api+"/"+id, host, `{"status": "cancelled"}`)
	if status != http.StatusOK || upd["status"] != "cancelled" || upd["sequence"] != 1.0 {
		t.Fatalf("cancel: %d %v", status, upd)
	}
	_, other := orgWithToken(t, n, "lochside")
	if status, res := apiCall(t, "POST", api+"/"+id+"/registrations", other, ""); status != 422 || !strings.Contains(fmt.Sprint(res["error"]), "cancelled") {
		t.Errorf("registering for a cancelled event: %d %v", status, res)
	}
	if status, _ := apiCall(t, "DELETE", api+"/"+id, host, ""); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := apiCall(t, "GET", api+"/"+id, "", ""); status != http.StatusGone {
		t.Errorf("deleted: %d, want 410", status)
	}
}

func TestRegistrationAfterTheDeadline(t *testing.T) {
	n := newTestNode(t)
	_, host := orgWithToken(t, n, "riverside")
	_, guest := orgWithToken(t, n, "hillside")
	_, ev := apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(7, `, "registration_deadline": "`+
		time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`"`))
	id := ev["id"].(string)
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	if err := n.store.DB().Exec(`UPDATE events SET registration_deadline = ? WHERE id = ?`, past, id).Error; err != nil {
		t.Fatal(err)
	}
	status, res := apiCall(t, "POST", n.srv.URL+"/api/v1/events/"+id+"/registrations", guest, "")
	if status != 422 || !strings.Contains(fmt.Sprint(res["error"]), "registration_deadline") {
		t.Fatalf("after the deadline: %d %v", status, res)
	}
}

func TestFiftyConcurrentRegistrationsThroughTheAPI(t *testing.T) {
	n := newTestNode(t)
	_, host := orgWithToken(t, n, "host")
	_, ev := apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(7, `, "capacity": 10`))
	url := n.srv.URL + "/api/v1/events/" + ev["id"].(string)
	tokens := make([]string, 50)
	for i := range tokens {
		_, tokens[i] = orgWithToken(t, n, fmt.Sprintf("org%02d", i))
	}
	var mu sync.Mutex
	byStatus := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, reg := apiCall(t, "POST", url+"/registrations", tok, "")
			mu.Lock()
			defer mu.Unlock()
			if status != http.StatusCreated {
				byStatus[fmt.Sprintf("http %d: %v", status, reg["error"])]++
				return
			}
			byStatus[fmt.Sprint(reg["status"])]++
		}()
	}
	close(start)
	wg.Wait()
	if byStatus["accepted"] != 10 || byStatus["waitlisted"] != 40 || len(byStatus) != 2 {
		t.Fatalf("answers: %v, want 10 accepted and 40 waitlisted", byStatus)
	}
	_, got := apiCall(t, "GET", url, "", "")
	_, list := apiCall(t, "GET", url+"/registrations", host, "")
	if got["participant_count"] != 10.0 || got["remaining_capacity"] != 0.0 || list["participant_count"] != 10.0 {
		t.Fatalf("count: event %v, host list %v", got["participant_count"], list["participant_count"])
	}
}

func TestWaitingListThroughTheAPI(t *testing.T) {
	n := newTestNode(t)
	_, host := orgWithToken(t, n, "host")
	_, first := orgWithToken(t, n, "first")
	_, second := orgWithToken(t, n, "second")
	_, ev := apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(7, `, "capacity": 1`))
	url := n.srv.URL + "/api/v1/events/" + ev["id"].(string)
	mine := func(token string) string {
		_, got := apiCall(t, "GET", url, token, "")
		m, _ := got["my_registration"].(map[string]any)
		return fmt.Sprint(m["status"])
	}
	apiCall(t, "POST", url+"/registrations", first, "")
	apiCall(t, "POST", url+"/registrations", second, "")
	if mine(first) != "accepted" || mine(second) != "waitlisted" {
		t.Fatalf("first %s, second %s", mine(first), mine(second))
	}
	if status, left := apiCall(t, "DELETE", url+"/registrations", first, ""); status != http.StatusOK || left["status"] != "cancelled" {
		t.Fatalf("leave: %d %v", status, left)
	}
	if mine(first) != "cancelled" || mine(second) != "accepted" {
		t.Fatalf("after leaving: first %s, second %s", mine(first), mine(second))
	}
	if _, list := apiCall(t, "GET", url+"/registrations", host, ""); list["participant_count"] != 1.0 {
		t.Fatalf("host's count: %v", list)
	}
}

func TestApprovalThroughTheAPI(t *testing.T) {
	n := newTestNode(t)
	_, host := orgWithToken(t, n, "host")
	_, guest := orgWithToken(t, n, "guest")
	_, ev := apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(7, `, "join_mode": "approval"`))
	url := n.srv.URL + "/api/v1/events/" + ev["id"].(string)
	_, reg := apiCall(t, "POST", url+"/registrations", guest, "")
	if reg["status"] != "pending" {
		t.Fatalf("approval mode: %v", reg)
	}
	rid := reg["id"].(string)
	if status, _ := apiCall(t, "POST", url+"/registrations/"+rid+"/accept", guest, ""); status != http.StatusForbidden {
		t.Errorf("the guest accepts itself: %d", status)
	}
	for _, step := range []struct{ action, want string }{{"accept", "accepted"}, {"decline", "rejected"}} {
		status, got := apiCall(t, "POST", url+"/registrations/"+rid+"/"+step.action, host, "")
		if status != http.StatusOK || got["status"] != step.want {
			t.Fatalf("%s: %d %v", step.action, status, got)
		}
	}
	if status, _ := apiCall(t, "POST", url+"/registrations/nope/accept", host, ""); status != http.StatusNotFound {
		t.Errorf("unknown registration: %d", status)
	}
}
