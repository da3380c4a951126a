package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// EventServer is what an ObjectServer also implements to answer ActivityPub
// requests for events; web asks for it by type assertion, so federation can
// add it without changing ObjectServer.
type EventServer interface {
	ServeEvent(c echo.Context, e *library.Event) error
}

// commonZones are offered in the time zone choices, with the event's own.
var commonZones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Brussels", "Europe/Amsterdam",
	"Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw", "Europe/Helsinki",
	"Europe/Athens", "Europe/Bucharest", "Africa/Lagos", "Africa/Johannesburg", "Africa/Nairobi", "Asia/Kolkata",
	"Asia/Singapore", "Asia/Hong_Kong", "Asia/Tokyo", "Australia/Perth", "Australia/Adelaide", "Australia/Sydney",
	"Pacific/Auckland", "America/St_Johns", "America/Halifax", "America/Toronto", "America/New_York",
	"America/Chicago", "America/Winnipeg", "America/Edmonton", "America/Denver", "America/Vancouver",
	"America/Los_Angeles", "America/Mexico_City", "America/Sao_Paulo",
}

func zonesWith(extra ...string) []string {
	out := append([]string{}, commonZones...)
	for _, z := range extra {
		if z != "" && !containsString(out, z) {
			out = append(out, z)
		}
	}
	return out
}

// eventFilter is what the events page is filtered by, shown back in its form.
type eventFilter struct {
	Theme, Language, Mode, Country string
}

// query is the filter as a query string, for the pager's links.
func (f eventFilter) query(page int) string {
	v := url.Values{}
	for k, x := range map[string]string{"theme": f.Theme, "language": f.Language, "mode": f.Mode, "country": f.Country} {
		if x != "" {
			v.Set(k, x)
		}
	}
	v.Set("page", itoa(page))
	return "?" + v.Encode()
}

func (s *Server) eventsPage(c echo.Context) error {
	q, err := s.filterFrom(c)
	if err != nil {
		return err
	}
	page := max(atoi(c.QueryParam("page")), 1)
	q.Limit, q.Offset = pageSize+1, (page-1)*pageSize
	items, err := s.store.Events(c.Request().Context(), q)
	if err != nil {
		return err
	}
	f := eventFilter{c.QueryParam("theme"), c.QueryParam("language"), q.Mode, c.QueryParam("country")}
	data := map[string]any{"Items": items, "Filter": f, "Topics": themes.ByKind(themes.KindTopic)}
	if len(items) > pageSize {
		data["Items"], data["Next"] = items[:pageSize], f.query(page+1)
	}
	if page > 1 {
		data["Prev"] = f.query(page - 1)
	}
	return s.render(c, http.StatusOK, "events", "Events", data)
}

// eventPage serves an event as HTML, as ActivityStreams JSON, or, for
// /events/{id}.ics, as iCalendar.
func (s *Server) eventPage(c echo.Context) error {
	id, isICS := strings.CutSuffix(c.Param("id"), ".ics")
	if ap, ok := s.objects.(EventServer); ok && !isICS && s.objects.WantsActivity(c.Request()) {
		return s.eventActivity(c, ap, id)
	}
	e, err := s.shownEvent(c, id)
	switch {
	case err != nil:
		return err
	case isICS:
		return s.eventICS(c, e)
	}
	data, err := s.eventPageData(c, e)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "event", e.Title, data)
}

// eventActivity answers the event in ActivityStreams; federation decides who may read it.
func (s *Server) eventActivity(c echo.Context, ap EventServer, id string) error {
	ctx := c.Request().Context()
	e, err := s.store.Event(ctx, id)
	if errors.Is(err, library.ErrGone) {
		d, derr := s.store.DeletedEvent(ctx, id)
		if derr != nil {
			return derr
		}
		return s.objects.ServeGone(c, d.APID, "Event", d.DeletedAt.Time)
	}
	if err != nil {
		return err
	}
	if err := movedAway(e); err != nil {
		return err
	}
	return ap.ServeEvent(c, e)
}

// eventPageData is what the event page shows to the reader, in the time zone
// the reader chose (?tz=), the event's own by default.
func (s *Server) eventPageData(c echo.Context, e *library.Event) (map[string]any, error) {
	loc := e.Location()
	data := map[string]any{"Event": e}
	if tz := c.QueryParam("tz"); tz != "" {
		if l, err := library.LoadZone(tz); err == nil {
			loc = l
		} else {
			data["ZoneError"] = "Unknown time zone " + tz + "; the times are in the event's own."
		}
	}
	start, end := e.Start.In(loc), e.End.In(loc)
	data["Start"], data["End"] = start.Format("Monday 2 January 2006, 15:04 MST"), end.Format("15:04 MST")
	if start.Format("2006-01-02") != end.Format("2006-01-02") {
		data["End"] = end.Format("Monday 2 January 2006, 15:04 MST")
	}
	data["StartISO"], data["EndISO"] = e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339)
	data["Zone"], data["Zones"] = loc.String(), zonesWith(e.Timezone, loc.String())
	if d := e.RegistrationDeadline; d != nil {
		data["Deadline"] = d.In(loc).Format("Monday 2 January 2006, 15:04 MST")
	}
	if e.Capacity > 0 {
		data["Remaining"] = e.RemainingCapacity()
	}
	if err := s.addViewerData(c, e, data); err != nil {
		return nil, err
	}
	return data, nil
}

// addViewerData adds what the logged-in reader may do: register or leave, or,
// for the host, manage the event and its registrations.
func (s *Server) addViewerData(c echo.Context, e *library.Event, data map[string]any) error {
	a := account(c)
	if a == nil {
		return nil
	}
	ctx := c.Request().Context()
	if a.CanEdit(e.OrgID) && e.Local {
		regs, err := s.store.Registrations(ctx, e.ID)
		if err != nil {
			return err
		}
		counts, err := s.store.RegistrationCounts(ctx, e.ID)
		if err != nil {
			return err
		}
		data["CanEdit"], data["Registrations"], data["Counts"] = true, regs, counts
	}
	if a.OrgID == nil || *a.OrgID == e.OrgID {
		return nil
	}
	data["CanRegister"] = true
	r, err := s.store.RegistrationFor(ctx, e.ID, *a.OrgID)
	if err == nil {
		data["Mine"] = r
	} else if !errors.Is(err, library.ErrNotFound) {
		return err
	}
	return nil
}

// eventError shows the event page again with a message, for a refused action.
func (s *Server) eventError(c echo.Context, e *library.Event, err error) error {
	if !errors.Is(err, library.ErrInvalid) && !errors.Is(err, library.ErrConflict) {
		return err
	}
	data, derr := s.eventPageData(c, e)
	if derr != nil {
		return derr
	}
	status, msg := statusOf(err)
	data["Error"] = msg
	return s.render(c, status, "event", e.Title, data)
}

// registerForm registers the logged-in reader's organisation.
func (s *Server) registerForm(c echo.Context) error {
	return s.registrationForm(c, func(e *library.Event, orgID string) error {
		_, _, err := s.store.Register(c.Request().Context(), e.ID, orgID, "")
		return err
	})
}

// leaveForm withdraws the logged-in reader's organisation.
func (s *Server) leaveForm(c echo.Context) error {
	return s.registrationForm(c, func(e *library.Event, orgID string) error {
		_, err := s.store.Leave(c.Request().Context(), e.ID, orgID)
		return err
	})
}

func (s *Server) registrationForm(c echo.Context, act func(e *library.Event, orgID string) error) error {
	a := account(c)
	if a.OrgID == nil {
		return echo.NewHTTPError(http.StatusForbidden, "only the staff of an organisation can register it")
	}
	e, err := s.store.Event(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if err := act(e, *a.OrgID); err != nil {
		return s.eventError(c, e, err)
	}
	return c.Redirect(http.StatusSeeOther, "/events/"+e.ID)
}

func (s *Server) acceptForm(c echo.Context) error  { return s.decideForm(c, true) }
func (s *Server) declineForm(c echo.Context) error { return s.decideForm(c, false) }

func (s *Server) decideForm(c echo.Context, accept bool) error {
	if _, err := s.decide(c, accept); err != nil {
		e, eerr := s.hostedEvent(c)
		if eerr != nil {
			return eerr
		}
		return s.eventError(c, e, err)
	}
	return c.Redirect(http.StatusSeeOther, "/events/"+c.Param("id")+"#registrations")
}

func (s *Server) cancelEventForm(c echo.Context) error {
	e, err := s.hostedEvent(c)
	if err != nil {
		return err
	}
	if _, err := s.store.CancelEvent(c.Request().Context(), e.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/events/"+e.ID)
}

func (s *Server) deleteEventForm(c echo.Context) error {
	e, err := s.hostedEvent(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteEvent(c.Request().Context(), e.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}

// calendarURLForm gives the reader's organisation a new private calendar URL
// and shows it, once, on the dashboard.
func (s *Server) calendarURLForm(c echo.Context) error {
	a := account(c)
	if a.OrgID == nil {
		return echo.NewHTTPError(http.StatusForbidden, "only the staff of an organisation have its calendar")
	}
	org, err := s.store.Organization(c.Request().Context(), *a.OrgID)
	if err != nil {
		return err
	}
	u, err := s.newCalendarURL(c, org)
	if err != nil {
		return err
	}
	data, err := s.dashboardData(c, org.ID)
	if err != nil {
		return err
	}
	data["CalendarURL"] = u
	return s.render(c, http.StatusOK, "dashboard", "Dashboard", data)
}

func itoa(n int) string { return strconv.Itoa(n) }

// addEventData adds the organisation's events to its dashboard: those that
// meet its needs, those it hosts and those it registered for.
func (s *Server) addEventData(c echo.Context, orgID string, data map[string]any) error {
	ctx := c.Request().Context()
	sugs, err := s.store.EventsMeetingNeeds(ctx, orgID, 10)
	if err != nil {
		return err
	}
	hosted, err := s.store.Events(ctx, library.EventQuery{OrgID: orgID, EndsAfter: time.Now(), Viewer: viewer(c), Limit: 50})
	if err != nil {
		return err
	}
	regs, err := s.store.OrgRegistrations(ctx, orgID, time.Now())
	if err != nil {
		return err
	}
	has, err := s.store.HasCalendarToken(ctx, orgID)
	if err != nil {
		return err
	}
	data["EventSuggestions"], data["HostedEvents"], data["Registrations"], data["HasCalendar"] = sugs, hosted, regs, has
	return nil
}

// addNeedEvents adds to a need's page the upcoming events on its themes.
func (s *Server) addNeedEvents(c echo.Context, l *library.Listing, data map[string]any) error {
	if l.Kind != library.Need {
		return nil
	}
	events, err := s.store.UpcomingEventsOn(c.Request().Context(), viewer(c), l.Themes, 10)
	if err != nil {
		return err
	}
	data["Events"] = events
	return nil
}
