// Package web is the Echo application of a node: its HTML pages, the JSON API
// under /api/v1, sessions, CSRF protection and authentication.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/ratelimit"
	"github.com/citizen-network/commonplace/search"
)

// Config is the web layer's part of the node configuration.
type Config struct {
	// BaseURL is the node's public URL, without a trailing slash.
	BaseURL string
	// Version is shown in the footer and in NodeInfo.
	Version string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client; with none, the client is the connection's peer, since anyone can
	// write that header.
	TrustedProxies []*net.IPNet
	// MetricsToken, when set, is a bearer token that may read /metrics
	// (coordinator API tokens may too).
	MetricsToken string
	// QueryLimit is each anonymous client's budget for the costly queries
	// (searches, matches, feeds); the zero value sets no limit.
	QueryLimit ratelimit.Limits
}

// Mount adds routes of another package (federation, search) to the application.
type Mount func(e *echo.Echo)

// ObjectServer answers ActivityPub requests for the URLs that web also serves as
// HTML; federation implements it, so one URL serves both by Accept.
type ObjectServer interface {
	// WantsActivity reports whether the request asks for ActivityStreams JSON.
	WantsActivity(r *http.Request) bool
	ServeOrganization(c echo.Context, org *library.Organization) error
	ServeListing(c echo.Context, l *library.Listing) error
	// ServeGone answers for a deleted object with a Tombstone.
	ServeGone(c echo.Context, apID, formerType string, deleted time.Time) error
}

// Server is the node's HTTP application.
type Server struct {
	cfg     Config
	store   *library.Store
	log     *slog.Logger
	e       *echo.Echo
	pages   *pages
	objects ObjectServer
	search  *search.Service // nil when the node runs without an index
	metrics *metrics
	fed     Federation // nil when the node runs without federation
	logins  *LoginLimiter
	queries *ratelimit.Table // the anonymous budget of searches, matches and feeds
}

// Option configures optional collaborators of the server.
type Option func(*Server)

// WithObjects lets federation answer ActivityPub requests for object URLs.
func WithObjects(o ObjectServer) Option { return func(s *Server) { s.objects = o } }

// WithFederation gives the coordinator's federation page and API their service.
func WithFederation(f Federation) Option { return func(s *Server) { s.fed = f } }

// WithLoginLimiter sets the budget of password guesses (tests give a small one).
func WithLoginLimiter(l *LoginLimiter) Option { return func(s *Server) { s.logins = l } }

// WithMount adds another package's routes.
func WithMount(m Mount) Option { return func(s *Server) { m(s.e) } }

// New builds the application.
func New(cfg Config, store *library.Store, log *slog.Logger, opts ...Option) *Server {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{cfg: cfg, store: store, log: log, e: e, pages: mustParsePages(), metrics: newMetrics(),
		logins: NewLoginLimiter(DefaultAccountLimits, DefaultAddressLimits), queries: ratelimit.New(cfg.QueryLimit)}
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		log.Error("panic", "path", c.Request().URL.Path, "error", err, "stack", string(stack))
		return err
	}}))
	e.Use(s.metrics.middleware)
	e.Use(bodyLimit(maxBody))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "same-origin", ContentSecurityPolicy: "default-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'",
	}))
	e.Use(s.loadSession)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper:        skipCSRF,
		TokenLookup:    "form:_csrf",
		CookieName:     "commonplace_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.secureCookies(),
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "the form expired or did not come from this site; reload the page and try again")
		},
	}))
	for _, o := range opts {
		o(s)
	}
	s.routes()
	return s
}

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// bodyLimit refuses bodies over limit with 413: at once when Content-Length
// says so, or when a chunked body reaches it while being read.
func bodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > limit {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", limit))
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			return next(c)
		}
	}
}

// clientIP reads the client's address from the connection, or from
// X-Forwarded-For when the connection comes from a trusted proxy.
func clientIP(proxies []*net.IPNet) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		opts = append(opts, echo.TrustIPRange(p))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// skipCSRF leaves out the JSON API (bearer tokens, no cookies) and federation endpoints.
func skipCSRF(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/.well-known/") ||
		strings.HasSuffix(p, "/inbox") || p == "/inbox" || p == "/healthz" || p == "/metrics"
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

// Handler is the application as an http.Handler.
func (s *Server) Handler() http.Handler { return s.e }

// Echo exposes the router, for packages that mount routes after New.
func (s *Server) Echo() *echo.Echo { return s.e }

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error { return s.e.Shutdown(ctx) }
