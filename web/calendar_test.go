package web

import (
	"context"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/citizen-network/commonplace/library"
)

// fetchCalendar gets an iCalendar document, checks its lines, and parses it.
func fetchCalendar(t *testing.T, url string) (*ics.Calendar, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, res.Header.Get("Content-Type"))
	}
	body := string(raw)
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(line) > 75 || strings.Contains(line, "\n") {
			t.Errorf("line %d is not a folded, CRLF-ended content line: %q", i+1, line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse %s: %v\n%s", url, err, body)
	}
	return cal, body
}

func prop(c *ics.ComponentBase, p ics.ComponentProperty) string {
	if v := c.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestCalendarRoundTripsAcrossDaylightSaving(t *testing.T) {
	n := newTestNode(t)
	org, _ := orgWithToken(t, n, "riverside")
	cases := []struct{ name, zone, start, end string }{
		{"London, clocks go forward", "Europe/London", "2031-03-30T00:30:00Z", "2031-03-30T02:30:00Z"},
		{"London, the second 01:30", "Europe/London", "2031-10-26T01:30:00Z", "2031-10-26T03:00:00Z"},
		{"London, the first 01:30", "Europe/London", "2031-10-26T00:30:00Z", "2031-10-26T02:00:00Z"},
		{"Toronto, clocks go forward", "America/Toronto", "2031-03-09T06:30:00Z", "2031-03-09T07:30:00Z"},
		{"Toronto, clocks go back", "America/Toronto", "2031-11-02T04:30:00Z", "2031-11-02T07:00:00Z"},
		{"Auckland, clocks go back", "Pacific/Auckland", "2031-04-05T13:30:00Z", "2031-04-05T15:30:00Z"},
		{"Auckland, clocks go forward", "Pacific/Auckland", "2031-09-27T13:30:00Z", "2031-09-27T14:30:00Z"},
		{"a zone without changes", "Asia/Kolkata", "2031-06-01T04:00:00Z", "2031-06-01T05:00:00Z"},
	}
	ids := map[string]string{}
	for _, tc := range cases {
		e, err := n.store.CreateEvent(context.Background(), org.ID, library.EventInput{Title: &tc.name, Start: &tc.start, End: &tc.end,
			Timezone: &tc.zone, OnlineURL: ptrTo("https://meet.example/x")})
		if err != nil {
			t.Fatal(err)
		}
		ids[tc.name] = e.APID
	}
	whole, _ := fetchCalendar(t, n.srv.URL+"/events.ics")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := ids[tc.name][strings.LastIndex(ids[tc.name], "/")+1:]
			one, _ := fetchCalendar(t, n.srv.URL+"/events/"+id+".ics")
			for _, cal := range []*ics.Calendar{one, whole} {
				v := findEvent(t, cal, ids[tc.name])
				checkTime(t, cal, v, ics.ComponentPropertyDtStart, tc.start)
				checkTime(t, cal, v, ics.ComponentPropertyDtEnd, tc.end)
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

func findEvent(t *testing.T, cal *ics.Calendar, uid string) *ics.VEvent {
	t.Helper()
	for _, v := range cal.Events() {
		if v.Id() == uid {
			if prop(&v.ComponentBase, ics.ComponentPropertyDtstamp) == "" {
				t.Errorf("%s has no DTSTAMP", uid)
			}
			return v
		}
	}
	t.Fatalf("no VEVENT with UID %s", uid)
	return nil
}

// checkTime reads a time back twice: as the library does (by TZID, from the
// Go zone database) and from the calendar's own VTIMEZONE definition.
func checkTime(t *testing.T, cal *ics.Calendar, v *ics.VEvent, p ics.ComponentProperty, want string) {
	t.Helper()
	wantT, _ := time.Parse(time.RFC3339, want)
	var got time.Time
	var err error
	if p == ics.ComponentPropertyDtStart {
		got, err = v.GetStartAt()
	} else {
		got, err = v.GetEndAt()
	}
	if err != nil || !got.Equal(wantT) {
		t.Errorf("%s read back as %v (%v), want %v", p, got, err, wantT)
	}
	tzid := v.GetProperty(p).ICalParameters["TZID"]
	if len(tzid) == 0 {
		return
	}
	if byVTZ := resolveByVTimezone(t, cal, tzid[0], v.GetProperty(p).Value); !byVTZ.Equal(wantT) {
		t.Errorf("%s by the VTIMEZONE of %s: %v, want %v", p, tzid[0], byVTZ, wantT)
	}
}

// resolveByVTimezone reads a wall-clock time by the calendar's VTIMEZONE, as
// RFC 5545 says: by the observance in force at that time, and, when the wall
// clock shows the time twice, the first of the two instants.
func resolveByVTimezone(t *testing.T, cal *ics.Calendar, tzid, wall string) time.Time {
	t.Helper()
	local, err := time.Parse("20060102T150405", wall)
	if err != nil {
		t.Fatal(err)
	}
	type period struct {
		onset time.Time
		to    int
	}
	var periods []period
	for _, tz := range cal.Timezones() {
		if prop(&tz.ComponentBase, ics.ComponentPropertyTzid) != tzid {
			continue
		}
		for _, sub := range tz.Components {
			base := observanceBase(sub)
			onsetWall, _ := time.Parse("20060102T150405", prop(base, ics.ComponentPropertyDtStart))
			from := parseOffset(t, prop(base, ics.ComponentProperty(ics.PropertyTzoffsetfrom)))
			to := parseOffset(t, prop(base, ics.ComponentProperty(ics.PropertyTzoffsetto)))
			periods = append(periods, period{onsetWall.Add(-time.Duration(from) * time.Second), to})
		}
	}
	sort.Slice(periods, func(i, j int) bool { return periods[i].onset.Before(periods[j].onset) })
	for i, p := range periods {
		instant := local.Add(-time.Duration(p.to) * time.Second)
		if !instant.Before(p.onset) && (i+1 == len(periods) || instant.Before(periods[i+1].onset)) {
			return instant // the periods are in order, so the first found is the earliest
		}
	}
	t.Fatalf("no observance of %s covers %s", tzid, wall)
	return time.Time{}
}

func observanceBase(c ics.Component) *ics.ComponentBase {
	switch o := c.(type) {
	case *ics.Standard:
		return &o.ComponentBase
	case *ics.Daylight:
		return &o.ComponentBase
	}
	return &ics.ComponentBase{}
}

func parseOffset(t *testing.T, s string) int {
	t.Helper()
	if len(s) < 5 {
		t.Fatalf("UTC offset %q", s)
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	sec := h*3600 + m*60
	if s[0] == '-' {
		return -sec
	}
	return sec
}

func TestCalendarCancellationAndPrivateFeed(t *testing.T) {
	n := newTestNode(t)
	_, host := orgWithToken(t, n, "riverside")
	guestOrg, guest := orgWithToken(t, n, "hillside")
	_, ev := apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(5, `, "title": "Risk, and enablement; a session"`))
	id, uid := ev["id"].(string), ev["ap_id"].(string)
	cal, body := fetchCalendar(t, n.srv.URL+"/events/"+id+".ics")
	v := findEvent(t, cal, uid)
	if s := prop(&v.ComponentBase, ics.ComponentPropertyStatus); s != "CONFIRMED" || prop(&v.ComponentBase, ics.ComponentPropertySequence) != "0" {
		t.Fatalf("before cancelling: %s\n%s", s, body)
	}
	if !strings.Contains(body, `SUMMARY:Risk\, and enablement\; a session`) || !strings.Contains(body, "VERSION:2.0") || !strings.Contains(body, "PRODID:") {
		t.Errorf("escaping or headers:\n%s", body)
	}
	apiCall(t, "PATCH", n.srv.URL+"/api/v1/events/"+id, host, `{"status": "cancelled"}`)
	cal, _ = fetchCalendar(t, n.srv.URL+"/events.ics")
	v = findEvent(t, cal, uid)
	if prop(&v.ComponentBase, ics.ComponentPropertyStatus) != "CANCELLED" || prop(&v.ComponentBase, ics.ComponentPropertySequence) != "1" {
		t.Fatalf("after cancelling: %s %s", prop(&v.ComponentBase, ics.ComponentPropertyStatus), prop(&v.ComponentBase, ics.ComponentPropertySequence))
	}

	feed := n.srv.URL + "/orgs/hillside/events.ics"
	for _, u := range []string{feed, feed + "?token=wrong"} {
		if res, err := http.Get(u); err != nil || res.StatusCode != http.StatusNotFound {
			t.Fatalf("%s without its token: %v %v", u, res.StatusCode, err)
		}
	}
	_, ev2 := apiCall(t, "POST", n.srv.URL+"/api/v1/events", host, eventJSON(6, ""))
	if _, _, err := n.store.Register(context.Background(), ev2["id"].(string), guestOrg.ID, ""); err != nil {
		t.Fatal(err)
	}
	status, res := apiCall(t, "POST", n.srv.URL+"/api/v1/calendar", guest, "")
	if status != http.StatusCreated || !strings.HasPrefix(res["url"].(string), feed+"?token=") {
		t.Fatalf("calendar URL: %d %v", status, res)
	}
	cal, body = fetchCalendar(t, res["url"].(string))
	if len(cal.Events()) != 1 || cal.Events()[0].Id() != ev2["ap_id"] || !strings.Contains(body, "Your registration: accepted") {
		t.Fatalf("private feed:\n%s", body)
	}
}
