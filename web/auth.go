package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

const (
	sessionCookie = "commonplace_session"
	sessionTTL    = 14 * 24 * time.Hour
)

// loadSession puts the logged-in account, if any, into the context.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			if a, err := s.store.SessionAccount(c.Request().Context(), ck.Value); err == nil {
				c.Set("account", a)
			}
		}
		return next(c)
	}
}

// account is the logged-in account, or nil.
func account(c echo.Context) *library.Account {
	a, _ := c.Get("account").(*library.Account)
	return a
}

// requireLogin sends visitors to the login page, and back afterwards.
func requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if account(c) == nil {
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		return next(c)
	}
}

// requireCoordinator lets only coordinators through.
func requireCoordinator(next echo.HandlerFunc) echo.HandlerFunc {
	return requireLogin(func(c echo.Context) error {
		if account(c).Role != library.RoleCoordinator {
			return echo.NewHTTPError(http.StatusForbidden, "only the node's coordinators may do this")
		}
		return next(c)
	})
}

func (s *Server) startSession(c echo.Context, a *library.Account) error {
	token, err := s.store.CreateSession(c.Request().Context(), a.ID, sessionTTL)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode, Expires: time.Now().Add(sessionTTL)})
	return nil
}

func (s *Server) endSession(c echo.Context) {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		_ = s.store.DeleteSession(c.Request().Context(), ck.Value)
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secureCookies()})
}

// requireToken authenticates the JSON API by bearer token.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			return echo.NewHTTPError(http.StatusUnauthorized, "an API token is required: Authorization: Bearer TOKEN")
		}
		p, err := s.store.TokenPrincipal(c.Request().Context(), strings.TrimSpace(token))
		if errors.Is(err, library.ErrNotFound) {
			return echo.NewHTTPError(http.StatusUnauthorized, "the API token is not valid")
		}
		if err != nil {
			return err
		}
		c.Set("principal", p)
		return next(c)
	}
}

// requireAdminToken lets only coordinator tokens through.
func (s *Server) requireAdminToken(next echo.HandlerFunc) echo.HandlerFunc {
	return s.requireToken(func(c echo.Context) error {
		if !principal(c).Admin {
			return echo.NewHTTPError(http.StatusForbidden, "a coordinator token is required")
		}
		return next(c)
	})
}

// principal is who the API token speaks for.
func principal(c echo.Context) *library.Principal {
	p, _ := c.Get("principal").(*library.Principal)
	return p
}

// actingOrg is the organisation an API caller writes for: its token's, or, for
// a coordinator token, the one named by handle. A staff token naming another
// organisation is refused rather than quietly writing for its own.
func (s *Server) actingOrg(c echo.Context, handle string) (*library.Organization, error) {
	p := principal(c)
	if p.OrgID != "" {
		org, err := s.store.Organization(c.Request().Context(), p.OrgID)
		if err == nil && handle != "" && !strings.EqualFold(handle, org.Handle) {
			return nil, echo.NewHTTPError(http.StatusForbidden,
				fmt.Sprintf("org: this token writes for %q only, not %q", org.Handle, handle))
		}
		return org, err
	}
	if handle == "" {
		return nil, library.Invalid("org", "a coordinator token must name the organisation (org)")
	}
	org, err := s.store.OrganizationByHandle(c.Request().Context(), handle)
	if errors.Is(err, library.ErrNotFound) {
		return nil, library.Invalid("org", "no organisation %q on this node", handle)
	}
	return org, err
}

// mayEdit checks that the caller (token or session) may change the organisation's objects.
func mayEdit(c echo.Context, orgID string) error {
	if p := principal(c); p != nil && (p.Admin || p.OrgID == orgID) {
		return nil
	}
	if a := account(c); a != nil && a.CanEdit(orgID) {
		return nil
	}
	return library.ErrForbidden
}
