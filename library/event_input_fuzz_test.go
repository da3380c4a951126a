package library

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// fuzzZones have summer time, a half-hour offset, none, and the far side of the date line.
var fuzzZones = []string{"Europe/London", "America/Toronto", "Australia/Adelaide", "UTC", "Pacific/Kiritimati"}

// FuzzParseEventTime reads an event time in a zone. Properties: a time read
// writes out as RFC 3339 and reads back to the same instant; a wall-clock
// time shows that wall clock in the zone unless the clocks skipped it, and
// is the first of the two instants when they went back; a refusal names the field.
func FuzzParseEventTime(f *testing.F) {
	for _, s := range []string{"2026-05-04T10:00", "2026-05-04T10:00:00", "2026-10-25T01:30", "2026-03-29T01:30",
		"2026-12-01T10:00:00+01:00", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00.123456789-05:30", " 2026-01-01T00:00 ", "next tuesday"} {
		f.Add(s, uint8(0), "Europe/London")
	}
	f.Fuzz(func(t *testing.T, v string, zone uint8, name string) {
		if loc, err := LoadZone(name); err == nil && loc.String() != strings.TrimSpace(name) {
			t.Fatalf("zone %q loaded as %q", name, loc)
		} else if err != nil {
			checkRefusal(t, err, "timezone")
		}
		loc, _ := time.LoadLocation(fuzzZones[int(zone)%len(fuzzZones)])
		got, err := parseEventTime("start", v, loc)
		if err != nil {
			checkRefusal(t, err, "start")
			return
		}
		again, err := parseEventTime("start", got.Format(time.RFC3339Nano), loc)
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q read as %v, which reads back as %v (%v)", v, got, again, err)
		}
		for _, layout := range localTimeLayouts {
			wall, err := time.ParseInLocation(layout, strings.TrimSpace(v), loc)
			if err != nil {
				continue
			}
			if shown := got.In(loc).Format(layout); shown != strings.TrimSpace(v) && wall.In(loc).Format(layout) == strings.TrimSpace(v) {
				t.Fatalf("%q in %s shows %q", v, loc, shown)
			}
			if got.After(wall) {
				t.Fatalf("%q in %s read as %v, after %v", v, loc, got, wall)
			}
		}
	})
}

// validEventJSON is a complete event, as a client sends it.
const validEventJSON = `{"title":"Person-centred planning, in practice","body":"How we plan **with** people.",
"start":"2026-12-01T10:00","end":"2026-12-01T12:00","timezone":"Europe/London","online_url":"https://meet.example/abc",
"place":{"name":"Hall","address":"1 High St","country":"GB"},"capacity":30,"join_mode":"approval",
"registration_deadline":"2026-11-30T18:00:00Z","status":"confirmed","visibility":"public","languages":["en"]}`

var eventFields = []string{"title", "body", "start", "end", "timezone", "online_url", "place", "themes", "languages",
	"capacity", "join_mode", "registration_deadline", "status", "visibility"}

// FuzzEventInput decodes an API body as an event and applies it, as a
// creation and as an update of a valid event. Properties: a refusal names a
// JSON field and leaves the event as it was; an accepted event has a title,
// ends after it starts, has a place or a link, a capacity in range, known
// choices, languages and themes, a deadline before the end, and safe HTML.
func FuzzEventInput(f *testing.F) {
	f.Add([]byte(validEventJSON))
	f.Add([]byte(`{"title":"x","start":"2026-12-01T10:00:00Z","end":"2026-12-01T09:00:00Z","timezone":"UTC","online_url":"javascript:alert(1)"}`))
	f.Add([]byte(`{"place":null,"registration_deadline":null,"capacity":-1,"themes":["astrology"]}`))
	f.Add([]byte(`{"body":"<script>alert(1)</script>","place":{"name":"x","extra":1}}`))
	var base Event
	var in EventInput
	if !decodeStrict([]byte(validEventJSON), &in) || in.apply(&base, "en", true) != nil {
		f.Fatal("the valid event does not apply")
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in EventInput
		if !decodeStrict(body, &in) {
			return
		}
		for _, creating := range []bool{true, false} {
			e := base
			if creating {
				e = Event{}
			}
			before := snapshot(t, e)
			if err := in.apply(&e, "en", creating); err != nil {
				checkRefusal(t, err, eventFields...)
				if snapshot(t, e) != before {
					t.Fatal("a refused input changed the event")
				}
				continue
			}
			checkEvent(t, &e)
		}
	})
}

func checkEvent(t *testing.T, e *Event) {
	t.Helper()
	checkTitle(t, e.Title)
	checkLists(t, e.Languages, nil, e.Themes)
	checkSafeHTML(t, "event", e.ContentHTML)
	switch {
	case !e.End.After(e.Start):
		t.Fatalf("ends %v, starts %v", e.End, e.Start)
	case e.OnlineURL == "" && e.Place.IsZero():
		t.Fatal("neither online nor anywhere")
	case e.Capacity < 0 || e.Capacity > MaxCapacity:
		t.Fatalf("capacity %d", e.Capacity)
	case e.JoinMode != "" && !slices.Contains(JoinModes, e.JoinMode),
		e.Status != "" && !slices.Contains(EventStatuses, e.Status),
		e.Visibility != "" && !slices.Contains(Visibilities, e.Visibility):
		t.Fatalf("choices %q %q %q", e.JoinMode, e.Status, e.Visibility)
	case e.RegistrationDeadline != nil && e.RegistrationDeadline.After(e.End):
		t.Fatal("deadline after the end")
	case e.OnlineURL != "" && !strings.HasPrefix(e.OnlineURL, "https://") && !strings.HasPrefix(e.OnlineURL, "http://"):
		t.Fatalf("online link %q", e.OnlineURL)
	}
	if _, err := LoadZone(e.Timezone); err != nil {
		t.Fatalf("zone %q", e.Timezone)
	}
	if _, err := json.Marshal(e); err != nil {
		t.Fatalf("accepted event does not encode: %v", err)
	}
}
