package federation

import (
	"context"
	"time"
)

// HostStatus is the delivery health of one remote host.
type HostStatus struct {
	Host          string     `json:"host"`
	Backlog       int64      `json:"backlog"`
	Failed        int64      `json:"failed"`
	LastSuccessAt *time.Time `json:"last_success_at,omitempty"`
	LastFailureAt *time.Time `json:"last_failure_at,omitempty"`
	Failures      int        `json:"failures"`
	TotalFailures int64      `json:"total_failures"`
	OpenUntil     *time.Time `json:"circuit_open_until,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
}

// PeerStatus is a peer with the health of deliveries to it.
type PeerStatus struct {
	Peer
	HostStatus
}

// Status is what the coordinator's federation page shows.
type Status struct {
	Mode    Mode           `json:"mode"`
	Host    string         `json:"host"`
	Actor   string         `json:"actor"`
	Peers   []PeerStatus   `json:"peers"`
	Hosts   []HostStatus   `json:"hosts"`
	Backlog int64          `json:"backlog"`
	Domains []DomainPolicy `json:"domains"`
	Reports []Report       `json:"reports"`
	Inbox   int64          `json:"inbox_backlog"`
}

// Status reports peers, the delivery backlog and the health of every host we deliver to.
func (s *Service) Status(ctx context.Context) (*Status, error) {
	st := &Status{Mode: s.mode(ctx), Host: s.host, Actor: s.InstanceActor()}
	hosts, err := s.hostStatuses(ctx)
	if err != nil {
		return nil, err
	}
	byHost := map[string]HostStatus{}
	for _, h := range hosts {
		byHost[h.Host] = h
		st.Backlog += h.Backlog
	}
	st.Hosts = hosts
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range peers {
		h := byHost[p.Domain]
		h.Host = p.Domain
		st.Peers = append(st.Peers, PeerStatus{Peer: p, HostStatus: h})
	}
	if st.Domains, err = s.DomainPolicies(ctx); err != nil {
		return nil, err
	}
	if st.Reports, err = s.Reports(ctx, 20); err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Table("federation_inbox").Where("done = ?", false).Count(&st.Inbox).Error
	return st, err
}

func (s *Service) hostStatuses(ctx context.Context) ([]HostStatus, error) {
	var out []HostStatus
	err := s.db.WithContext(ctx).Raw(`SELECT h.host AS host,
		(SELECT COUNT(*) FROM federation_deliveries d WHERE d.host = h.host AND d.state = 'pending') AS backlog,
		(SELECT COUNT(*) FROM federation_deliveries d WHERE d.host = h.host AND d.state = 'failed') AS failed,
		h.last_success_at, h.last_failure_at, h.failures, h.total_failures, h.open_until, h.last_error
		FROM (SELECT host FROM federation_hosts UNION SELECT DISTINCT host FROM federation_deliveries) AS k
		JOIN (SELECT k2.host, f.last_success_at, f.last_failure_at, COALESCE(f.failures, 0) AS failures,
			COALESCE(f.total_failures, 0) AS total_failures, f.open_until, COALESCE(f.last_error, '') AS last_error
			FROM (SELECT host FROM federation_hosts UNION SELECT DISTINCT host FROM federation_deliveries) AS k2
			LEFT JOIN federation_hosts f ON f.host = k2.host) AS h ON h.host = k.host
		ORDER BY h.host`).Scan(&out).Error
	return out, err
}

// RetryNow makes every pending or failed delivery to host (all hosts when
// host is "") due at once and closes its circuit: the coordinator's button.
func (s *Service) RetryNow(ctx context.Context, host string) error {
	return s.queue.makeDue(ctx, host, true)
}

// Idle reports whether no inbox activity or delivery is due or running.
func (s *Service) Idle(ctx context.Context) (bool, error) {
	s.queue.mu.Lock()
	inflight := len(s.queue.inflight)
	s.queue.mu.Unlock()
	if inflight > 0 || s.inbox.working.Load() > 0 {
		return false, nil
	}
	var n int64
	t := now()
	if err := s.db.WithContext(ctx).Table("federation_inbox").Where("done = ? AND next_attempt_at <= ?", false, t).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	err := s.db.WithContext(ctx).Table("federation_deliveries").Where("state = ? AND next_attempt_at <= ?", "pending", t).Count(&n).Error
	return n == 0, err
}

// WaitIdle waits until Idle, or ctx ends; the demo and tests use it.
func (s *Service) WaitIdle(ctx context.Context) error {
	for {
		if ok, err := s.Idle(ctx); err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
