package federation

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// Domain policies.
const (
	policyAllow = "allow"
	policyBlock = "block"
)

// modeSetting is the library setting that holds the federation mode.
const modeSetting = "federation.mode"

// DomainPolicy is a coordinator's decision about another domain.
type DomainPolicy struct {
	Domain    string    `json:"domain"`
	Policy    string    `json:"policy"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// policyCache keeps the domain policies and the mode in memory; they are read
// on every request and reloaded every few seconds, so that a change made by a
// command-line process on the same database is seen.
type policyCache struct {
	mu     sync.RWMutex
	loaded time.Time
	byHost map[string]string
	mode   Mode
}

func (s *Service) policies() *policyCache {
	p := &s.policy
	p.mu.RLock()
	fresh := time.Since(p.loaded) < 5*time.Second
	p.mu.RUnlock()
	if !fresh {
		s.reloadPolicies(context.Background())
	}
	return p
}

func (s *Service) reloadPolicies(ctx context.Context) {
	var rows []DomainPolicy
	if err := s.db.WithContext(ctx).Table("federation_domains").Find(&rows).Error; err != nil {
		s.log.Warn("read domain policies", "error", err)
		s.policy.mu.Lock()
		s.policy.loaded = time.Now() // keep the last known policies; try again later
		s.policy.mu.Unlock()
		return
	}
	byHost := map[string]string{}
	for _, r := range rows {
		byHost[r.Domain] = r.Policy
	}
	mode := ModeOpen
	if v, ok, err := s.store.Setting(ctx, modeSetting); err == nil && ok && Mode(v) == ModeAllowlist {
		mode = ModeAllowlist
	}
	s.policy.mu.Lock()
	s.policy.byHost, s.policy.mode, s.policy.loaded = byHost, mode, time.Now()
	s.policy.mu.Unlock()
}

// policyFor returns the policy of host or of the nearest parent domain that has one.
func (s *Service) policyFor(host string) string {
	p := s.policies()
	p.mu.RLock()
	defer p.mu.RUnlock()
	host = strings.ToLower(host)
	if v, ok := p.byHost[host]; ok {
		return v
	}
	name := host
	if h, _, ok := strings.Cut(host, ":"); ok {
		name = h
		if v, ok := p.byHost[name]; ok {
			return v
		}
	}
	for i := strings.IndexByte(name, '.'); i >= 0; i = strings.IndexByte(name, '.') {
		name = name[i+1:]
		if v, ok := p.byHost[name]; ok {
			return v
		}
	}
	return ""
}

// domainBlocked reports whether host (or a parent domain) is blocked.
func (s *Service) domainBlocked(host string) bool {
	return host != "" && s.policyFor(host) == policyBlock
}

// mode is the current federation mode.
func (s *Service) mode(context.Context) Mode {
	p := s.policies()
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.mode
}

// federates reports whether this node talks with host at all: not blocked, and
// in allowlist mode, listed or peered.
func (s *Service) federates(ctx context.Context, host string) bool {
	switch s.policyFor(host) {
	case policyBlock:
		return false
	case policyAllow:
		return true
	}
	return s.mode(ctx) == ModeOpen || s.isPeerDomain(ctx, host)
}

// Mode is the node's federation mode.
func (s *Service) Mode(ctx context.Context) Mode { return s.mode(ctx) }

// SetMode chooses open or allowlist federation.
func (s *Service) SetMode(ctx context.Context, m Mode) error {
	if m != ModeOpen && m != ModeAllowlist {
		return library.Invalid("mode", "must be open or allowlist")
	}
	if err := s.store.SetSetting(ctx, modeSetting, string(m)); err != nil {
		return err
	}
	s.reloadPolicies(ctx)
	return nil
}

// normaliseDomain accepts "host", "host:port" or a URL and returns host[:port].
func normaliseDomain(in string) (string, error) {
	in = strings.TrimSpace(strings.ToLower(in))
	if strings.Contains(in, "://") {
		u, err := url.Parse(in)
		if err != nil || u.Host == "" {
			return "", library.Invalid("domain", "is not a domain or a URL")
		}
		in = u.Host
	}
	in = strings.TrimRight(in, "/")
	if in == "" || strings.ContainsAny(in, "/ @?#") {
		return "", library.Invalid("domain", "is not a domain")
	}
	return in, nil
}

// AllowDomain lists a domain for allowlist mode (and lifts a block on it).
func (s *Service) AllowDomain(ctx context.Context, domain, reason string) error {
	return s.setPolicy(ctx, domain, policyAllow, reason)
}

// BlockDomain refuses a domain in every mode and purges what we hold of it:
// its organisations and their content, follows, cached actors and pending deliveries.
func (s *Service) BlockDomain(ctx context.Context, domain, reason string) error {
	d, err := normaliseDomain(domain)
	if err != nil {
		return err
	}
	if d == s.host {
		return library.Invalid("domain", "is this node")
	}
	if err := s.setPolicy(ctx, d, policyBlock, reason); err != nil {
		return err
	}
	return s.purgeDomain(ctx, d)
}

// RemoveDomainPolicy forgets the decision about a domain.
func (s *Service) RemoveDomainPolicy(ctx context.Context, domain string) error {
	d, err := normaliseDomain(domain)
	if err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Exec(`DELETE FROM federation_domains WHERE domain = ?`, d).Error; err != nil {
		return fmt.Errorf("federation: remove policy of %s: %w", d, err)
	}
	s.reloadPolicies(ctx)
	return nil
}

// DomainPolicies lists the allowed and blocked domains.
func (s *Service) DomainPolicies(ctx context.Context) ([]DomainPolicy, error) {
	var rows []DomainPolicy
	err := s.db.WithContext(ctx).Table("federation_domains").Order("policy, domain").Find(&rows).Error
	return rows, err
}

func (s *Service) setPolicy(ctx context.Context, domain, policy, reason string) error {
	d, err := normaliseDomain(domain)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Exec(`INSERT INTO federation_domains (domain, policy, reason, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (domain) DO UPDATE SET policy = excluded.policy, reason = excluded.reason`, d, policy, reason, now()).Error
	if err != nil {
		return fmt.Errorf("federation: %s %s: %w", policy, d, err)
	}
	s.reloadPolicies(ctx)
	return nil
}

// purgeDomain removes everything held of a blocked domain and its subdomains.
func (s *Service) purgeDomain(ctx context.Context, d string) error {
	var hosts []string
	err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT domain FROM organizations WHERE local = ? AND (domain = ? OR domain LIKE ? OR domain LIKE ?)
		UNION SELECT DISTINCT domain FROM federation_actors WHERE domain = ? OR domain LIKE ? OR domain LIKE ?`,
		false, d, d+":%", "%."+d, d, d+":%", "%."+d).Scan(&hosts).Error
	if err != nil {
		return fmt.Errorf("federation: purge %s: %w", d, err)
	}
	hosts = appendUnique(hosts, d)
	for _, h := range hosts {
		if err := s.store.PurgeDomain(ctx, h); err != nil {
			return err
		}
		if err := s.forgetHost(ctx, h); err != nil {
			return err
		}
	}
	return nil
}

// forgetHost drops follows, actors, peers and pending deliveries of one host.
func (s *Service) forgetHost(ctx context.Context, h string) error {
	prefixes := []any{"http://" + h + "/%", "https://" + h + "/%"}
	stmts := []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM federation_follows WHERE follower LIKE ? OR follower LIKE ? OR followee LIKE ? OR followee LIKE ?`, append(prefixes, prefixes...)},
		{`DELETE FROM federation_actors WHERE domain = ?`, []any{h}},
		{`DELETE FROM federation_peers WHERE domain = ?`, []any{h}},
		{`UPDATE federation_deliveries SET state = 'failed', last_error = 'domain blocked' WHERE host = ? AND state = 'pending'`, []any{h}},
	}
	for _, st := range stmts {
		if err := s.db.WithContext(ctx).Exec(st.sql, st.args...).Error; err != nil {
			return fmt.Errorf("federation: forget %s: %w", h, err)
		}
	}
	s.queue.changed() // rows read ahead for the host are no longer due
	s.actors.mu.Lock()
	for id, a := range s.actors.byID {
		if a.Domain == h {
			delete(s.actors.byID, id)
			delete(s.actors.byKey, a.KeyID)
			s.orgs.Delete(id)
		}
	}
	s.actors.mu.Unlock()
	return nil
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
