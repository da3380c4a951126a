package main

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// config is the node's configuration: flags, with COMMONPLACE_* environment fall-backs.
type config struct {
	DataDir                 string
	DatabaseURL             string
	Addr                    string
	BaseURL                 string
	InsecureLocalFederation bool
	AdminEmail              string
	LogLevel                string
	TrustedProxies          string
	trustedProxies          []*net.IPNet
	LogFormat               string
	MetricsToken            string
	// PruneEvery is how often the pruning job runs (0: never).
	PruneEvery time.Duration
	Retention  library.Retention
	// QueryRate and QueryBurst are each anonymous client's budget of searches,
	// matches and feeds (a rate of 0: no limit).
	QueryRate  float64
	QueryBurst int
	// envErrors are environment variables that could not be read, for validate.
	envErrors []string
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// addDataFlags adds the flags every command that opens the data folder needs.
func addDataFlags(cmd *cobra.Command, cfg *config) {
	cmd.Flags().StringVar(&cfg.DataDir, "data", envOr("COMMONPLACE_DATA", "./data"), "data folder (SQLite database and search index); env COMMONPLACE_DATA")
	cmd.Flags().StringVar(&cfg.DatabaseURL, "database-url", envOr("COMMONPLACE_DATABASE_URL", ""), "postgres://… to use PostgreSQL instead of SQLite; env COMMONPLACE_DATABASE_URL")
	cmd.Flags().StringVar(&cfg.BaseURL, "base-url", envOr("COMMONPLACE_BASE_URL", "http://localhost:8080"), "public URL of the node; env COMMONPLACE_BASE_URL")
	cmd.Flags().StringVar(&cfg.LogLevel, "log-level", envOr("COMMONPLACE_LOG_LEVEL", "info"), "debug, info, warn or error; env COMMONPLACE_LOG_LEVEL")
	cmd.Flags().StringVar(&cfg.LogFormat, "log-format", envOr("COMMONPLACE_LOG_FORMAT", "text"), "text, or json (one JSON object a line); env COMMONPLACE_LOG_FORMAT")
}

// addServeFlags adds the flags of a running node.
func addServeFlags(cmd *cobra.Command, cfg *config) {
	addDataFlags(cmd, cfg)
	cmd.Flags().StringVar(&cfg.Addr, "addr", envOr("COMMONPLACE_ADDR", "127.0.0.1:8080"), "address to listen on; env COMMONPLACE_ADDR")
	cmd.Flags().BoolVar(&cfg.InsecureLocalFederation, "insecure-local-federation", envOr("COMMONPLACE_INSECURE_LOCAL_FEDERATION", "") == "true",
		"allow http:// peers on loopback and private addresses (tests and the demo only); env COMMONPLACE_INSECURE_LOCAL_FEDERATION")
	cmd.Flags().StringVar(&cfg.TrustedProxies, "trusted-proxies", envOr("COMMONPLACE_TRUSTED_PROXIES", ""),
		"comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client (login limits are per client); env COMMONPLACE_TRUSTED_PROXIES")
	cmd.Flags().StringVar(&cfg.AdminEmail, "admin-email", envOr("COMMONPLACE_ADMIN_EMAIL", ""), "e-mail of the first coordinator, created on an empty node; env COMMONPLACE_ADMIN_EMAIL")
	cmd.Flags().StringVar(&cfg.MetricsToken, "metrics-token", envOr("COMMONPLACE_METRICS_TOKEN", ""),
		"bearer token that may read /metrics (coordinator API tokens may too); env COMMONPLACE_METRICS_TOKEN")
	r := library.DefaultRetention
	cmd.Flags().DurationVar(&cfg.PruneEvery, "prune-every", cfg.envDuration("COMMONPLACE_PRUNE_EVERY", time.Hour),
		"how often to prune data past its retention (0: never); env COMMONPLACE_PRUNE_EVERY")
	cmd.Flags().DurationVar(&cfg.Retention.InboxBodies, "retain-inbox-bodies", cfg.envDuration("COMMONPLACE_RETAIN_INBOX_BODIES", r.InboxBodies),
		"how long the body of a processed inbox activity is kept; env COMMONPLACE_RETAIN_INBOX_BODIES")
	cmd.Flags().DurationVar(&cfg.Retention.DeletedBodies, "retain-deleted", cfg.envDuration("COMMONPLACE_RETAIN_DELETED", r.DeletedBodies),
		"how long the text of a deleted offer, need, story or event is kept (its tombstone stays); env COMMONPLACE_RETAIN_DELETED")
	cfg.Retention.ChangeLog = r.ChangeLog
	q := web.DefaultQueryLimit
	cmd.Flags().Float64Var(&cfg.QueryRate, "query-rate", cfg.envNumber("COMMONPLACE_QUERY_RATE", q.Rate),
		"searches, matches and feeds a second per anonymous client address (an IPv6 /64), on average; 0 turns the limit off; env COMMONPLACE_QUERY_RATE")
	cmd.Flags().IntVar(&cfg.QueryBurst, "query-burst", int(cfg.envNumber("COMMONPLACE_QUERY_BURST", float64(q.Burst))),
		"how many of them a client may send at once; env COMMONPLACE_QUERY_BURST")
}

// envNumber is envOr for a number; an unreadable value leaves the default
// and is reported by validate.
func (c *config) envNumber(name string, def float64) float64 {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		c.envErrors = append(c.envErrors, fmt.Sprintf("%s %q: must be a number", name, v))
		return def
	}
	return x
}

// envDuration is envOr for a duration; an unreadable value leaves the
// default and is reported by validate.
func (c *config) envDuration(name string, def time.Duration) time.Duration {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.envErrors = append(c.envErrors, fmt.Sprintf("%s %q: must be a duration like 1h or 720h", name, v))
		return def
	}
	return d
}

// validate checks the settings and names the one that is wrong.
func (c *config) validate(serving bool) error {
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
		return fmt.Errorf("--base-url %q: must be an http:// or https:// URL with a host and no path", c.BaseURL)
	}
	if c.DataDir == "" && c.DatabaseURL == "" {
		return fmt.Errorf("--data: a data folder is required")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q: must be debug, info, warn or error", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format %q: must be text or json", c.LogFormat)
	}
	if len(c.envErrors) > 0 {
		return fmt.Errorf("%s", c.envErrors[0])
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--prune-every", c.PruneEvery}, {"--retain-inbox-bodies", c.Retention.InboxBodies}, {"--retain-deleted", c.Retention.DeletedBodies}} {
		if d.v < 0 {
			return fmt.Errorf("%s %s: must not be negative", d.flag, d.v)
		}
	}
	if !serving {
		return nil
	}
	if c.QueryRate < 0 || math.IsInf(c.QueryRate, 0) || math.IsNaN(c.QueryRate) {
		return fmt.Errorf("--query-rate %v: must be a number of requests a second, 0 to turn the limit off", c.QueryRate)
	}
	if c.QueryBurst < 1 {
		return fmt.Errorf("--query-burst %d: must be at least 1", c.QueryBurst)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: must be HOST:PORT, like 127.0.0.1:8080", c.Addr)
	}
	for _, p := range strings.FieldsFunc(c.TrustedProxies, func(r rune) bool { return r == ',' || r == ' ' }) {
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return fmt.Errorf("--trusted-proxies %q: must be CIDRs like 10.0.0.0/8,::1/128", p)
		}
		c.trustedProxies = append(c.trustedProxies, n)
	}
	if c.AdminEmail == "" {
		c.AdminEmail = "coordinator@" + u.Hostname()
		if !strings.Contains(u.Hostname(), ".") {
			c.AdminEmail += ".local"
		}
	}
	return nil
}
