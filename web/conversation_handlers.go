package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// An accepted introduction opens a private conversation between its two
// organisations: each one's contact, their messages, and the outcome that
// closes it (library/conversation.go). Pages for staff, the same in the API.

// introductionSide is the organisation a request acts for in an
// introduction: the staff member's or token's own, which must be one of its
// two; a coordinator token names it with org (either side's handle).
func (s *Server) introductionSide(c echo.Context, in *library.Introduction, handle string) (string, error) {
	if p := principal(c); p != nil && p.Admin {
		for _, o := range []*library.Organization{in.FromOrg, in.ToOrg} {
			if o != nil && o.Local && (handle == "" || o.Handle == handle) {
				return o.ID, nil
			}
		}
		return "", library.Invalid("org", "name a local organisation of the introduction")
	}
	orgID := ""
	switch {
	case principal(c) != nil:
		orgID = principal(c).OrgID
	case account(c) != nil && account(c).OrgID != nil:
		orgID = *account(c).OrgID
	}
	if orgID == "" || (in.FromOrgID != orgID && in.ToOrgID != orgID) {
		return "", echo.NewHTTPError(http.StatusForbidden, "only the two organisations of an introduction see its conversation")
	}
	return orgID, nil
}

// conversation loads an introduction and its entries for the request's side.
func (s *Server) conversation(c echo.Context, handle string) (*library.Introduction, string, []library.ConversationEntry, error) {
	ctx := c.Request().Context()
	in, err := s.store.Introduction(ctx, c.Param("id"))
	if err != nil {
		return nil, "", nil, err
	}
	orgID, err := s.introductionSide(c, in, handle)
	if err != nil {
		return nil, "", nil, err
	}
	entries, err := s.store.Conversation(ctx, in.ID, orgID)
	return in, orgID, entries, err
}

// apiConversation is GET /api/v1/introductions/:id: the introduction and its conversation.
func (s *Server) apiConversation(c echo.Context) error {
	in, _, entries, err := s.conversation(c, c.QueryParam("org"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"introduction": in, "entries": entries})
}

// apiPostMessage is POST /api/v1/introductions/:id/messages {body}.
func (s *Server) apiPostMessage(c echo.Context) error {
	var req struct {
		Body string `json:"body"`
		Org  string `json:"org"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in, orgID, _, err := s.conversation(c, req.Org)
	if err != nil {
		return err
	}
	e, err := s.store.PostMessage(c.Request().Context(), in.ID, orgID, req.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

// apiClose is POST /api/v1/introductions/:id/close {outcome: helped|not_a_fit, note}.
func (s *Server) apiClose(c echo.Context) error {
	var req struct {
		Outcome string `json:"outcome"`
		Note    string `json:"note"`
		Org     string `json:"org"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in, orgID, _, err := s.conversation(c, req.Org)
	if err != nil {
		return err
	}
	in, err = s.store.CloseIntroduction(c.Request().Context(), in.ID, orgID, req.Outcome, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, in)
}

// apiIntroductionCounts is GET /api/v1/admin/introductions/counts: how the
// node's introductions turned out.
func (s *Server) apiIntroductionCounts(c echo.Context) error {
	counts, err := s.store.CountIntroductions(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, counts)
}

// apiContact is GET and PUT /api/v1/orgs/:handle/contact: the contact the
// organisation shares once an introduction is accepted.
func (s *Server) apiContact(c echo.Context) error {
	org, err := s.actingOrg(c, c.Param("handle"))
	if err != nil {
		return err
	}
	if c.Request().Method == http.MethodPut {
		var in library.ContactInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		if org, err = s.store.SetContact(c.Request().Context(), org.ID, in); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, library.ContactInput{Name: org.ContactName, Email: org.ContactEmail})
}

// conversationPage is GET /introductions/:id.
func (s *Server) conversationPage(c echo.Context) error {
	in, orgID, entries, err := s.conversation(c, "")
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "conversation", "Introduction", map[string]any{
		"Intro": in, "Entries": entries, "OrgID": orgID, "Other": in.Other(orgID),
		"Open":    in.State == library.IntroAccepted && in.Outcome == "",
		"Already": c.QueryParam("already") != "",
	})
}

// postMessageForm is POST /introductions/:id/messages.
func (s *Server) postMessageForm(c echo.Context) error {
	in, orgID, _, err := s.conversation(c, "")
	if err != nil {
		return err
	}
	if _, err := s.store.PostMessage(c.Request().Context(), in.ID, orgID, c.FormValue("body")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/introductions/"+in.ID+"#conversation")
}

// closeForm is POST /introductions/:id/close.
func (s *Server) closeForm(c echo.Context) error {
	in, orgID, _, err := s.conversation(c, "")
	if err != nil {
		return err
	}
	if _, err := s.store.CloseIntroduction(c.Request().Context(), in.ID, orgID, c.FormValue("outcome"), c.FormValue("note")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/introductions/"+in.ID)
}

// contactForm is POST /dashboard/contact: the contact the organisation
// shares once an introduction is accepted (an empty name shares none).
func (s *Server) contactForm(c echo.Context) error {
	a := account(c)
	if a.OrgID == nil || !a.CanEdit(*a.OrgID) {
		return echo.NewHTTPError(http.StatusForbidden, "only the staff of an organisation choose its contact")
	}
	in := library.ContactInput{Name: c.FormValue("contact_name"), Email: c.FormValue("contact_email")}
	if _, err := s.store.SetContact(c.Request().Context(), *a.OrgID, in); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard#d-contact")
}
