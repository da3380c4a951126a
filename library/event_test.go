package library

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// newEventStore opens a store migrated with the events component too.
func newEventStore(t testing.TB) *Store {
	t.Helper()
	s := newTestStore(t)
	if err := Migrate(context.Background(), s.db, "events", EventMigrations); err != nil {
		t.Fatal(err)
	}
	return s
}

// eventIn is a valid event input starting in days days, for two hours, in Europe/London.
func eventIn(days int) EventInput {
	start := time.Now().Add(time.Duration(days) * 24 * time.Hour).Truncate(time.Hour)
	return EventInput{
		Title: ptr("Person-centred planning, in practice"), Body: ptr("How we plan **with** people."),
		Start: ptr(start.Format(time.RFC3339)), End: ptr(start.Add(2 * time.Hour).Format(time.RFC3339)),
		Timezone: ptr("Europe/London"), OnlineURL: ptr("https://meet.example/abc"),
	}
}

func TestCreateEventValidation(t *testing.T) {
	s := newEventStore(t)
	org := newTestOrg(t, s, "riverside")
	with := func(f func(*EventInput)) EventInput { in := eventIn(7); f(&in); return in }
	cases := []struct {
		name  string
		in    EventInput
		field string
	}{
		{"no title", with(func(in *EventInput) { in.Title = ptr(" ") }), "title"},
		{"no start", with(func(in *EventInput) { in.Start = nil }), "start"},
		{"bad start", with(func(in *EventInput) { in.Start = ptr("next tuesday") }), "start"},
		{"end before start", with(func(in *EventInput) { in.End, in.Start = in.Start, in.End }), "end"},
		{"end equals start", with(func(in *EventInput) { in.End = in.Start }), "end"},
		{"no time zone", with(func(in *EventInput) { in.Timezone = nil }), "timezone"},
		{"unknown time zone", with(func(in *EventInput) { in.Timezone = ptr("Mars/Olympus_Mons") }), "timezone"},
		{"local is no zone", with(func(in *EventInput) { in.Timezone = ptr("Local") }), "timezone"},
		{"negative capacity", with(func(in *EventInput) { in.Capacity = ptr(-1) }), "capacity"},
		{"huge capacity", with(func(in *EventInput) { in.Capacity = ptr(MaxCapacity + 1) }), "capacity"},
		{"nowhere", with(func(in *EventInput) { in.OnlineURL = nil }), "place"},
		{"bad link", with(func(in *EventInput) { in.OnlineURL = ptr("javascript:alert(1)") }), "online_url"},
		{"place without name", with(func(in *EventInput) { in.Place = Some(Place{Country: "GB"}) }), "place"},
		{"place in no country", with(func(in *EventInput) { in.Place = Some(Place{Name: "Hall", Country: "QQ"}) }), "place"},
		{"unknown join mode", with(func(in *EventInput) { in.JoinMode = ptr("lottery") }), "join_mode"},
		{"unknown status", with(func(in *EventInput) { in.Status = ptr("postponed") }), "status"},
		{"bad deadline", with(func(in *EventInput) { in.RegistrationDeadline = Some(*in.End + "x") }), "registration_deadline"},
		{"deadline after the event", with(func(in *EventInput) {
			in.RegistrationDeadline = Some(time.Now().Add(30 * 24 * time.Hour).Format(time.RFC3339))
		}), "registration_deadline"},
		{"unknown theme", with(func(in *EventInput) { in.Themes = &[]string{"astrology"} }), "themes"},
		{"unknown language", with(func(in *EventInput) { in.Languages = &[]string{"xx-nope"} }), "languages"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateEvent(context.Background(), org.ID, tc.in)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field {
				t.Fatalf("want a validation error on %s, got %v", tc.field, err)
			}
		})
	}
	if n, _ := s.CountEvents(context.Background(), true); n != 0 {
		t.Fatalf("%d events stored after bad input", n)
	}
}

func TestEventLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	org := newTestOrg(t, s, "riverside")
	in := eventIn(10)
	in.Start, in.End = ptr("2031-03-30T09:30"), ptr("2031-03-30T11:00:00+01:00")
	in.Place = Some(Place{Name: "Riverside Hall", Address: "1 Quay St, Bristol", Country: "gb-eng"})
	in.Languages, in.Capacity, in.JoinMode = &[]string{"en-GB"}, ptr(12), ptr("approval")
	e, err := s.CreateEvent(ctx, org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if e.APID != "https://node.example/events/"+e.ID || e.Start.Format(time.RFC3339) != "2031-03-30T09:30:00+01:00" {
		t.Errorf("IRI %s, start %s", e.APID, e.Start.Format(time.RFC3339))
	}
	if !e.End.Equal(time.Date(2031, 3, 30, 10, 0, 0, 0, time.UTC)) || e.Place.Country != "GB-ENG" || !e.InPerson() || !e.Online() {
		t.Errorf("end %v, place %+v", e.End, e.Place)
	}
	if !e.ThemesInferred || len(e.Themes) == 0 || !strings.Contains(e.ContentHTML, "<strong>with</strong>") {
		t.Errorf("themes %v (inferred %v), html %q", e.Themes, e.ThemesInferred, e.ContentHTML)
	}
	got, err := s.EventByAPID(ctx, e.APID)
	if err != nil || got.ID != e.ID || got.Org.Handle != "riverside" || got.Start.Location().String() != "Europe/London" {
		t.Fatalf("by IRI: %+v %v", got, err)
	}
	upd, err := s.UpdateEvent(ctx, e.ID, EventInput{Themes: &[]string{"housing"}, Place: Optional[Place]{Set: true}})
	if err != nil || upd.Themes[0] != "housing" || upd.ThemesInferred || upd.InPerson() || upd.Sequence != 1 {
		t.Fatalf("update: %+v %v", upd, err)
	}
	if _, err := s.UpdateEvent(ctx, e.ID, EventInput{OnlineURL: ptr("")}); !isField(err, "place") {
		t.Fatalf("removing the last way to attend: %v", err)
	}
	c, err := s.CancelEvent(ctx, e.ID)
	if err != nil || !c.Cancelled() || c.Sequence != 2 {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	if err := s.DeleteEvent(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Event(ctx, e.ID); !errors.Is(err, ErrGone) {
		t.Fatalf("after delete: %v, want ErrGone", err)
	}
	if _, err := s.Event(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
}

func isField(err error, field string) bool {
	var ve *ValidationError
	return errors.As(err, &ve) && ve.Field == field
}

func TestEventQueries(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	host := newTestOrg(t, s, "riverside")
	mk := func(title string, f func(*EventInput)) *Event {
		in := eventIn(3)
		in.Title = ptr(title)
		f(&in)
		e, err := s.CreateEvent(ctx, host.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	mk("online housing", func(in *EventInput) { in.Themes, in.Languages = &[]string{"housing"}, &[]string{"fr-CA"} })
	mk("in person in Scotland", func(in *EventInput) {
		in.OnlineURL, in.Place, in.Themes = ptr(""), Some(Place{Name: "Hall", Country: "GB-SCT"}), &[]string{"personnel"}
	})
	mk("cancelled", func(in *EventInput) { in.Status, in.Themes = ptr("cancelled"), &[]string{"housing"} })
	mk("past", func(in *EventInput) { in.Start, in.End = ptr("2020-01-01T10:00:00Z"), ptr("2020-01-01T11:00:00Z") })
	now := time.Now()
	cases := []struct {
		name string
		q    EventQuery
		want string
	}{
		{"upcoming", EventQuery{EndsAfter: now}, "online housing,in person in Scotland,cancelled"},
		{"theme", EventQuery{EndsAfter: now, AnyTheme: []string{"housing"}, ExcludeCancelled: true}, "online housing"},
		{"language base", EventQuery{EndsAfter: now, Language: "fr"}, "online housing"},
		{"online", EventQuery{EndsAfter: now, Mode: "online"}, "online housing,cancelled"},
		{"in person", EventQuery{Mode: "in_person"}, "in person in Scotland"},
		{"country holds its regions", EventQuery{Country: "gb"}, "in person in Scotland"},
		{"other country", EventQuery{Country: "CA"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Events(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, e := range got {
				titles = append(titles, e.Title)
			}
			if strings.Join(titles, ",") != tc.want {
				t.Errorf("got %q, want %q", strings.Join(titles, ","), tc.want)
			}
		})
	}
}

func TestEventsMeetingNeeds(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	host, learner := newTestOrg(t, s, "riverside"), newTestOrg(t, s, "hillside")
	if _, err := s.CreateListing(ctx, Need, learner.ID, ListingInput{Title: ptr("Finding homes"), Themes: &[]string{"housing"}}); err != nil {
		t.Fatal(err)
	}
	for _, th := range []string{"housing", "personnel"} {
		in := eventIn(5)
		in.Title, in.Themes = ptr("On "+th), &[]string{th}
		if _, err := s.CreateEvent(ctx, host.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	sugs, err := s.EventsMeetingNeeds(ctx, learner.ID, 10)
	if err != nil || len(sugs) != 1 || sugs[0].Event.Title != "On housing" || sugs[0].Needs[0].Title != "Finding homes" {
		t.Fatalf("suggestions: %+v %v", sugs, err)
	}
	if own, _ := s.EventsMeetingNeeds(ctx, host.ID, 10); len(own) != 0 {
		t.Errorf("an organisation without needs got %d suggestions", len(own))
	}
}

func TestRemoteEventCopy(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	remote, err := s.UpsertRemoteOrganization(ctx, &Organization{APID: "https://far.example/orgs/lakeside", Handle: "lakeside", Domain: "far.example", Name: "Lakeside"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(48 * time.Hour)
	e := &Event{APID: "https://far.example/events/1", OrgID: remote.ID, Title: "Remote session", Start: start,
		Timezone: "Nowhere/Atlantis", Status: "weird", ContentHTML: `<p onclick="x()">hi</p><script>x()</script>`, Capacity: 5, ParticipantCount: 2}
	if _, err := s.UpsertRemoteEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, err := s.EventByAPID(ctx, "https://far.example/events/1")
	if err != nil || got.Local || got.Timezone != "UTC" || got.Status != "confirmed" || strings.Contains(got.ContentHTML, "script") ||
		!got.End.After(got.Start) || got.RemainingCapacity() != 3 {
		t.Fatalf("remote copy: %+v %v", got, err)
	}
	again := *got
	again.ID, again.Title, again.Sequence = "", "Renamed", -1 // a host that does not say its sequence
	if _, err := s.UpsertRemoteEvent(ctx, &again); err != nil || again.ID != got.ID || again.Sequence != 1 {
		t.Fatalf("refresh: %+v %v", again, err)
	}
	said := *got
	said.ID, said.Sequence = "", 7 // a host that says it: the copy keeps the host's
	if _, err := s.UpsertRemoteEvent(ctx, &said); err != nil || said.Sequence != 7 {
		t.Fatalf("refresh with the host's sequence: %+v %v", said, err)
	}
	other := newTestOrg(t, s, "riverside")
	thief := *got
	thief.OrgID = other.ID
	if _, err := s.UpsertRemoteEvent(ctx, &thief); !errors.Is(err, ErrForbidden) {
		t.Fatalf("another actor took over the event: %v", err)
	}
	if err := s.PurgeDomain(ctx, "far.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EventByAPID(ctx, "https://far.example/events/1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after purge: %v", err)
	}
}

func TestEventTimesAreStoredInUTC(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	org := newTestOrg(t, s, "riverside")
	in := eventIn(3)
	in.Timezone, in.Start, in.End = ptr("Pacific/Auckland"), ptr("2031-04-06T02:30"), ptr("2031-04-06T04:00")
	e, err := s.CreateEvent(ctx, org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	remote, _ := s.UpsertRemoteOrganization(ctx, &Organization{APID: "https://far.example/orgs/a", Handle: "a", Domain: "far.example", Name: "A"})
	loc, _ := time.LoadLocation("America/Toronto")
	if _, err := s.UpsertRemoteEvent(ctx, &Event{APID: "https://far.example/events/1", OrgID: remote.ID, Title: "R",
		Start: time.Date(2031, 3, 9, 1, 30, 0, 0, loc), Timezone: "America/Toronto"}); err != nil {
		t.Fatal(err)
	}
	var starts []string
	if err := s.db.Raw(`SELECT CAST(starts_at AS TEXT) FROM events ORDER BY starts_at`).Scan(&starts).Error; err != nil {
		t.Fatal(err)
	}
	// SQLite keeps the offset in the text; PostgreSQL's TIMESTAMP has none,
	// so the wall clock stored must be UTC's.
	want := []string{"2031-03-09 06:30:00", "2031-04-05 13:30:00"}
	for i, v := range starts {
		utc := strings.Contains(v, "+00:00") || strings.HasSuffix(v, "Z") || IsPostgres(s.db)
		if i >= len(want) || !strings.HasPrefix(v, want[i]) || !utc {
			t.Errorf("stored start %q is not in UTC", v)
		}
	}
	if e.Start.Format(time.RFC3339) != "2031-04-06T02:30:00+13:00" {
		t.Errorf("wall-clock start in Auckland: %s", e.Start.Format(time.RFC3339))
	}
}
