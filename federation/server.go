package federation

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// Mount adds federation's routes to the web application: discovery, the
// instance actor, inboxes, collections and our activities. Organisation,
// offer and need documents are served on their web URLs (see ServeOrganization).
func (s *Service) Mount(e *echo.Echo) {
	e.GET("/.well-known/webfinger", s.webfinger)
	e.GET("/.well-known/nodeinfo", s.nodeinfoLinks)
	e.GET("/.well-known/host-meta", s.hostMeta)
	e.GET("/nodeinfo/2.0", s.nodeinfo("2.0"))
	e.GET("/nodeinfo/2.1", s.nodeinfo("2.1"))

	e.POST("/inbox", s.receive)
	e.GET("/actor", s.instanceHandler(s.serveActor))
	e.POST("/actor/inbox", s.receive)
	e.GET("/actor/outbox", s.instanceHandler(s.serveOutbox))
	e.GET("/actor/followers", s.instanceHandler(func(c echo.Context, a localActor) error { return s.serveFollows(c, a, true) }))
	e.GET("/actor/following", s.instanceHandler(func(c echo.Context, a localActor) error { return s.serveFollows(c, a, false) }))

	e.POST("/orgs/:handle/inbox", s.orgHandler(func(c echo.Context, _ localActor) error { return s.receive(c) }))
	e.GET("/orgs/:handle/outbox", s.orgHandler(s.serveOutbox))
	e.GET("/orgs/:handle/followers", s.orgHandler(func(c echo.Context, a localActor) error { return s.serveFollows(c, a, true) }))
	e.GET("/orgs/:handle/following", s.orgHandler(func(c echo.Context, a localActor) error { return s.serveFollows(c, a, false) }))

	e.GET("/activities/:id", s.serveActivity)
}

func (s *Service) instanceHandler(h func(echo.Context, localActor) error) echo.HandlerFunc {
	return func(c echo.Context) error { return h(c, s.instance()) }
}

func (s *Service) orgHandler(h func(echo.Context, localActor) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		org, err := s.store.OrganizationByHandle(c.Request().Context(), c.Param("handle"))
		if err != nil {
			return err
		}
		return h(c, orgActor(org))
	}
}

// serveActor answers an actor document. Actors and their keys are served
// without requiring a signature, so that two servers that both sign their
// fetches can still learn each other's keys.
func (s *Service) serveActor(c echo.Context, a localActor) error {
	if a.isInstance() && keyIDOf(c.Request()) != "" {
		_, _ = s.verify(c.Request().Context(), c.Request(), nil, false) // a signed fetch is a sign of life of its host
	}
	doc, err := s.actorDocument(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return s.writeJSONDoc(c, http.StatusOK, doc)
}

// serveActivity answers one of our activities by its id.
func (s *Service) serveActivity(c echo.Context) error {
	body, public, err := s.storedActivity(c.Request().Context(), s.cfg.BaseURL+"/activities/"+c.Param("id"))
	if err != nil {
		return err
	}
	if !public && s.peerSigner(c.Request()) == nil {
		return notFound("activity")
	}
	c.Response().Header().Set("Vary", "Accept")
	return c.Blob(http.StatusOK, mediaActivity+"; charset=utf-8", []byte(body))
}

// WantsActivity reports whether a request asks for ActivityStreams JSON
// (application/activity+json, or application/ld+json with or without the
// ActivityStreams profile) rather than HTML.
func (s *Service) WantsActivity(r *http.Request) bool {
	accept := strings.ToLower(r.Header.Get("Accept"))
	return strings.Contains(accept, "application/activity+json") || strings.Contains(accept, "application/ld+json")
}

// ServeOrganization answers an organisation's actor document.
func (s *Service) ServeOrganization(c echo.Context, org *library.Organization) error {
	if !org.Local {
		return notFound("remote organisation")
	}
	return s.serveActor(c, orgActor(org))
}

// ServeGone answers 410 with a Tombstone for a deleted object.
func (s *Service) ServeGone(c echo.Context, apID, formerType string, deleted time.Time) error {
	return s.writeDoc(c, http.StatusGone, tombstone(apID, formerType, deleted))
}
