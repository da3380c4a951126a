package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// formTime is the layout of a browser's datetime-local field.
const formTime = "2006-01-02T15:04"

// eventForm is what the event form shows and re-shows after an error.
type eventForm struct {
	Action, Submit, Error, Org         string
	Title, Body, Start, End, Timezone  string
	OnlineURL, PlaceName, PlaceAddress string
	PlaceCountry, Capacity, JoinMode   string
	Deadline, Status, Visibility       string
	Themes, Languages                  []string
	Orgs                               []library.Organization
	Topics                             []themes.Theme
	Zones, AllStatuses                 []string
}

func (s *Server) showEventForm(c echo.Context, status int, title string, f eventForm) error {
	f.Topics, f.Zones, f.AllStatuses = themes.ByKind(themes.KindTopic), zonesWith(f.Timezone), library.EventStatuses
	if a := account(c); a.Role == library.RoleCoordinator {
		local := true
		orgs, err := s.store.Organizations(c.Request().Context(), library.OrganizationQuery{Local: &local, Limit: 1000})
		if err != nil {
			return err
		}
		f.Orgs = orgs
	}
	return s.render(c, status, "event_form", title, f)
}

func (s *Server) newEventPage(c echo.Context) error {
	return s.showEventForm(c, http.StatusOK, "Announce an event", eventForm{
		Action: "/events", Submit: "Announce", Timezone: "Europe/London", JoinMode: "open", Status: "confirmed",
		Visibility: "public", Capacity: "0", Languages: []string{"en"},
	})
}

func (s *Server) editEventPage(c echo.Context) error {
	e, err := s.hostedEvent(c)
	if err != nil {
		return err
	}
	f := eventForm{Action: "/events/" + e.ID, Submit: "Save changes", Title: e.Title, Body: e.Body,
		Start: e.Start.Format(formTime), End: e.End.Format(formTime), Timezone: e.Timezone, OnlineURL: e.OnlineURL,
		PlaceName: e.Place.Name, PlaceAddress: e.Place.Address, PlaceCountry: e.Place.Country,
		Capacity: strconv.Itoa(e.Capacity), JoinMode: e.JoinMode, Status: e.Status, Visibility: e.Visibility,
		Languages: e.Languages}
	if !e.ThemesInferred {
		f.Themes = e.Themes
	}
	if e.RegistrationDeadline != nil {
		f.Deadline = e.RegistrationDeadline.Format(formTime)
	}
	return s.showEventForm(c, http.StatusOK, "Edit the event", f)
}

func (s *Server) createEventForm(c echo.Context) error {
	f, in := readEventForm(c)
	f.Action, f.Submit = "/events", "Announce"
	orgID := ""
	if a := account(c); a.OrgID != nil {
		orgID = *a.OrgID
	} else if org, err := s.store.OrganizationByHandle(c.Request().Context(), f.Org); err == nil {
		orgID = org.ID
	}
	if orgID == "" {
		f.Error = "Choose the organisation that hosts it."
		return s.showEventForm(c, http.StatusUnprocessableEntity, "Announce an event", f)
	}
	e, err := s.store.CreateEvent(c.Request().Context(), orgID, in)
	if errors.Is(err, library.ErrInvalid) {
		f.Error = err.Error()
		return s.showEventForm(c, http.StatusUnprocessableEntity, "Announce an event", f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/events/"+e.ID)
}

func (s *Server) updateEventForm(c echo.Context) error {
	e, err := s.hostedEvent(c)
	if err != nil {
		return err
	}
	f, in := readEventForm(c)
	f.Action, f.Submit = "/events/"+e.ID, "Save changes"
	_, err = s.store.UpdateEvent(c.Request().Context(), e.ID, in)
	if errors.Is(err, library.ErrInvalid) {
		f.Error = err.Error()
		return s.showEventForm(c, http.StatusUnprocessableEntity, "Edit the event", f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/events/"+e.ID)
}

// readEventForm turns the posted form into an input that sets every field;
// its times are wall-clock times in the chosen zone.
func readEventForm(c echo.Context) (eventForm, library.EventInput) {
	form, _ := c.FormParams()
	f := eventForm{
		Org: form.Get("org"), Title: form.Get("title"), Body: form.Get("body"), Start: form.Get("start"),
		End: form.Get("end"), Timezone: form.Get("timezone"), OnlineURL: form.Get("online_url"),
		PlaceName: form.Get("place_name"), PlaceAddress: form.Get("place_address"), PlaceCountry: form.Get("place_country"),
		Capacity: strings.TrimSpace(form.Get("capacity")), JoinMode: form.Get("join_mode"), Deadline: form.Get("registration_deadline"),
		Status: form.Get("status"), Visibility: form.Get("visibility"),
		Themes: append([]string{}, form["themes"]...), Languages: splitList(form.Get("languages")),
	}
	in := library.EventInput{Title: &f.Title, Body: &f.Body, Start: &f.Start, End: &f.End, Timezone: &f.Timezone,
		OnlineURL: &f.OnlineURL, Themes: &f.Themes, Languages: &f.Languages, JoinMode: nonEmpty(&f.JoinMode),
		Status: nonEmpty(&f.Status), Visibility: nonEmpty(&f.Visibility),
		RegistrationDeadline: library.Some(f.Deadline), Place: library.Optional[library.Place]{Set: true}}
	if f.PlaceName != "" || f.PlaceAddress != "" || f.PlaceCountry != "" {
		in.Place = library.Some(library.Place{Name: f.PlaceName, Address: f.PlaceAddress, Country: f.PlaceCountry})
	}
	capacity, err := strconv.Atoi(f.Capacity)
	if f.Capacity == "" {
		capacity, err = 0, nil
	}
	if err != nil {
		capacity = -1 // refused by the store, which names the field
	}
	in.Capacity = &capacity
	return f, in
}
