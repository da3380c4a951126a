package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/citizen-network/commonplace/library"
)

// metrics counts requests by route and status, in a registry of the server's
// own (no global state), served at /metrics in Prometheus' text format to
// holders of the metrics token or of a coordinator API token.
type metrics struct {
	registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	loginRefused *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "commonplace_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "commonplace_http_request_seconds", Help: "HTTP request duration by route.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		loginRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "commonplace_logins_refused_total", Help: "Logins refused, by reason (wrong_password, throttled, ...).",
		}, []string{"reason"}),
	}
	for _, reason := range []string{"wrong_password", "throttled", "busy"} {
		m.loginRefused.WithLabelValues(reason) // shown at 0 before the first
	}
	m.registry.MustRegister(m.requests, m.duration, m.loginRefused, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds a collector of another package (the delivery queue, the index).
func (s *Server) Register(c prometheus.Collector) error { return s.metrics.registry.Register(c) }

func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status, _ = statusOf(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		return err
	}
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
}

// LoginRefused counts a refused login under reason, a short fixed word such
// as "wrong_password" or "throttled" (never an address: each reason is a series).
func (s *Server) LoginRefused(reason string) { s.metrics.loginRefused.WithLabelValues(reason).Inc() }

// requireMetricsToken lets through a request bearing the metrics token
// (Config.MetricsToken) or a coordinator API token: Prometheus sends either
// with its authorization setting (type Bearer). Anyone else gets 401, and
// the holder of an organisation's token 403.
func (s *Server) requireMetricsToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		token = strings.TrimSpace(token)
		if !ok || token == "" {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			return c.JSON(http.StatusUnauthorized, map[string]string{"error": "metrics need a token: Authorization: Bearer TOKEN (the node's metrics token or a coordinator API token)"})
		}
		if s.cfg.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.MetricsToken)) == 1 {
			return next(c)
		}
		p, err := s.store.TokenPrincipal(c.Request().Context(), token)
		switch {
		case errors.Is(err, library.ErrNotFound):
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics", error="invalid_token"`)
			return c.JSON(http.StatusUnauthorized, map[string]string{"error": "the metrics token is not valid"})
		case err != nil:
			return err
		case !p.Admin:
			return c.JSON(http.StatusForbidden, map[string]string{"error": "metrics need the metrics token or a coordinator API token"})
		}
		return next(c)
	}
}
