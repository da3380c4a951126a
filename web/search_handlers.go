package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/search"
	"github.com/citizen-network/commonplace/themes"
)

// WithSearch gives the server the node's search index and matcher.
func WithSearch(svc *search.Service) Option { return func(s *Server) { s.search = svc } }

// searchParams are the query parameters of a search, in the order links keep them.
var searchParams = []string{"q", "kind", "theme", "country", "lang", "format", "org", "node", "status", "limit"}

// searchQuery reads a search from the query string.
func searchQuery(c echo.Context) (search.Query, error) {
	q := search.Query{
		Text: c.QueryParam("q"), Kind: c.QueryParam("kind"), Theme: c.QueryParam("theme"),
		Country: c.QueryParam("country"), Lang: c.QueryParam("lang"), Format: c.QueryParam("format"),
		Org: c.QueryParam("org"), Node: c.QueryParam("node"), AllStatuses: c.QueryParam("status") == "all",
		Limit: atoi(c.QueryParam("limit")), Page: atoi(c.QueryParam("page")), Visibilities: viewer(c).Visibilities(),
	}
	if q.Kind != "" && !slices.Contains(search.Kinds(), q.Kind) {
		return q, library.Invalid("kind", "must be one of %s", strings.Join(search.Kinds(), ", "))
	}
	if q.Theme != "" && !themes.Valid(q.Theme) {
		return q, library.Invalid("theme", "unknown theme %q (see /api/v1/themes)", q.Theme)
	}
	if s := c.QueryParam("status"); s != "" && s != "all" && s != "open" {
		return q, library.Invalid("status", "must be open or all")
	}
	return q, nil
}

// searchService is the node's search, or an error saying it is switched off.
func (s *Server) searchService() (*search.Service, error) {
	if s.search == nil {
		return nil, echo.NewHTTPError(http.StatusServiceUnavailable, "search is not enabled on this node")
	}
	return s.search, nil
}

// apiSearch is GET /api/v1/search.
func (s *Server) apiSearch(c echo.Context) error {
	svc, err := s.searchService()
	if err != nil {
		return err
	}
	q, err := searchQuery(c)
	if err != nil {
		return err
	}
	res, err := svc.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// facetLink is one value of a facet on the search page.
type facetLink struct {
	Label    string
	Count    int
	URL      string
	Selected bool
}

// facetGroup is one facet on the search page.
type facetGroup struct {
	Name    string
	Heading string
	Links   []facetLink
	Clear   string // the URL without this facet, when one of its values is chosen
}

// searchPage is GET /search: the same search as HTML, facets as plain links.
func (s *Server) searchPage(c echo.Context) error {
	svc, err := s.searchService()
	if err != nil {
		return err
	}
	q, err := searchQuery(c)
	if err != nil {
		return err
	}
	res, err := svc.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	params := c.QueryParams()
	var hits []searchHit
	for _, h := range res.Hits {
		hits = append(hits, searchHit{h, template.HTML(h.Snippet)}) // #nosec: escaped by the highlighter
	}
	data := map[string]any{"Query": q, "Result": res, "Hits": hits, "Facets": facetGroups(params, res.Facets)}
	page, limit := max(q.Page, 1), max(q.Limit, 20)
	if page > 1 {
		data["Prev"] = withParam(params, "page", strconv.Itoa(page-1))
	}
	if uint64(page*limit) < res.Total {
		data["Next"] = withParam(params, "page", strconv.Itoa(page+1))
	}
	return s.render(c, http.StatusOK, "search", "Search", data)
}

// searchHit is a hit with its snippet ready to show.
type searchHit struct {
	search.Hit
	SnippetHTML template.HTML
}

// facetHeadings name the facets of the page, in order.
var facetHeadings = []struct{ name, heading string }{
	{"kind", "Kind"}, {"theme", "Theme"}, {"country", "Country"}, {"lang", "Language"},
}

// facetGroups turns the facets into links that add (or remove) a filter.
func facetGroups(params url.Values, facets map[string]search.Facet) []facetGroup {
	var out []facetGroup
	for _, fh := range facetHeadings {
		g := facetGroup{Name: fh.name, Heading: fh.heading}
		chosen := params.Get(fh.name)
		if chosen != "" {
			g.Clear = withParam(params, fh.name, "")
		}
		for value, n := range facets[fh.name] {
			g.Links = append(g.Links, facetLink{Label: facetLabel(fh.name, value), Count: n,
				URL: withParam(params, fh.name, value), Selected: strings.EqualFold(value, chosen)})
		}
		slices.SortFunc(g.Links, func(a, b facetLink) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Label, b.Label)
		})
		if len(g.Links) > 0 || g.Clear != "" {
			out = append(out, g)
		}
	}
	return out
}

// facetLabel is how a facet value reads on the page.
func facetLabel(facet, value string) string {
	switch facet {
	case "theme":
		if t, ok := themes.Lookup(value); ok {
			return t.Label("en")
		}
	case "kind":
		return map[string]string{"offer": "Can share", "need": "Want to learn", "organization": "Organisation",
			"story": "Story", "event": "Event"}[value]
	}
	return value
}

// withParam is the search URL with one parameter set (or removed when value is
// empty), starting again from the first page.
func withParam(params url.Values, name, value string) string {
	v := url.Values{}
	for _, p := range searchParams {
		if x := params.Get(p); x != "" {
			v.Set(p, x)
		}
	}
	if name == "page" {
		v.Set("page", value)
	} else if value == "" {
		v.Del(name)
	} else {
		v.Set(name, value)
	}
	return "/search?" + v.Encode()
}
