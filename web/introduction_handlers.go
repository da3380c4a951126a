package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// introductionRequest is the API body of an introduction; a coordinator token
// names the organisation it speaks for (org), an organisation's token need not.
type introductionRequest struct {
	library.IntroductionInput
	Org string `json:"org"`
	// Ask is set by the need's organisation asking the offer's for an introduction.
	Ask bool `json:"ask"`
}

// apiIntroduce is POST /api/v1/introductions {offer_id, need_id, message}.
func (s *Server) apiIntroduce(c echo.Context) error {
	var req introductionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	org, err := s.actingOrg(c, req.Org)
	if err != nil {
		return err
	}
	create := s.store.CreateIntroduction
	if req.Ask {
		create = s.store.AskForIntroduction
	}
	in, err := create(c.Request().Context(), org.ID, req.IntroductionInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, in)
}

// apiIntroductions is GET /api/v1/introductions: those the organisation made or received.
func (s *Server) apiIntroductions(c echo.Context) error {
	org, err := s.actingOrg(c, c.QueryParam("org"))
	if err != nil {
		return err
	}
	items, err := s.store.Introductions(c.Request().Context(), org.ID, atoi(c.QueryParam("limit")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiAnswer is POST /api/v1/introductions/:id/accept and /reject; a reject
// may give {"reason": "..."}, which the other side sees.
func (s *Server) apiAnswer(accept bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		var req struct {
			Reason string `json:"reason"`
		}
		if c.Request().ContentLength > 0 {
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
		}
		in, err := s.store.Introduction(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		orgID := principal(c).OrgID
		if principal(c).Admin {
			orgID = in.Answerer()
		}
		if accept {
			in, err = s.store.AnswerIntroduction(ctx, in.ID, orgID, true)
		} else {
			in, err = s.store.DeclineIntroduction(ctx, in.ID, orgID, req.Reason)
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, in)
	}
}

// apiWithdraw is POST /api/v1/introductions/:id/withdraw, by the side that
// made or asked for it, before an answer.
func (s *Server) apiWithdraw(c echo.Context) error {
	ctx := c.Request().Context()
	in, err := s.store.Introduction(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	orgID := principal(c).OrgID
	if principal(c).Admin && in.Asker() != nil {
		orgID = in.Asker().ID
	}
	if in, err = s.store.WithdrawIntroduction(ctx, in.ID, orgID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, in)
}

// withdrawForm is POST /introductions/:id/withdraw.
func (s *Server) withdrawForm(c echo.Context) error {
	a := account(c)
	if a.OrgID == nil {
		return echo.NewHTTPError(http.StatusForbidden, "only staff of an organisation can withdraw its introduction")
	}
	if _, err := s.store.WithdrawIntroduction(c.Request().Context(), c.Param("id"), *a.OrgID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/introductions/"+c.Param("id"))
}

// introduce is POST /introductions, the form under a match.
func (s *Server) introduce(c echo.Context) error {
	a := account(c)
	if a.OrgID == nil {
		return echo.NewHTTPError(http.StatusForbidden, "only staff of an organisation can introduce it")
	}
	in := library.IntroductionInput{OfferID: c.FormValue("offer_id"), NeedID: c.FormValue("need_id"), Message: c.FormValue("message")}
	create := s.store.CreateIntroduction
	if c.FormValue("ask") == "true" {
		create = s.store.AskForIntroduction
	}
	made, err := create(c.Request().Context(), *a.OrgID, in)
	if errors.Is(err, library.ErrConflict) {
		// Already introduced (or asked): show that one rather than an error.
		if existing, ferr := s.store.OpenIntroduction(c.Request().Context(), in.OfferID, in.NeedID); ferr == nil {
			return c.Redirect(http.StatusSeeOther, "/introductions/"+existing.ID+"?already=1")
		}
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/introductions/"+made.ID)
}

// answerIntroduction is POST /introductions/:id/answer with decision=accept or reject.
func (s *Server) answerIntroduction(c echo.Context) error {
	a := account(c)
	if a.OrgID == nil {
		return echo.NewHTTPError(http.StatusForbidden, "only staff of an organisation can answer for it")
	}
	decision := c.FormValue("decision")
	if decision != "accept" && decision != "reject" {
		return library.Invalid("decision", "must be accept or reject")
	}
	var err error
	if decision == "accept" {
		_, err = s.store.AnswerIntroduction(c.Request().Context(), c.Param("id"), *a.OrgID, true)
	} else {
		_, err = s.store.DeclineIntroduction(c.Request().Context(), c.Param("id"), *a.OrgID, c.FormValue("reason"))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/introductions/"+c.Param("id"))
}

// apiNotifications is GET /api/v1/notifications: new offers matching the organisation's needs.
func (s *Server) apiNotifications(c echo.Context) error {
	svc, err := s.searchService()
	if err != nil {
		return err
	}
	org, err := s.actingOrg(c, c.QueryParam("org"))
	if err != nil {
		return err
	}
	items, err := svc.Notifications(c.Request().Context(), org.ID, atoi(c.QueryParam("limit")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}
