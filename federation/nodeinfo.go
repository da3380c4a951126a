package federation

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// NodeInfo schema IRIs.
const (
	nodeinfo20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"
	nodeinfo21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"
)

// nodeinfoLinks is /.well-known/nodeinfo.
func (s *Service) nodeinfoLinks(c echo.Context) error {
	return writeJSON(c, http.StatusOK, "application/json", map[string]any{"links": []map[string]string{
		{"rel": nodeinfo20, "href": s.cfg.BaseURL + "/nodeinfo/2.0"},
		{"rel": nodeinfo21, "href": s.cfg.BaseURL + "/nodeinfo/2.1"},
	}})
}

// nodeinfo answers NodeInfo 2.0 or 2.1 (the version is the route's last part):
// the software, its version, closed registrations (a coordinator adds
// organisations) and usage counts, organisations counting as users.
func (s *Service) nodeinfo(version string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		orgs, err := s.store.CountOrganizations(ctx, true)
		if err != nil {
			return err
		}
		posts, err := s.store.CountListings(ctx, true)
		if err != nil {
			return err
		}
		software := map[string]any{"name": "commonplace", "version": s.cfg.Version}
		if version == "2.1" {
			software["repository"] = "https://github.com/citizen-network/commonplace"
			software["homepage"] = "https://citizen-network.org"
		}
		doc := map[string]any{
			"version":           version,
			"software":          software,
			"protocols":         []string{"activitypub"},
			"services":          map[string][]string{"inbound": {}, "outbound": {"atom1.0"}},
			"openRegistrations": false,
			"usage": map[string]any{
				"users":      map[string]int64{"total": orgs, "activeMonth": orgs, "activeHalfyear": orgs},
				"localPosts": posts,
			},
			"metadata": map[string]any{
				"nodeName":       "Commonplace node " + s.host,
				"federationMode": string(s.mode(ctx)),
				"instanceActor":  s.InstanceActor(),
			},
		}
		schema := nodeinfo20
		if version == "2.1" {
			schema = nodeinfo21
		}
		return writeJSON(c, http.StatusOK, `application/json; profile="`+schema+`#"`, doc)
	}
}

// hostMeta is /.well-known/host-meta: the WebFinger template, in XRD.
func (s *Service) hostMeta(c echo.Context) error {
	xrd := `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" type="application/xrd+xml" template="` + s.cfg.BaseURL + `/.well-known/webfinger?resource={uri}"/>
</XRD>
`
	return c.Blob(http.StatusOK, "application/xrd+xml; charset=utf-8", []byte(xrd))
}
