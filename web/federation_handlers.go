package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
)

// Federation is what the coordinator's federation page and API need of the
// federation service.
type Federation interface {
	AddPeer(ctx context.Context, url string) (*federation.Peer, error)
	ApprovePeer(ctx context.Context, domain string) error
	Status(ctx context.Context) (*federation.Status, error)
	RetryNow(ctx context.Context, host string) error
	SetMode(ctx context.Context, m federation.Mode) error
	AllowDomain(ctx context.Context, domain, reason string) error
	BlockDomain(ctx context.Context, domain, reason string) error
	RemoveDomainPolicy(ctx context.Context, domain string) error
	FollowAccount(ctx context.Context, orgID, target string) error
	Consent(ctx context.Context, org *library.Organization) (*federation.Consent, error)
	MoveOrganization(ctx context.Context, orgID, target string) (*library.Organization, error)
}

// federationOff answers when the node runs without federation.
var federationOff = echo.NewHTTPError(http.StatusNotFound, "federation is not enabled on this node")

func (s *Server) apiAddPeer(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	var req struct {
		URL string `json:"url"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.fed.AddPeer(c.Request().Context(), req.URL)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, p)
}

func (s *Server) apiFederation(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	st, err := s.fed.Status(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (s *Server) apiRetry(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	var req struct {
		Host string `json:"host"` // optional: retry only this peer
	}
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	if err := s.fed.RetryNow(c.Request().Context(), req.Host); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// domainRequest sets a domain's policy (allow or block) or the mode.
type domainRequest struct {
	Domain string `json:"domain"`
	Policy string `json:"policy"`
	Reason string `json:"reason"`
}

func (s *Server) apiDomain(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	var req domainRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.setDomainPolicy(c.Request().Context(), req); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) setDomainPolicy(ctx context.Context, req domainRequest) error {
	switch req.Policy {
	case "block":
		return s.fed.BlockDomain(ctx, req.Domain, req.Reason)
	case "allow":
		return s.fed.AllowDomain(ctx, req.Domain, req.Reason)
	case "none":
		return s.fed.RemoveDomainPolicy(ctx, req.Domain)
	}
	return library.Invalid("policy", "must be allow, block or none")
}

func (s *Server) apiFederationMode(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	var req struct {
		Mode federation.Mode `json:"mode"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.fed.SetMode(c.Request().Context(), req.Mode); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiFollow makes an organisation follow an account elsewhere (user@host or an actor URL).
func (s *Server) apiFollow(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	var req struct {
		Account string `json:"account"`
		Org     string `json:"org"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	org, err := s.actingOrg(c, req.Org)
	if err != nil {
		return err
	}
	if err := s.fed.FollowAccount(c.Request().Context(), org.ID, req.Account); err != nil {
		var ue *federation.UnreachableError
		if errors.As(err, &ue) {
			return echo.NewHTTPError(http.StatusBadGateway, ue.Error()).SetInternal(err)
		}
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// apiMoveOrg moves a local organisation to the actor named by "to", on
// another server, which must already name it in alsoKnownAs (import the
// organisation's archive there first: commonplace org import).
func (s *Server) apiMoveOrg(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	var req struct {
		To string `json:"to"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.To == "" {
		return library.Invalid("to", "is required: the organisation's new actor IRI")
	}
	org, err := s.store.OrganizationByHandle(c.Request().Context(), c.Param("handle"))
	if err != nil {
		return err
	}
	org, err = s.fed.MoveOrganization(c.Request().Context(), org.ID, req.To)
	if err != nil {
		var ue *federation.UnreachableError
		if errors.As(err, &ue) {
			return echo.NewHTTPError(http.StatusBadGateway, ue.Error()).SetInternal(err)
		}
		return err
	}
	return c.JSON(http.StatusAccepted, org)
}

// apiOrgArchive is a local organisation and everything it published, for
// another node to import before the organisation moves there.
func (s *Server) apiOrgArchive(c echo.Context) error {
	a, err := s.store.ExportOrganization(c.Request().Context(), c.Param("handle"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// federationPage is the coordinator's view: mode, peers, delivery health, domains, reports.
func (s *Server) federationPage(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	st, err := s.fed.Status(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "federation", "Federation", map[string]any{
		"Status": st, "Notice": c.QueryParam("notice"), "Error": c.QueryParam("error")})
}

// federationForm runs one of the page's forms and returns to the page with
// a notice, or with the error when it was the coordinator's mistake.
func (s *Server) federationForm(c echo.Context) error {
	if s.fed == nil {
		return federationOff
	}
	ctx := c.Request().Context()
	var err error
	notice := "Done."
	switch c.Param("action") {
	case "peers":
		var p *federation.Peer
		p, err = s.fed.AddPeer(ctx, c.FormValue("url"))
		notice = "Peer request sent. The other node answers in a moment."
		if err == nil && p.State == "peered" {
			notice = "Already peered with " + p.Domain + "."
		}
	case "approve":
		err = s.fed.ApprovePeer(ctx, c.FormValue("domain"))
		notice = "Peer approved."
	case "retry":
		err = s.fed.RetryNow(ctx, c.FormValue("host"))
		notice = "Deliveries will be tried again now."
	case "domains":
		err = s.setDomainPolicy(ctx, domainRequest{Domain: c.FormValue("domain"), Policy: c.FormValue("policy"), Reason: c.FormValue("reason")})
	case "mode":
		err = s.fed.SetMode(ctx, federation.Mode(c.FormValue("mode")))
	default:
		return library.ErrNotFound
	}
	if err != nil {
		code, msg := statusOf(err)
		if code >= 500 {
			return err
		}
		// The coordinator's mistake: the page again, saying what was wrong
		// (not in the URL, where it would stay in the history).
		st, serr := s.fed.Status(ctx)
		if serr != nil {
			return serr
		}
		return s.render(c, code, "federation", "Federation", map[string]any{"Status": st, "Error": msg})
	}
	return c.Redirect(http.StatusSeeOther, "/admin/federation?"+url.Values{"notice": {notice}}.Encode())
}
