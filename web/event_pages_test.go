package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// checkAccessible fails when a page lacks its one h1 or a label for a field.
func checkAccessible(t *testing.T, path, body string) {
	t.Helper()
	if !strings.Contains(body, `<main id="main"`) || strings.Count(body, "<h1") != 1 {
		t.Errorf("%s: one <h1> expected", path)
	}
	for _, m := range regexp.MustCompile(`<(?:input|select|textarea) id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `for="`+m[1]+`"`) {
			t.Errorf("%s: field %s has no label", path, m[1])
		}
	}
}

func TestEventFormsAndPages(t *testing.T) {
	n := newTestNode(t)
	host := newStaff(t, n, "riverside", "sam@riverside.example")
	guest := newStaff(t, n, "hillside", "kim@hillside.example")
	status, body, res := host.submit("/events/new", "/events", url.Values{
		"title": {"Recruiting staff with the person"}, "body": {"How we recruit *with* people."},
		"start": {"2031-03-30T00:30"}, "end": {"2031-03-30T03:30"}, "timezone": {"Europe/London"},
		"place_name": {"Riverside Hall"}, "place_country": {"gb"}, "capacity": {"1"}, "join_mode": {"approval"},
		"themes": {"personnel"}, "languages": {"en"}, "status": {"confirmed"}, "visibility": {"public"},
	})
	if status != http.StatusOK || !strings.Contains(body, "<em>with</em>") || !strings.Contains(body, "00:30 GMT") || !strings.Contains(body, "03:30 BST") {
		t.Fatalf("create: %d\n%s", status, body)
	}
	page := res.Request.URL.Path
	checkAccessible(t, page, body)
	if _, body = guest.get(page + "?tz=America/Toronto"); !strings.Contains(body, "20:30 EDT") {
		t.Errorf("times in the reader's zone:\n%s", body)
	}
	if _, body = guest.get(page + "?tz=Nowhere/Else"); !strings.Contains(body, "Unknown time zone") {
		t.Error("an unknown zone should be said so")
	}
	status, body, _ = host.submit(page+"/edit", page, url.Values{"title": {"x"}, "start": {"2031-03-30T05:00"}, "end": {"2031-03-30T04:00"},
		"timezone": {"Europe/London"}, "place_name": {"Hall"}, "languages": {"en"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "end: must be after the start") {
		t.Fatalf("bad edit: %d", status)
	}
	checkAccessible(t, page+"/edit", body)
	if status, body, _ = guest.submit(page, page+"/register", url.Values{}); status != http.StatusOK || !strings.Contains(body, "<strong>pending</strong>") {
		t.Fatalf("register: %d", status)
	}
	_, body = host.get(page)
	m := regexp.MustCompile(`action="(/events/[^"]+/registrations/[^"]+/accept)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "Org hillside") {
		t.Fatalf("the host should see the registration to accept:\n%s", body)
	}
	if status, body, _ = host.submit(page, m[1], url.Values{}); status != http.StatusOK || !strings.Contains(body, "1 places: 1 taken, 0 left") {
		t.Fatalf("accept: %d", status)
	}
	if _, body = guest.get(page); !strings.Contains(body, "<strong>accepted</strong>") {
		t.Error("the guest should see its registration accepted")
	}
	if status, body, _ = guest.submit(page, page+"/leave", url.Values{}); status != http.StatusOK || !strings.Contains(body, "<strong>cancelled</strong>") {
		t.Fatalf("leave: %d", status)
	}
	if status, _, _ = guest.submit(page, page+"/cancel", url.Values{}); status != http.StatusForbidden {
		t.Errorf("the guest cancelled the event: %d", status)
	}
	if status, body, _ = host.submit(page, page+"/cancel", url.Values{}); status != http.StatusOK || !strings.Contains(body, "The host cancelled this event") {
		t.Fatalf("cancel: %d", status)
	}
	if status, body, _ = guest.submit(page, page+"/register", url.Values{}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "cancelled") {
		t.Errorf("registering for a cancelled event: %d", status)
	}
	if status, _, _ = host.submit(page, page+"/delete", url.Values{}); status != http.StatusOK {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := host.get(page); status != http.StatusGone {
		t.Errorf("after delete: %d", status)
	}
}

func TestEventsPageFiltersAndNeeds(t *testing.T) {
	n := newTestNode(t)
	_, host := orgWithToken(t, n, "riverside")
	learner := newStaff(t, n, "hillside", "kim@hillside.example")
	apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(4, `, "title": "Housing options", "themes": ["housing"], "languages": ["fr"]`))
	apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(5, `, "title": "Hiring well", "themes": ["personnel"], "online_url": "",
		"place": {"name": "Hall", "country": "CA-QC"}`))
	b := newBrowser(t, n.srv.URL)
	cases := []struct{ query, want, not string }{
		{"", "Housing options", ""},
		{"?theme=housing", "Housing options", "Hiring well"},
		{"?language=fr", "Housing options", "Hiring well"},
		{"?mode=in_person", "Hiring well", "Housing options"},
		{"?country=CA", "Hiring well", "Housing options"},
		{"?country=GB", "No upcoming events match", "Hiring well"},
	}
	for _, tc := range cases {
		status, body := b.get("/events" + tc.query)
		if status != http.StatusOK || !strings.Contains(body, tc.want) || (tc.not != "" && strings.Contains(body, tc.not)) {
			t.Errorf("/events%s: %d, want %q and not %q", tc.query, status, tc.want, tc.not)
		}
		checkAccessible(t, "/events"+tc.query, body)
	}
	// Acceptance 4: a need on a theme shows the upcoming events on that theme.
	_, body, res := learner.submit("/needs/new", "/needs", url.Values{"title": {"Finding a home"}, "themes": {"housing"}, "languages": {"en"}})
	if !strings.Contains(body, "Upcoming events on these themes") || !strings.Contains(body, "Housing options") || strings.Contains(body, "Hiring well") {
		t.Fatalf("the need's page should list the housing event:\n%s", body)
	}
	_, list := apiCall(t, "GET", n.srv.URL+"/api/v1/events?need="+strings.TrimPrefix(res.Request.URL.Path, "/needs/"), "", "")
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["title"] != "Housing options" {
		t.Errorf("events for the need through the API: %v", list)
	}
	_, body = learner.get("/dashboard")
	if !strings.Contains(body, "Events that meet our needs") || !strings.Contains(body, "Housing options") {
		t.Errorf("dashboard suggestions:\n%s", body)
	}
	status, body, _ := learner.submit("/dashboard", "/dashboard/calendar", url.Values{})
	if status != http.StatusOK || !strings.Contains(body, "/orgs/hillside/events.ics?token=") {
		t.Errorf("private calendar address: %d", status)
	}
}
