package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// eventRequest is the API body: the event fields plus, for coordinator tokens, the organisation.
type eventRequest struct {
	library.EventInput
	Org string `json:"org"`
}

// eventView is an event as the API shows it.
type eventView struct {
	*library.Event
	// RemainingCapacity is null when places are unlimited.
	RemainingCapacity *int   `json:"remaining_capacity"`
	ICS               string `json:"ics_url"`
	// MyRegistration is there only for a caller with a token: null when the
	// caller's organisation has not registered.
	MyRegistration any `json:"my_registration,omitempty"`
}

// myRegistration is the caller's own registration for an event.
type myRegistration struct {
	ID          string    `json:"id"`
	Status      string    `json:"status"`
	RequestedAt time.Time `json:"requested_at"`
}

func (s *Server) viewEvent(e *library.Event) eventView {
	v := eventView{Event: e, ICS: s.cfg.BaseURL + "/events/" + e.ID + ".ics"}
	if r := e.RemainingCapacity(); r >= 0 {
		v.RemainingCapacity = &r
	}
	return v
}

// filterFrom reads the filters of the events page and API from the query.
func (s *Server) filterFrom(c echo.Context) (library.EventQuery, error) {
	q := library.EventQuery{EndsAfter: time.Now(), Viewer: viewer(c), Language: c.QueryParam("language"),
		Country: strings.TrimSpace(c.QueryParam("country")), Mode: c.QueryParam("mode")}
	if t := c.QueryParam("theme"); t != "" {
		q.AnyTheme = []string{t}
	}
	if q.Mode != "" && q.Mode != "online" && q.Mode != "in_person" {
		return q, errBadRequest("mode: must be online or in_person")
	}
	if id := c.QueryParam("need"); id != "" {
		need, err := s.shownListing(c, library.Need, id)
		if err != nil {
			return q, err
		}
		q.AnyTheme, q.ExcludeCancelled = need.Themes, true
		if len(q.AnyTheme) == 0 {
			q.IDs = []string{}
		}
	}
	if handle := c.QueryParam("org"); handle != "" {
		org, err := s.store.OrganizationByHandle(c.Request().Context(), handle)
		if err != nil {
			return q, err
		}
		q.OrgID = org.ID
	}
	return q, nil
}

func (s *Server) apiEvents(c echo.Context) error {
	q, err := s.filterFrom(c)
	if err != nil {
		return err
	}
	q.Limit, q.Offset = atoi(c.QueryParam("limit")), atoi(c.QueryParam("offset"))
	events, err := s.store.Events(c.Request().Context(), q)
	if err != nil {
		return err
	}
	items := make([]eventView, len(events))
	for i := range events {
		items[i] = s.viewEvent(&events[i])
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func (s *Server) apiCreateEvent(c echo.Context) error {
	var req eventRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	org, err := s.actingOrg(c, req.Org)
	if err != nil {
		return err
	}
	e, err := s.store.CreateEvent(c.Request().Context(), org.ID, req.EventInput)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, e.URL)
	return c.JSON(http.StatusCreated, s.viewEvent(e))
}

func (s *Server) apiEvent(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := s.shownEvent(c, c.Param("id"))
	if err != nil {
		return err
	}
	v := s.viewEvent(e)
	if p := principal(c); p != nil && (p.OrgID != "" || c.QueryParam("org") != "") {
		org, err := s.actingOrg(c, c.QueryParam("org"))
		if err != nil {
			return err
		}
		var mine *myRegistration
		r, err := s.store.RegistrationFor(ctx, e.ID, org.ID)
		switch {
		case err == nil:
			mine = &myRegistration{ID: r.ID, Status: r.Status, RequestedAt: r.RequestedAt}
		case !errors.Is(err, library.ErrNotFound):
			return err
		}
		v.MyRegistration = mine
	}
	return c.JSON(http.StatusOK, v)
}

// hostedEvent loads a local event that the caller may manage.
func (s *Server) hostedEvent(c echo.Context) (*library.Event, error) {
	e, err := s.store.Event(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if err := mayEdit(c, e.OrgID); err != nil {
		return nil, err
	}
	if !e.Local {
		return nil, library.ErrForbidden
	}
	return e, nil
}

func (s *Server) apiUpdateEvent(c echo.Context) error {
	if _, err := s.hostedEvent(c); err != nil {
		return err
	}
	var in library.EventInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := s.store.UpdateEvent(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.viewEvent(e))
}

func (s *Server) apiDeleteEvent(c echo.Context) error {
	if _, err := s.hostedEvent(c); err != nil {
		return err
	}
	if err := s.store.DeleteEvent(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// registrationRequest lets a coordinator token name the organisation that registers.
type registrationRequest struct {
	Org string `json:"org"`
}

// apiRegister registers the caller's organisation; the id is this node's, also
// for an event hosted elsewhere. 201 for a new registration, 200 for one that exists.
func (s *Server) apiRegister(c echo.Context) error {
	var req registrationRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	org, err := s.actingOrg(c, req.Org)
	if err != nil {
		return err
	}
	r, created, err := s.store.Register(c.Request().Context(), c.Param("id"), org.ID, "")
	if err != nil {
		return err
	}
	if created {
		return c.JSON(http.StatusCreated, r)
	}
	return c.JSON(http.StatusOK, r)
}

// apiLeave withdraws the caller's registration and answers with it, cancelled.
func (s *Server) apiLeave(c echo.Context) error {
	org, err := s.actingOrg(c, c.QueryParam("org"))
	if err != nil {
		return err
	}
	r, err := s.store.Leave(c.Request().Context(), c.Param("id"), org.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// apiRegistrations is the host's list of registrations, with the counts.
func (s *Server) apiRegistrations(c echo.Context) error {
	e, err := s.hostedEvent(c)
	if err != nil {
		return err
	}
	regs, err := s.store.Registrations(c.Request().Context(), e.ID)
	if err != nil {
		return err
	}
	counts, err := s.store.RegistrationCounts(c.Request().Context(), e.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": regs, "counts": counts, "participant_count": counts[library.RegistrationAccepted]})
}

func (s *Server) apiAcceptRegistration(c echo.Context) error  { return s.apiDecide(c, true) }
func (s *Server) apiDeclineRegistration(c echo.Context) error { return s.apiDecide(c, false) }

func (s *Server) apiDecide(c echo.Context, accept bool) error {
	r, err := s.decide(c, accept)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// decide is the host's answer to one registration of its event.
func (s *Server) decide(c echo.Context, accept bool) (*library.Registration, error) {
	e, err := s.hostedEvent(c)
	if err != nil {
		return nil, err
	}
	r, err := s.store.Registration(c.Request().Context(), c.Param("rid"))
	if err != nil {
		return nil, err
	}
	if r.EventID != e.ID {
		return nil, library.ErrNotFound
	}
	return s.store.DecideRegistration(c.Request().Context(), r.ID, accept)
}

// apiCalendarURL gives the token's organisation a new private calendar URL.
func (s *Server) apiCalendarURL(c echo.Context) error {
	var req registrationRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	org, err := s.actingOrg(c, req.Org)
	if err != nil {
		return err
	}
	url, err := s.newCalendarURL(c, org)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"url": url})
}

func (s *Server) newCalendarURL(c echo.Context, org *library.Organization) (string, error) {
	token, err := s.store.NewCalendarToken(c.Request().Context(), org.ID)
	if err != nil {
		return "", err
	}
	return s.cfg.BaseURL + "/orgs/" + org.Handle + "/events.ics?token=" + token, nil
}

// optionalToken authenticates the caller when a token is given, and lets
// anonymous callers through.
func (s *Server) optionalToken(next echo.HandlerFunc) echo.HandlerFunc {
	withToken := s.requireToken(next)
	return func(c echo.Context) error {
		if c.Request().Header.Get("Authorization") == "" {
			return next(c)
		}
		return withToken(c)
	}
}
