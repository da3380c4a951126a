package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// listingHandlers serve offers or needs, depending on kind.
type listingHandlers struct {
	s    *Server
	kind library.ListingKind
}

// listingRequest is the API body: the listing fields plus, for coordinator tokens, the organisation.
type listingRequest struct {
	library.ListingInput
	Org string `json:"org"`
}

func (h listingHandlers) apiList(c echo.Context) error {
	q := library.ListingQuery{Kind: h.kind, Viewer: viewer(c), Limit: atoi(c.QueryParam("limit")), Offset: atoi(c.QueryParam("offset"))}
	if handle := c.QueryParam("org"); handle != "" {
		org, err := h.s.store.OrganizationByHandle(c.Request().Context(), handle)
		if err != nil {
			return err
		}
		q.OrgID = org.ID
	}
	items, err := h.s.store.Listings(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func (h listingHandlers) apiCreate(c echo.Context) error {
	var req listingRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	org, err := h.s.actingOrg(c, req.Org)
	if err != nil {
		return err
	}
	l, err := h.s.store.CreateListing(c.Request().Context(), h.kind, org.ID, req.ListingInput)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, l.URL)
	return c.JSON(http.StatusCreated, l)
}

func (h listingHandlers) apiGet(c echo.Context) error {
	l, err := h.s.shownListing(c, h.kind, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// owned loads a listing the caller may change.
func (h listingHandlers) owned(c echo.Context) (*library.Listing, error) {
	l, err := h.s.store.Listing(c.Request().Context(), h.kind, c.Param("id"))
	if err != nil {
		return nil, err
	}
	if err := mayEdit(c, l.OrgID); err != nil {
		return nil, err
	}
	return l, nil
}

func (h listingHandlers) apiUpdate(c echo.Context) error {
	if _, err := h.owned(c); err != nil {
		return err
	}
	var in library.ListingInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := h.s.store.UpdateListing(c.Request().Context(), h.kind, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

func (h listingHandlers) apiDelete(c echo.Context) error {
	if _, err := h.owned(c); err != nil {
		return err
	}
	if err := h.s.store.DeleteListing(c.Request().Context(), h.kind, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
