package web

import "github.com/citizen-network/commonplace/library"

// routes is the table of contents of the node's HTTP surface.
func (s *Server) routes() {
	e := s.e
	e.GET("/healthz", s.healthz)
	e.GET("/metrics", s.metrics.handler(), s.requireMetricsToken)
	e.GET("/static/*", s.static)

	// Pages anyone can read.
	e.GET("/", s.homePage)
	e.GET("/orgs", s.orgsPage)
	e.GET("/orgs/:handle", s.orgPage)
	e.GET("/themes", s.themesPage)
	e.GET("/themes/:slug", s.themePage)
	e.GET("/search", s.searchPage, s.limitQueries)

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
		e.GET(api, h.apiList, s.optionalToken)
		e.POST(api, h.apiCreate, s.requireToken)
		e.GET(api+"/:id", h.apiGet, s.optionalToken)
		e.PATCH(api+"/:id", h.apiUpdate, s.requireToken)
		e.DELETE(api+"/:id", h.apiDelete, s.requireToken)
	}

	// Matching, introductions and exchange circles.
	for _, k := range []library.ListingKind{library.Offer, library.Need} {
		m := matchHandlers{s, k}
		e.GET("/"+k.Plural()+"/:id/matches", m.page, s.limitQueries)
		e.GET("/api/v1/"+k.Plural()+"/:id/matches", m.apiMatches, s.optionalToken, s.limitQueries)
	}
	e.GET("/orgs/:handle/matches.atom", s.matchesFeed, s.limitQueries)
	e.POST("/introductions", s.introduce, requireLogin)
	e.POST("/introductions/:id/answer", s.answerIntroduction, requireLogin)
	e.GET("/introductions/:id", s.conversationPage, requireLogin)
	e.POST("/introductions/:id/messages", s.postMessageForm, requireLogin)
	e.POST("/introductions/:id/close", s.closeForm, requireLogin)
	e.POST("/introductions/:id/withdraw", s.withdrawForm, requireLogin)
	e.GET("/admin/circles", s.circlesPage, requireCoordinator)
	e.GET("/api/v1/introductions", s.apiIntroductions, s.requireToken)
	e.POST("/api/v1/introductions", s.apiIntroduce, s.requireToken)
	e.POST("/api/v1/introductions/:id/accept", s.apiAnswer(true), s.requireToken)
	e.POST("/api/v1/introductions/:id/reject", s.apiAnswer(false), s.requireToken)
	e.GET("/api/v1/introductions/:id", s.apiConversation, s.requireToken)
	e.POST("/api/v1/introductions/:id/messages", s.apiPostMessage, s.requireToken)
	e.POST("/api/v1/introductions/:id/close", s.apiClose, s.requireToken)
	e.POST("/api/v1/introductions/:id/withdraw", s.apiWithdraw, s.requireToken)
	e.GET("/api/v1/admin/introductions/counts", s.apiIntroductionCounts, s.requireAdminToken)
	e.GET("/api/v1/orgs/:handle/contact", s.apiContact, s.requireToken)
	e.PUT("/api/v1/orgs/:handle/contact", s.apiContact, s.requireToken)
	e.GET("/api/v1/notifications", s.apiNotifications, s.requireToken)
	e.GET("/api/v1/circles", s.apiCircles, s.requireAdminToken)

	// Learning events, their registrations and calendars.
	e.GET("/events", s.eventsPage)
	e.GET("/events.ics", s.eventsICS, s.limitQueries)
	e.GET("/events/new", s.newEventPage, requireLogin)
	e.POST("/events", s.createEventForm, requireLogin)
	e.GET("/events/:id", s.eventPage) // also /events/{id}.ics
	e.GET("/events/:id/edit", s.editEventPage, requireLogin)
	e.POST("/events/:id", s.updateEventForm, requireLogin)
	e.POST("/events/:id/cancel", s.cancelEventForm, requireLogin)
	e.POST("/events/:id/delete", s.deleteEventForm, requireLogin)
	e.POST("/events/:id/register", s.registerForm, requireLogin)
	e.POST("/events/:id/leave", s.leaveForm, requireLogin)
	e.POST("/events/:id/registrations/:rid/accept", s.acceptForm, requireLogin)
	e.POST("/events/:id/registrations/:rid/decline", s.declineForm, requireLogin)
	e.GET("/orgs/:handle/events.ics", s.orgEventsICS, s.limitQueries)
	e.POST("/dashboard/calendar", s.calendarURLForm, requireLogin)
	e.POST("/dashboard/contact", s.contactForm, requireLogin)
	e.GET("/api/v1/events", s.apiEvents, s.optionalToken)
	e.POST("/api/v1/events", s.apiCreateEvent, s.requireToken)
	e.GET("/api/v1/events/:id", s.apiEvent, s.optionalToken)
	e.PATCH("/api/v1/events/:id", s.apiUpdateEvent, s.requireToken)
	e.DELETE("/api/v1/events/:id", s.apiDeleteEvent, s.requireToken)
	e.GET("/api/v1/events/:id/registrations", s.apiRegistrations, s.requireToken)
	e.POST("/api/v1/events/:id/registrations", s.apiRegister, s.requireToken)
	e.DELETE("/api/v1/events/:id/registrations", s.apiLeave, s.requireToken)
	e.POST("/api/v1/events/:id/registrations/:rid/accept", s.apiAcceptRegistration, s.requireToken)
	e.POST("/api/v1/events/:id/registrations/:rid/decline", s.apiDeclineRegistration, s.requireToken)
	e.POST("/api/v1/calendar", s.apiCalendarURL, s.requireToken)

	// Federation: the coordinator's page and API (ActivityPub routes are mounted by federation).
	e.GET("/admin/federation", s.federationPage, requireCoordinator)
	e.POST("/admin/federation/:action", s.federationForm, requireCoordinator)
	e.GET("/api/v1/admin/federation", s.apiFederation, s.requireAdminToken)
	e.POST("/api/v1/admin/peers", s.apiAddPeer, s.requireAdminToken)
	e.POST("/api/v1/admin/federation/retry", s.apiRetry, s.requireAdminToken)
	e.POST("/api/v1/admin/federation/mode", s.apiFederationMode, s.requireAdminToken)
	e.POST("/api/v1/admin/domains", s.apiDomain, s.requireAdminToken)
	e.POST("/api/v1/follows", s.apiFollow, s.requireToken)

	// Stories: anonymised before anything is stored.
	e.GET("/stories", s.storiesPage)
	e.GET("/stories/new", s.newStoryPage, requireLogin)
	e.POST("/stories/review", s.reviewStory, requireLogin)
	e.POST("/stories", s.createStory, requireLogin)
	e.GET("/stories/:id", s.storyPage)
	e.POST("/stories/:id/delete", s.deleteStory, requireLogin)
	e.POST("/api/v1/stories/preview", s.apiPreviewStory, s.requireToken)
	e.POST("/api/v1/stories", s.apiCreateStory, s.requireToken)
	e.GET("/api/v1/stories", s.apiStories, s.optionalToken)
	e.GET("/api/v1/stories/:id", s.apiStory, s.optionalToken)
	e.PATCH("/api/v1/stories/:id", s.apiUpdateStory, s.requireToken)
	e.DELETE("/api/v1/stories/:id", s.apiDeleteStory, s.requireToken)

	// The rest of the JSON API.
	e.GET("/api/v1/themes", s.apiThemes)
	e.GET("/api/v1/search", s.apiSearch, s.optionalToken, s.limitQueries)
	e.GET("/api/v1/orgs", s.apiOrgs)
	e.GET("/api/v1/orgs/:handle", s.apiOrg)
	e.PATCH("/api/v1/orgs/:handle", s.apiUpdateOrg, s.requireToken)

	// Consent to be indexed beyond this node: the organisation's and each object's.
	e.GET("/api/v1/orgs/:handle/consent", s.apiConsent, s.requireToken)
	e.POST("/orgs/:handle/consent", s.orgConsentForm, requireLogin)
	for _, p := range []string{"offers", "needs", "stories", "events"} {
		e.PUT("/api/v1/"+p+"/:id/consent", s.apiObjectConsent, s.requireToken)
		e.POST("/"+p+"/:id/consent", s.objectConsentForm, requireLogin)
	}
	e.POST("/api/v1/admin/orgs", s.apiCreateOrg, s.requireAdminToken)
	e.GET("/api/v1/admin/orgs/:handle/archive", s.apiOrgArchive, s.requireAdminToken)
	e.POST("/api/v1/admin/orgs/:handle/move", s.apiMoveOrg, s.requireAdminToken)
	e.POST("/api/v1/admin/accounts", s.apiCreateAccount, s.requireAdminToken)
}
