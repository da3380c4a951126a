package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// calendarWindow keeps events that ended recently in the feeds: a calendar
// deletes what disappears from a subscription, and people keep past sessions.
const calendarWindow = 30 * 24 * time.Hour

const (
	icalLocal = "20060102T150405"
	icalUTC   = "20060102T150405Z"
)

// eventsICS is the node's calendar: upcoming events, local and federated.
func (s *Server) eventsICS(c echo.Context) error {
	events, err := s.store.Events(c.Request().Context(), library.EventQuery{EndsAfter: time.Now().Add(-calendarWindow), Viewer: viewer(c), Limit: 1000})
	if err != nil {
		return err
	}
	return s.writeCalendar(c, "Commonplace events", events, nil)
}

// eventICS is one event's calendar.
func (s *Server) eventICS(c echo.Context, e *library.Event) error {
	return s.writeCalendar(c, e.Title, []library.Event{*e}, nil)
}

// orgEventsICS is an organisation's private calendar: the events it
// registered for and those it hosts. A wrong token is a 404, like no feed.
func (s *Server) orgEventsICS(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := s.store.OrganizationByHandle(ctx, c.Param("handle"))
	if err != nil {
		return err
	}
	if err := s.store.CheckCalendarToken(ctx, org.ID, c.QueryParam("token")); err != nil {
		return err
	}
	since := time.Now().Add(-calendarWindow)
	regs, err := s.store.OrgRegistrations(ctx, org.ID, since)
	if err != nil {
		return err
	}
	// The calendar's token speaks for the organisation, as its staff would.
	hosted, err := s.store.Events(ctx, library.EventQuery{OrgID: org.ID, EndsAfter: since, Viewer: library.MemberViewer(org.ID), Limit: 1000})
	if err != nil {
		return err
	}
	notes := map[string]string{}
	events := hosted
	for _, h := range hosted {
		notes[h.ID] = "You host this event."
	}
	for _, r := range regs {
		if r.Event != nil {
			events = append(events, *r.Event)
			notes[r.Event.ID] = "Your registration: " + r.Status + "."
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Start.Before(events[j].Start) })
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return s.writeCalendar(c, org.Name+": events", events, notes)
}

// writeCalendar answers with events as an RFC 5545 calendar; notes add a line
// to the description of the events they name.
func (s *Server) writeCalendar(c echo.Context, name string, events []library.Event, notes map[string]string) error {
	cal := buildCalendar(name, s.cfg.Version, events, notes)
	c.Response().Header().Set(echo.HeaderContentType, "text/calendar; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return cal.SerializeTo(c.Response(), ics.WithNewLineWindows)
}

// buildCalendar makes the calendar of events, with a VTIMEZONE for each time
// zone its times are written in.
func buildCalendar(name, version string, events []library.Event, notes map[string]string) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Citizen Network//Commonplace " + version + "//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName(name)
	spans := map[string][2]time.Time{}
	var vevents []*ics.VEvent
	for i := range events {
		e := &events[i]
		vevents = append(vevents, vevent(e, notes[e.ID]))
		if zoned(e) {
			span, ok := spans[e.Timezone]
			if !ok || e.Start.Before(span[0]) {
				span[0] = e.Start
			}
			if !ok || e.End.After(span[1]) {
				span[1] = e.End
			}
			spans[e.Timezone] = span
		}
	}
	zones := make([]string, 0, len(spans))
	for z := range spans {
		zones = append(zones, z)
	}
	sort.Strings(zones)
	for _, z := range zones {
		cal.AddVTimezone(vtimezone(z, spans[z][0], spans[z][1]))
	}
	for _, v := range vevents {
		cal.AddVEvent(v)
	}
	return cal
}

// zoned reports whether an event's times are written with its TZID.
func zoned(e *library.Event) bool { return e.Timezone != "UTC" && e.Timezone != "Etc/UTC" }

// vevent is one event. Its UID is its IRI, the same on every node, so a
// calendar that hears of it twice keeps one.
func vevent(e *library.Event, note string) *ics.VEvent {
	v := ics.NewEvent(e.APID)
	v.SetDtStampTime(e.UpdatedAt)
	v.SetCreatedTime(e.CreatedAt)
	v.SetModifiedAt(e.UpdatedAt)
	v.SetSequence(e.Sequence)
	setTime(v, ics.ComponentPropertyDtStart, e, e.Start)
	setTime(v, ics.ComponentPropertyDtEnd, e, e.End)
	v.SetSummary(icsText(e.Title))
	if st, ok := icsStatus[e.Status]; ok {
		v.SetStatus(st)
	}
	if e.URL != "" {
		v.SetURL(e.URL)
	}
	if loc := eventLocation(e); loc != "" {
		v.SetLocation(icsText(loc))
	}
	v.SetDescription(icsText(eventDescription(e, note)))
	for _, t := range e.Themes {
		v.AddCategory(icsText(themeName(t)))
	}
	return v
}

var icsStatus = map[string]ics.ObjectStatus{
	"confirmed": ics.ObjectStatusConfirmed, "tentative": ics.ObjectStatusTentative, "cancelled": ics.ObjectStatusCancelled,
}

// setTime writes a time in the event's zone with its TZID, except a time the
// zone's wall clock shows twice (when clocks go back): RFC 5545 (3.3.5) reads
// such a TZID time as the first of the two, Go's time package (and so
// golang-ical) as either, so it is written in UTC, which every reader agrees on.
func setTime(v *ics.VEvent, prop ics.ComponentProperty, e *library.Event, t time.Time) {
	local := t.In(e.Location())
	if !zoned(e) || ambiguous(local) {
		v.SetProperty(prop, t.UTC().Format(icalUTC))
		return
	}
	v.SetProperty(prop, local.Format(icalLocal), ics.WithTZID(e.Timezone))
}

// ambiguous reports whether t's wall-clock time also names another instant in its zone.
func ambiguous(t time.Time) bool {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	byWall := time.Date(y, mo, d, h, mi, s, t.Nanosecond(), t.Location())
	return !byWall.Equal(t) || !library.FirstWallClock(t).Equal(t)
}

func eventLocation(e *library.Event) string {
	var parts []string
	for _, p := range []string{e.Place.Name, e.Place.Address, e.Place.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return e.OnlineURL
	}
	return strings.Join(parts, ", ")
}

func eventDescription(e *library.Event, note string) string {
	var b strings.Builder
	if e.Cancelled() {
		b.WriteString("CANCELLED.\n\n")
	}
	if note != "" {
		b.WriteString(note + "\n\n")
	}
	b.WriteString(strings.TrimSpace(library.PlainText(e.ContentHTML)))
	if e.OnlineURL != "" {
		fmt.Fprintf(&b, "\n\nJoin online: %s", e.OnlineURL)
	}
	if e.Org != nil {
		fmt.Fprintf(&b, "\n\nHosted by %s.", e.Org.Name)
	}
	if e.URL != "" {
		fmt.Fprintf(&b, "\nDetails and registration: %s", e.URL)
	}
	return b.String()
}

// themeName is a theme's English label.
func themeName(slug string) string {
	if t, ok := themes.Lookup(slug); ok {
		return t.Label("en")
	}
	return slug
}

// icsText drops carriage returns, which iCalendar text cannot carry.
func icsText(s string) string { return strings.ReplaceAll(s, "\r", "") }

// vtimezone describes a zone from the Go time zone database: the observance
// in force at from, and every change of offset until to, each as its own
// STANDARD or DAYLIGHT component (RFC 5545, 3.6.5).
func vtimezone(name string, from, to time.Time) *ics.VTimezone {
	tz := ics.NewTimezone(name)
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	t := from.In(loc).AddDate(-1, 0, 0)
	start, end := t.ZoneBounds()
	_, prevOffset := start.Add(-time.Second).Zone()
	if start.IsZero() {
		start = time.Date(1970, 1, 1, 0, 0, 0, 0, loc)
		_, prevOffset = t.Zone()
	}
	tz.Components = append(tz.Components, observance(start, prevOffset))
	limit := to.In(loc).AddDate(1, 0, 0)
	for !end.IsZero() && end.Before(limit) {
		_, off := t.Zone()
		t = end
		tz.Components = append(tz.Components, observance(t, off))
		_, end = t.ZoneBounds()
	}
	return tz
}

// observance is the period of a zone that begins at t, coming from offset from.
func observance(t time.Time, from int) ics.Component {
	name, to := t.Zone() // the onset is written in the wall-clock time it had before
	base := ics.ComponentBase{}
	base.SetProperty(ics.ComponentPropertyDtStart, t.UTC().Add(time.Duration(from)*time.Second).Format(icalLocal))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(from))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(to))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	if t.IsDST() {
		return &ics.Daylight{ComponentBase: base}
	}
	return &ics.Standard{ComponentBase: base}
}

// utcOffset formats seconds east of UTC as iCalendar's UTC-OFFSET, like +0130.
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	if s := sec % 60; s != 0 {
		return fmt.Sprintf("%s%02d%02d%02d", sign, sec/3600, sec%3600/60, s)
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}
