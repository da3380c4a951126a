package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

func (s *Server) loginPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "login", "Log in", map[string]any{"Next": safeNext(c.QueryParam("next"))})
}

func (s *Server) login(c echo.Context) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	fail := func(status int, msg string) error {
		return s.render(c, status, "login", "Log in", map[string]any{"Next": next, "Email": email, "Error": msg})
	}
	if t, ok := s.logins.Allow(email, c.RealIP()); !ok {
		s.LoginRefused("throttled")
		s.log.Info("login throttled", "account_budget", t.Account, "wait", t.Wait.Round(time.Second), "address", c.RealIP())
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(t.Wait)))
		who := "from your network"
		if t.Account {
			who = "with this e-mail address"
		}
		return fail(http.StatusTooManyRequests, fmt.Sprintf("Too many failed attempts to log in %s. Try again in %s.", who, roughly(t.Wait)))
	}
	a, err := s.store.Authenticate(c.Request().Context(), email, c.FormValue("password"))
	switch {
	case errors.Is(err, library.ErrNotFound):
		s.logins.Failed(email, c.RealIP())
		s.LoginRefused("wrong_password")
		return fail(http.StatusUnauthorized, "That e-mail and password do not match an account.")
	case errors.Is(err, library.ErrBusy):
		s.LoginRefused("busy")
		c.Response().Header().Set("Retry-After", "2")
		return fail(http.StatusServiceUnavailable, "The node is busy checking other passwords. Try again in a few seconds.")
	case err != nil:
		return err
	}
	s.logins.Succeeded(email)
	if err := s.startSession(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// retryAfterSeconds is a wait as a Retry-After value: whole seconds, rounded up.
func retryAfterSeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

// roughly says a wait in words: "3 seconds", "2 minutes".
func roughly(d time.Duration) string {
	if n := retryAfterSeconds(d); n < 90 {
		return plural(n, "second")
	}
	return plural(int((d+time.Minute-1)/time.Minute), "minute")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// safeNext is where to go after logging in: a path on this node that starts
// with a single "/", holds no backslash and no control character (browsers
// drop tabs and newlines, so "/\t/evil.example" reads as "//evil.example").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") ||
		strings.ContainsFunc(next, unicode.IsControl) {
		return "/dashboard"
	}
	return next
}

func (s *Server) logout(c echo.Context) error {
	s.endSession(c)
	return c.Redirect(http.StatusSeeOther, "/")
}

func (s *Server) setupPage(c echo.Context) error {
	a, err := s.store.SetupAccount(c.Request().Context(), c.Param("token"))
	if errors.Is(err, library.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "this link was used already or has expired; ask for a new one")
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "setup", "Choose your password", map[string]any{"Email": a.Email})
}

func (s *Server) setup(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.store.SetupAccount(ctx, c.Param("token"))
	if errors.Is(err, library.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "this link was used already or has expired; ask for a new one")
	}
	if err != nil {
		return err
	}
	password := c.FormValue("password")
	fail := func(msg string) error {
		return s.render(c, http.StatusUnprocessableEntity, "setup", "Choose your password", map[string]any{"Email": a.Email, "Error": msg})
	}
	if password != c.FormValue("confirm") {
		return fail("The two passwords are not the same.")
	}
	if _, err := s.store.RedeemSetupToken(ctx, c.Param("token"), password); err != nil {
		if errors.Is(err, library.ErrInvalid) {
			return fail(err.Error())
		}
		return err
	}
	if err := s.startSession(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}

func (s *Server) dashboardPage(c echo.Context) error {
	a := account(c)
	if a.OrgID == nil {
		return c.Redirect(http.StatusSeeOther, "/admin")
	}
	data, err := s.dashboardData(c, *a.OrgID)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "dashboard", "Dashboard", data)
}

func (s *Server) dashboardData(c echo.Context, orgID string) (map[string]any, error) {
	ctx := c.Request().Context()
	org, err := s.store.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	offers, err := s.store.Listings(ctx, library.ListingQuery{Kind: library.Offer, OrgID: orgID, Viewer: viewer(c), Limit: 100})
	if err != nil {
		return nil, err
	}
	needs, err := s.store.Listings(ctx, library.ListingQuery{Kind: library.Need, OrgID: orgID, Viewer: viewer(c), Limit: 100})
	if err != nil {
		return nil, err
	}
	data := map[string]any{"Org": org, "Offers": offers, "Needs": needs, "CanInvite": account(c).CanManage(orgID)}
	if err := s.addMatchData(c, orgID, offers, needs, data); err != nil {
		return nil, err
	}
	if err := s.addEventData(c, orgID, data); err != nil {
		return nil, err
	}
	if account(c).CanManage(orgID) {
		staff, err := s.store.Accounts(ctx, orgID)
		if err != nil {
			return nil, err
		}
		data["Staff"] = staff
	}
	return data, nil
}

func (s *Server) adminPage(c echo.Context) error {
	data, err := s.adminData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin", "Coordinate", data)
}

func (s *Server) adminData(c echo.Context) (map[string]any, error) {
	local := true
	orgs, err := s.store.Organizations(c.Request().Context(), library.OrganizationQuery{Local: &local, Limit: 1000})
	if err != nil {
		return nil, err
	}
	counts, err := s.store.CountIntroductions(c.Request().Context())
	if err != nil {
		return nil, err
	}
	return map[string]any{"Orgs": orgs, "InviteOrgs": orgs, "Intros": counts}, nil
}

func (s *Server) adminCreateOrg(c echo.Context) error {
	_, err := s.store.CreateOrganization(c.Request().Context(), library.OrganizationInput{
		Handle: c.FormValue("handle"), Name: c.FormValue("name"), Country: c.FormValue("country"), Summary: c.FormValue("summary"),
	})
	if errors.Is(err, library.ErrInvalid) || errors.Is(err, library.ErrConflict) {
		data, derr := s.adminData(c)
		if derr != nil {
			return derr
		}
		_, data["OrgError"] = statusOf(err)
		return s.render(c, http.StatusUnprocessableEntity, "admin", "Coordinate", data)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// invite creates a staff account and shows its one-time link to the inviter.
func (s *Server) invite(c echo.Context) error {
	a, orgID := account(c), c.FormValue("org")
	role := library.Role(c.FormValue("role"))
	if role == library.RoleCoordinator {
		orgID = ""
	}
	if (role == library.RoleCoordinator && a.Role != library.RoleCoordinator) || (orgID != "" && !a.CanManage(orgID)) {
		return echo.NewHTTPError(http.StatusForbidden, "you may not invite staff to this organisation")
	}
	_, token, err := s.store.CreateAccount(c.Request().Context(), c.FormValue("email"), role, orgID)
	var data map[string]any
	var derr error
	page, title := "dashboard", "Dashboard"
	if a.Role == library.RoleCoordinator {
		data, derr = s.adminData(c)
		page, title = "admin", "Coordinate"
	} else {
		data, derr = s.dashboardData(c, orgID)
	}
	if derr != nil {
		return derr
	}
	status := http.StatusOK
	switch {
	case errors.Is(err, library.ErrInvalid) || errors.Is(err, library.ErrConflict):
		status, data["InviteError"] = statusOf(err)
	case err != nil:
		return err
	default:
		data["InviteLink"] = s.cfg.BaseURL + "/setup/" + token
	}
	return s.render(c, status, page, title, data)
}
