// Package federation makes a node an ActivityPub server: actors and their keys,
// WebFinger, NodeInfo, HTTP signatures, the inbox, the outbox and collections,
// a durable delivery queue, peering between nodes, and the mapping of library
// objects to and from ActivityStreams.
//
// go-fed's streams package builds what we serve; its types never leave this
// package. Incoming JSON is read with the tolerant accessors of object.go,
// because other servers send single values where arrays are allowed, unknown
// types (Hashtag, Emoji) and embedded objects without @context, which the
// go-fed resolver refuses. go-fed's pub package is not used: it neither
// retries nor persists deliveries (see docs/ARCHITECTURE.md).
package federation

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/ratelimit"
)

// Mode says which nodes may peer with this one.
type Mode string

// The federation modes a coordinator can choose.
const (
	// ModeOpen accepts peer requests from any domain that is not blocked.
	ModeOpen Mode = "open"
	// ModeAllowlist federates only with listed domains; other requests wait for the coordinator.
	ModeAllowlist Mode = "allowlist"
)

// Config is federation's part of the node configuration.
type Config struct {
	// BaseURL is the node's public URL without a trailing slash.
	BaseURL string
	// Version is the software version named in NodeInfo and the User-Agent.
	Version string
	// InsecureLocalFederation allows http:// peers and loopback or private
	// addresses; for tests and the demo only.
	InsecureLocalFederation bool
	// Workers is how many deliveries run at once (default 32).
	Workers int
	// PerHost is how many deliveries to one host run at once (default 8).
	PerHost int
	// InboundPerSecond limits verified requests per remote host (default 50;
	// negative: no limit). It is counted after the signature is verified, so
	// that nobody can spend another server's budget.
	InboundPerSecond float64
	// InboundPerAddress limits inbox requests per client address, before
	// verification (default 4 times InboundPerSecond; negative: no limit).
	InboundPerAddress float64
	// FetchTimeout bounds every outgoing GET (default 15 s).
	FetchTimeout time.Duration
	// DeliveryTimeout bounds every outgoing POST (default 30 s).
	DeliveryTimeout time.Duration
	// PollInterval is how often the queues look for due work when not woken (default 1 s).
	PollInterval time.Duration
	// Backoff, when set, replaces the retry schedule (tests use short ones).
	Backoff func(attempt int) time.Duration
}

func (c *Config) defaults() {
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Workers <= 0 {
		c.Workers = 32
	}
	if c.PerHost <= 0 {
		c.PerHost = 8
	}
	if c.InboundPerSecond == 0 {
		c.InboundPerSecond = 50
	}
	if c.InboundPerAddress == 0 {
		c.InboundPerAddress = 4 * c.InboundPerSecond
	}
	if c.FetchTimeout <= 0 {
		c.FetchTimeout = 15 * time.Second
	}
	if c.DeliveryTimeout <= 0 {
		c.DeliveryTimeout = 30 * time.Second
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Version == "" {
		c.Version = "dev"
	}
}

// Service is the node's ActivityPub server and client.
type Service struct {
	cfg       Config
	store     *library.Store
	db        *gorm.DB
	log       *slog.Logger
	base      *url.URL
	host      string
	keys      *keyring
	fetcher   *fetcher
	inbound   *ratelimit.Table // verified requests, per remote host
	sources   *ratelimit.Table // unverified requests, per client address
	keyFetch  *keyFetches
	inbox     *inboxWorker
	queue     *deliveryQueue
	actors    actorCache
	policy    policyCache
	orgs      sync.Map // remote actor IRI -> library organisation id
	backfills chan string
}

// backoff is the wait before retry n.
func (s *Service) backoff(n int) time.Duration {
	if s.cfg.Backoff != nil {
		return s.cfg.Backoff(n)
	}
	return backoff(n)
}

// New builds the service over a store whose database has federation's migrations applied.
func New(cfg Config, store *library.Store, log *slog.Logger) (*Service, error) {
	cfg.defaults()
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("federation: base URL %q: must be http(s)://host[:port]", cfg.BaseURL)
	}
	s := &Service{cfg: cfg, store: store, db: store.DB(), log: log.With("component", "federation"),
		base: base, host: base.Host, backfills: make(chan string, 64)}
	s.keys = newKeyring(s.db)
	s.fetcher = newFetcher(s)
	s.inbound = ratelimit.New(ratelimit.Limits{Rate: cfg.InboundPerSecond, Burst: int(max(cfg.InboundPerSecond*4, 20))})
	s.sources = ratelimit.New(ratelimit.Limits{Rate: cfg.InboundPerAddress, Burst: int(max(cfg.InboundPerAddress*4, 20))})
	s.keyFetch = newKeyFetches()
	s.inbox = newInboxWorker(s)
	s.queue = newDeliveryQueue(s)
	return s, nil
}

// Run works the inbox, the delivery queue and back-fills until ctx ends.
func (s *Service) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, f := range []func(context.Context){s.inbox.run, s.queue.run, s.runBackfills, s.greetPeers} {
		wg.Add(1)
		go func(f func(context.Context)) { defer wg.Done(); f(ctx) }(f)
	}
	wg.Wait()
}

// InstanceActor is the IRI of the node's own actor, which peers and signs fetches.
func (s *Service) InstanceActor() string { return s.cfg.BaseURL + "/actor" }

// SharedInbox is the node's shared inbox.
func (s *Service) SharedInbox() string { return s.cfg.BaseURL + "/inbox" }

// Host is the node's host[:port], as used in acct: addresses.
func (s *Service) Host() string { return s.host }

// isLocal reports whether an IRI belongs to this node.
func (s *Service) isLocal(iri string) bool {
	return iri == s.cfg.BaseURL || strings.HasPrefix(iri, s.cfg.BaseURL+"/") || strings.HasPrefix(iri, s.cfg.BaseURL+"#")
}

// hostOf returns the host[:port] of an IRI, lowercased, or "".
func hostOf(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// now is the time in UTC, as stored.
func now() time.Time { return time.Now().UTC() }
