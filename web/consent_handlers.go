package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
)

// Consent to be indexed beyond this node: an organisation's (and its actor's
// discoverable), and each offer's, need's, story's and event's. A change is
// federated as an Update; peers drop what may no longer be indexed and send
// receipts, which the organisation's consent report shows.

// consentKinds maps the path segment of a kind to its change-log kind.
var consentKinds = map[string]library.ObjectKind{
	"offers": library.KindOffer, "needs": library.KindNeed, "stories": library.KindStory, "events": library.KindEvent,
}

// apiUpdateOrg changes an organisation's consent (PATCH /api/v1/orgs/{handle}).
func (s *Server) apiUpdateOrg(c echo.Context) error {
	org, err := s.editableOrg(c)
	if err != nil {
		return err
	}
	var in library.ConsentInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	org, err = s.store.SetOrganizationConsent(c.Request().Context(), org.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, org)
}

// apiConsent reports an organisation's consent and each peer's receipts of
// its withdrawals (GET /api/v1/orgs/{handle}/consent).
func (s *Server) apiConsent(c echo.Context) error {
	org, err := s.editableOrg(c)
	if err != nil {
		return err
	}
	report, err := s.consentReport(c.Request().Context(), org)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, report)
}

// apiObjectConsent sets one object's consent (PUT /api/v1/{kind}/{id}/consent).
func (s *Server) apiObjectConsent(c echo.Context) error {
	var req struct {
		Indexable *bool `json:"indexable"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Indexable == nil {
		return library.Invalid("indexable", "is required (true or false)")
	}
	kind, err := s.setObjectConsent(c, *req.Indexable)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"kind": kind, "id": c.Param("id"), "indexable": *req.Indexable})
}

// orgConsentForm is the form of the organisation page (POST /orgs/{handle}/consent).
func (s *Server) orgConsentForm(c echo.Context) error {
	org, err := s.editableOrg(c)
	if err != nil {
		return err
	}
	indexable, discoverable := c.FormValue("indexable") == "on", c.FormValue("discoverable") == "on"
	in := library.ConsentInput{Indexable: &indexable, Discoverable: &discoverable}
	if _, err := s.store.SetOrganizationConsent(c.Request().Context(), org.ID, in); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Handle+"#consent")
}

// objectConsentForm is the form of an object's page (POST /{kind}/{id}/consent).
func (s *Server) objectConsentForm(c echo.Context) error {
	if _, err := s.setObjectConsent(c, c.FormValue("indexable") == "on"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/"+kindSegment(c.Path())+"/"+c.Param("id"))
}

// setObjectConsent sets the consent of the object the path names, if the
// caller may edit its organisation.
func (s *Server) setObjectConsent(c echo.Context, indexable bool) (library.ObjectKind, error) {
	kind, ok := consentKinds[kindSegment(c.Path())]
	if !ok {
		return "", library.ErrNotFound
	}
	ctx := c.Request().Context()
	orgID, err := s.ownerOf(ctx, kind, c.Param("id"))
	if err != nil {
		return "", err
	}
	if err := mayEdit(c, orgID); err != nil {
		return "", err
	}
	_, err = s.store.SetIndexable(ctx, kind, c.Param("id"), indexable)
	return kind, err
}

// ownerOf is the organisation of an offer, need, story or event.
func (s *Server) ownerOf(ctx context.Context, kind library.ObjectKind, id string) (string, error) {
	switch kind {
	case library.KindStory:
		st, err := s.store.Story(ctx, id)
		if err != nil {
			return "", err
		}
		return st.OrgID, nil
	case library.KindEvent:
		e, err := s.store.Event(ctx, id)
		if err != nil {
			return "", err
		}
		return e.OrgID, nil
	}
	l, err := s.store.Listing(ctx, library.ListingKind(kind), id)
	if err != nil {
		return "", err
	}
	return l.OrgID, nil
}

// kindSegment is the kind's segment of a route path ("/api/v1/offers/:id/consent" → "offers").
func kindSegment(path string) string {
	path = strings.TrimPrefix(path, "/api/v1")
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return seg
}

// editableOrg is the local organisation the path names, if the caller
// (token or session) may edit it.
func (s *Server) editableOrg(c echo.Context) (*library.Organization, error) {
	org, err := s.store.OrganizationByHandle(c.Request().Context(), c.Param("handle"))
	if err != nil {
		return nil, err
	}
	if err := mayEdit(c, org.ID); err != nil {
		return nil, err
	}
	return org, nil
}

// consentReport is the organisation's consent with the peers' receipts, or
// without receipts when the node runs without federation.
func (s *Server) consentReport(ctx context.Context, org *library.Organization) (*federation.Consent, error) {
	if s.fed != nil {
		return s.fed.Consent(ctx, org)
	}
	report := &federation.Consent{Indexable: org.Indexable, Discoverable: org.Discoverable, Withdrawn: []federation.Withdrawal{}}
	objs, err := s.store.Unindexed(ctx, org.ID)
	for _, o := range objs {
		report.Withdrawn = append(report.Withdrawn, federation.Withdrawal{Kind: o.Kind, APID: o.APID, Title: o.Title, Since: o.UpdatedAt})
	}
	return report, err
}
