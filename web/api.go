package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// apiTheme is a theme as the API shows it.
type apiTheme struct {
	Slug        string              `json:"slug"`
	IRI         string              `json:"iri"`
	Kind        themes.Kind         `json:"kind"`
	Labels      map[string]string   `json:"labels"`
	Description map[string]string   `json:"description"`
	Synonyms    map[string][]string `json:"synonyms,omitempty"`
	Parent      string              `json:"parent,omitempty"`
}

func (s *Server) apiThemes(c echo.Context) error {
	var out []apiTheme
	for _, t := range themes.All() {
		out = append(out, apiTheme{t.Slug, t.IRI(), t.Kind, t.Labels, t.Description, t.Synonyms, t.Parent})
	}
	return c.JSON(http.StatusOK, map[string]any{"version": themes.Version, "items": out})
}

func (s *Server) apiOrgs(c echo.Context) error {
	q := library.OrganizationQuery{Limit: atoi(c.QueryParam("limit")), Offset: atoi(c.QueryParam("offset"))}
	if c.QueryParam("local") == "true" {
		local := true
		q.Local = &local
	}
	orgs, err := s.store.Organizations(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": orgs})
}

func (s *Server) apiOrg(c echo.Context) error {
	org, err := s.store.OrganizationByHandle(c.Request().Context(), c.Param("handle"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, org)
}

func (s *Server) apiCreateOrg(c echo.Context) error {
	var in library.OrganizationInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	org, err := s.store.CreateOrganization(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, org)
}

// accountRequest invites a person: a coordinator, or staff of the organisation named by handle.
type accountRequest struct {
	Email string       `json:"email"`
	Role  library.Role `json:"role"`
	Org   string       `json:"org"`
}

func (s *Server) apiCreateAccount(c echo.Context) error {
	var req accountRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	orgID := ""
	if req.Role != library.RoleCoordinator {
		if req.Org == "" {
			return library.Invalid("org", "is required for staff of an organisation")
		}
		org, err := s.store.OrganizationByHandle(c.Request().Context(), req.Org)
		if errors.Is(err, library.ErrNotFound) {
			return library.Invalid("org", "no organisation %q on this node", req.Org)
		}
		if err != nil {
			return err
		}
		orgID = org.ID
	}
	a, token, err := s.store.CreateAccount(c.Request().Context(), req.Email, req.Role, orgID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"account": a, "setup_url": s.cfg.BaseURL + "/setup/" + token})
}
