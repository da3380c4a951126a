package federation

import (
	"context"
	"fmt"
	"time"
)

// HostQueue is the delivery queue of one host: how many deliveries wait, and
// since when the oldest has.
type HostQueue struct {
	Host    string
	Pending int64
	Oldest  time.Time
}

// QueueFigures are the delivery queue and the inbox at one moment, for the
// node's metrics.
type QueueFigures struct {
	// Hosts are the metricsHosts hosts with the most pending deliveries.
	Hosts []HostQueue
	// InboxPending counts the stored activities not yet processed.
	InboxPending int64
	// InboxOldest is when the oldest of them arrived (zero when none waits).
	InboxOldest time.Time
}

// metricsHosts bounds the hosts the metrics name, so that a scrape's cost
// and the series it makes stay bounded however many hosts there are.
const metricsHosts = 50

// QueueFigures reads the queue's figures: a few indexed queries.
func (s *Service) QueueFigures(ctx context.Context) (*QueueFigures, error) {
	f := &QueueFigures{}
	err := s.db.WithContext(ctx).Raw(`SELECT g.host AS host, g.n AS pending, d.created_at AS oldest
		FROM (SELECT host, COUNT(*) AS n, MIN(id) AS first FROM federation_deliveries
			WHERE state = 'pending' GROUP BY host ORDER BY n DESC, host LIMIT ?) AS g
		JOIN federation_deliveries d ON d.id = g.first ORDER BY g.n DESC, g.host`, metricsHosts).Scan(&f.Hosts).Error
	if err != nil {
		return nil, fmt.Errorf("federation: queue figures: %w", err)
	}
	if err := s.db.WithContext(ctx).Table("federation_inbox").Where("done = ?", false).Count(&f.InboxPending).Error; err != nil {
		return nil, fmt.Errorf("federation: inbox figures: %w", err)
	}
	var oldest []time.Time
	err = s.db.WithContext(ctx).Raw(`SELECT received_at FROM federation_inbox
		WHERE seq = (SELECT MIN(seq) FROM federation_inbox WHERE done = ?)`, false).Scan(&oldest).Error
	if err != nil {
		return nil, fmt.Errorf("federation: inbox figures: %w", err)
	}
	if len(oldest) > 0 {
		f.InboxOldest = oldest[0]
	}
	return f, nil
}
