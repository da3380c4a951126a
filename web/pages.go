package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

func (s *Server) healthz(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) homePage(c echo.Context) error {
	ctx := c.Request().Context()
	offers, err := s.store.Listings(ctx, library.ListingQuery{Kind: library.Offer, OpenOnly: true, Viewer: viewer(c), Limit: 8})
	if err != nil {
		return err
	}
	needs, err := s.store.Listings(ctx, library.ListingQuery{Kind: library.Need, OpenOnly: true, Viewer: viewer(c), Limit: 8})
	if err != nil {
		return err
	}
	local := true
	orgs, err := s.store.Organizations(ctx, library.OrganizationQuery{Local: &local, Limit: 12})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "home", "Home", map[string]any{"Offers": offers, "Needs": needs, "Orgs": orgs})
}

func (s *Server) orgsPage(c echo.Context) error {
	orgs, err := s.store.Organizations(c.Request().Context(), library.OrganizationQuery{Limit: 200})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "orgs", "Organisations", map[string]any{"Orgs": orgs})
}

func (s *Server) orgPage(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := s.store.OrganizationByHandle(ctx, c.Param("handle"))
	if err != nil {
		return err
	}
	if s.objects != nil && s.objects.WantsActivity(c.Request()) {
		return s.objects.ServeOrganization(c, org) // with movedTo, once it moved: its key still signs the Move
	}
	if org.MovedTo != "" {
		return &movedError{to: org.MovedTo}
	}
	offers, err := s.store.Listings(ctx, library.ListingQuery{Kind: library.Offer, OrgID: org.ID, Viewer: viewer(c), Limit: 50})
	if err != nil {
		return err
	}
	needs, err := s.store.Listings(ctx, library.ListingQuery{Kind: library.Need, OrgID: org.ID, Viewer: viewer(c), Limit: 50})
	if err != nil {
		return err
	}
	data := map[string]any{"Org": org, "Offers": offers, "Needs": needs}
	if a := account(c); a != nil && org.Local && a.CanEdit(org.ID) {
		if data["Consent"], err = s.consentReport(ctx, org); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "org", org.Name, data)
}

type themeGroup struct {
	Kind    themes.Kind
	Heading string
	Themes  []themes.Theme
}

func (s *Server) themesPage(c echo.Context) error {
	groups := []themeGroup{
		{themes.KindTopic, "What organisations learn about", themes.ByKind(themes.KindTopic)},
		{themes.KindGroup, "Who they support", themes.ByKind(themes.KindGroup)},
		{themes.KindFeature, "The features of personalised support", themes.ByKind(themes.KindFeature)},
		{themes.KindElement, "Its elements", themes.ByKind(themes.KindElement)},
	}
	return s.render(c, http.StatusOK, "themes", "Themes", map[string]any{"Groups": groups})
}

func (s *Server) themePage(c echo.Context) error {
	t, ok := themes.Lookup(c.Param("slug"))
	if !ok {
		return library.ErrNotFound
	}
	offers, err := s.store.ListingsWithTheme(c.Request().Context(), viewer(c), library.Offer, t.Slug, 50)
	if err != nil {
		return err
	}
	needs, err := s.store.ListingsWithTheme(c.Request().Context(), viewer(c), library.Need, t.Slug, 50)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "theme", t.Label("en"), map[string]any{"Theme": t, "Offers": offers, "Needs": needs})
}
