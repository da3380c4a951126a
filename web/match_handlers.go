package web

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/search"
)

func init() {
	// percent shows a score from 0 to 1 as a whole percentage.
	templateFuncs["percent"] = func(score float64) string { return fmt.Sprintf("%d%%", int(math.Round(score*100))) }
}

// matchHandlers serve the matches of needs (offers that could meet them) or
// of offers (needs they could meet).
type matchHandlers struct {
	s    *Server
	kind library.ListingKind
}

// apiMatch is one match as the API shows it: the other side under its kind.
type apiMatch map[string]any

func (h matchHandlers) toAPI(ms []search.Match) []apiMatch {
	out := make([]apiMatch, 0, len(ms))
	other := string(library.Offer)
	if h.kind == library.Offer {
		other = string(library.Need)
	}
	for _, m := range ms {
		out = append(out, apiMatch{other: m.Listing, "score": m.Score, "reasons": m.Reasons, "parts": m.Parts})
	}
	return out
}

// apiMatches is GET /api/v1/{needs,offers}/:id/matches?limit=.
func (h matchHandlers) apiMatches(c echo.Context) error {
	svc, err := h.s.searchService()
	if err != nil {
		return err
	}
	l, err := h.s.shownListing(c, h.kind, c.Param("id"))
	if err != nil {
		return err
	}
	ms, err := svc.MatchListing(c.Request().Context(), l, atoi(c.QueryParam("limit")))
	if err != nil {
		return err
	}
	if ms, err = h.s.shownMatches(c, ms); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"matches": h.toAPI(ms)})
}

// page is GET /{needs,offers}/:id/matches: the matches with their reasons, and
// for a need, a button to introduce one's own offer.
func (h matchHandlers) page(c echo.Context) error {
	svc, err := h.s.searchService()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.s.shownListing(c, h.kind, c.Param("id"))
	if err != nil {
		return err
	}
	ms, err := svc.MatchListing(ctx, l, 20)
	if err != nil {
		return err
	}
	if ms, err = h.s.shownMatches(c, ms); err != nil {
		return err
	}
	data := map[string]any{"Listing": l, "Matches": ms}
	if a := account(c); a != nil && a.OrgID != nil {
		data["MyOrgID"] = *a.OrgID
		if h.kind == library.Need && *a.OrgID != l.OrgID {
			mine, err := h.s.store.Listings(ctx, library.ListingQuery{Kind: library.Offer, OrgID: *a.OrgID, OpenOnly: true, Limit: 100})
			if err != nil {
				return err
			}
			data["MyOffers"] = mine
		}
	}
	title := "Who could help"
	if h.kind == library.Offer {
		title = "Who this could help"
	}
	return h.s.render(c, http.StatusOK, "matches", title, data)
}

// shownMatches keeps the matches whose other side the request's viewer may see.
func (s *Server) shownMatches(c echo.Context, ms []search.Match) ([]search.Match, error) {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.Listing.ID
	}
	seen, err := s.store.VisibleListingIDs(c.Request().Context(), viewer(c), ids)
	if err != nil {
		return nil, err
	}
	out := ms[:0:0]
	for _, m := range ms {
		if seen[m.Listing.ID] {
			out = append(out, m)
		}
	}
	return out, nil
}

// apiCircles is GET /api/v1/circles: exchange circles among the node's organisations.
func (s *Server) apiCircles(c echo.Context) error {
	svc, err := s.searchService()
	if err != nil {
		return err
	}
	circles, err := svc.Circles(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"circles": circles})
}

// circlesPage is GET /admin/circles, for coordinators.
func (s *Server) circlesPage(c echo.Context) error {
	svc, err := s.searchService()
	if err != nil {
		return err
	}
	circles, err := svc.Circles(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "circles", "Exchange circles", map[string]any{"Circles": circles})
}

// listingMatches is a listing of the dashboard with its best matches.
type listingMatches struct {
	Listing library.Listing
	Matches []search.Match
}

// dashboardMatches is how many of an organisation's listings show their matches.
const dashboardMatches = 10

// addMatchData puts on the dashboard the organisation's introductions and,
// when search runs, the top matches of its open needs and offers and its
// notifications.
func (s *Server) addMatchData(c echo.Context, orgID string, offers, needs []library.Listing, data map[string]any) error {
	ctx := c.Request().Context()
	intros, err := s.store.Introductions(ctx, orgID, 50)
	if err != nil {
		return err
	}
	data["Introductions"], data["OrgID"] = intros, orgID
	if s.search == nil {
		return nil
	}
	for key, ls := range map[string][]library.Listing{"NeedMatches": needs, "OfferMatches": offers} {
		var out []listingMatches
		for _, l := range ls {
			if len(out) == dashboardMatches || !l.Open(time.Now()) {
				continue
			}
			ms, err := s.search.MatchListing(ctx, &l, 3)
			if err != nil {
				return err
			}
			out = append(out, listingMatches{l, ms})
		}
		data[key] = out
	}
	notes, err := s.search.Notifications(ctx, orgID, 20)
	if err != nil {
		return err
	}
	data["Notifications"] = notes
	unread := 0
	for _, n := range notes {
		if n.ReadAt == nil {
			unread++
		}
	}
	data["Unread"] = unread
	return nil
}
