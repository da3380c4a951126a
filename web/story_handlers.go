package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// storyRequest is the API body of a story: its fields plus, for coordinator tokens, the organisation.
type storyRequest struct {
	library.StoryInput
	Org string `json:"org"`
}

func (s *Server) apiPreviewStory(c echo.Context) error {
	var req storyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.store.PreviewStory(req.StoryInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) apiCreateStory(c echo.Context) error {
	var req storyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	org, err := s.actingOrg(c, req.Org)
	if err != nil {
		return err
	}
	st, err := s.store.CreateStory(c.Request().Context(), org.ID, req.StoryInput)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, st.URL)
	return c.JSON(http.StatusCreated, st)
}

func (s *Server) apiStories(c echo.Context) error {
	q := library.StoryQuery{Viewer: viewer(c), Limit: atoi(c.QueryParam("limit")), Offset: atoi(c.QueryParam("offset"))}
	if handle := c.QueryParam("org"); handle != "" {
		org, err := s.store.OrganizationByHandle(c.Request().Context(), handle)
		if err != nil {
			return err
		}
		q.OrgID = org.ID
	}
	items, err := s.store.Stories(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func (s *Server) apiStory(c echo.Context) error {
	st, err := s.shownStory(c, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// ownedStory loads a story the caller may change.
func (s *Server) ownedStory(c echo.Context) (*library.Story, error) {
	st, err := s.store.Story(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if err := mayEdit(c, st.OrgID); err != nil {
		return nil, err
	}
	return st, nil
}

func (s *Server) apiUpdateStory(c echo.Context) error {
	if _, err := s.ownedStory(c); err != nil {
		return err
	}
	var in library.StoryInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := s.store.UpdateStory(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (s *Server) apiDeleteStory(c echo.Context) error {
	if _, err := s.ownedStory(c); err != nil {
		return err
	}
	if err := s.store.DeleteStory(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
