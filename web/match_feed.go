package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// atomFeed is an Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Link    atomLink   `xml:"link"`
	Summary atomText   `xml:"summary"`
	Author  atomPerson `xml:"author"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// matchesFeed is GET /orgs/:handle/matches.atom: the new offers that match
// the organisation's needs, with the reasons, for a feed reader.
func (s *Server) matchesFeed(c echo.Context) error {
	svc, err := s.searchService()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	org, err := s.store.OrganizationByHandle(ctx, c.Param("handle"))
	if err != nil {
		return err
	}
	items, err := svc.Notifications(ctx, org.ID, 50)
	if err != nil {
		return err
	}
	// The feed has no login: it shows only matches whose both sides the reader may see.
	v := viewer(c)
	kept := items[:0:0]
	for _, n := range items {
		if v.Sees(n.Offer) && v.Sees(n.Need) {
			kept = append(kept, n)
		}
	}
	items = kept
	self := s.cfg.BaseURL + "/orgs/" + org.Handle + "/matches.atom"
	feed := atomFeed{ID: self, Title: "Offers matching the needs of " + org.Name, Updated: org.CreatedAt.UTC().Format(time.RFC3339),
		Link:   []atomLink{{Href: self, Rel: "self", Type: "application/atom+xml"}, {Href: s.cfg.BaseURL + "/dashboard", Rel: "alternate"}},
		Author: atomPerson{Name: org.Name}}
	for i, n := range items {
		if i == 0 {
			feed.Updated = n.CreatedAt.UTC().Format(time.RFC3339)
		}
		author := ""
		if n.Offer.Org != nil {
			author = n.Offer.Org.Name
		}
		feed.Entries = append(feed.Entries, atomEntry{
			ID: s.cfg.BaseURL + "/notifications/" + n.ID, Title: n.Offer.Title + " — for " + n.Need.Title,
			Updated: n.CreatedAt.UTC().Format(time.RFC3339), Link: atomLink{Href: s.cfg.BaseURL + "/offers/" + n.Offer.ID},
			Summary: atomText{Type: "text", Body: strings.Join(n.Reasons, ". ") + "."}, Author: atomPerson{Name: author},
		})
	}
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
