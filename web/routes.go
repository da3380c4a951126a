package web

import "github.com/citizen-network/commonplace/library"

// routes is the table of contents of the node's HTTP surface.
func (s *Server) routes() {
	e := s.e
	e.GET("/healthz", s.healthz)
	e.GET("/static/*", s.static)

	// Pages anyone can read.
	e.GET("/", s.homePage)
	e.GET("/orgs", s.orgsPage)
	e.GET("/orgs/:handle", s.orgPage)
	e.GET("/themes", s.themesPage)
	e.GET("/themes/:slug", s.themePage)

	// Logging in.
	e.GET("/login", s.loginPage)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)
	e.GET("/setup/:token", s.setupPage)
	e.POST("/setup/:token", s.setup)

	// Staff.
	e.GET("/dashboard", s.dashboardPage, requireLogin)
	e.GET("/admin", s.adminPage, requireCoordinator)
	e.POST("/admin/orgs", s.adminCreateOrg, requireCoordinator)
	e.POST("/invites", s.invite, requireLogin)

	// Offers and needs: the same pages and API for both kinds.
	for _, k := range []library.ListingKind{library.Offer, library.Need} {
		h := listingHandlers{s, k}
		p := "/" + k.Plural()
		e.GET(p, h.listPage)
		e.GET(p+"/new", h.newPage, requireLogin)
		e.POST(p, h.create, requireLogin)
		e.GET(p+"/:id", h.page)
		e.GET(p+"/:id/edit", h.editPage, requireLogin)
		e.POST(p+"/:id", h.update, requireLogin)
		e.POST(p+"/:id/delete", h.delete, requireLogin)

		api := "/api/v1/" + k.Plural()
		e.GET(api, h.apiList)
		e.POST(api, h.apiCreate, s.requireToken)
		e.GET(api+"/:id", h.apiGet)
		e.PATCH(api+"/:id", h.apiUpdate, s.requireToken)
		e.DELETE(api+"/:id", h.apiDelete, s.requireToken)
	}

	// The rest of the JSON API.
	e.GET("/api/v1/themes", s.apiThemes)
	e.GET("/api/v1/orgs", s.apiOrgs)
	e.GET("/api/v1/orgs/:handle", s.apiOrg)
	e.POST("/api/v1/admin/orgs", s.apiCreateOrg, s.requireAdminToken)
	e.POST("/api/v1/admin/accounts", s.apiCreateAccount, s.requireAdminToken)
}
