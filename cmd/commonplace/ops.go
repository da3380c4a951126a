package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/search"
)

// ops is what a node's operator watches and what keeps its data in bounds:
// the figures read for /metrics and the pruning job's steps.
type ops struct {
	fed   *federation.Service // nil without federation
	index *search.Service     // nil without an index
	// rebuildDone and rebuildTotal follow the last index rebuild.
	rebuildDone, rebuildTotal atomic.Int64
	// prune are the steps of other packages the pruning job runs too.
	prune []library.PruneStep
}

// startPruning adds the pruning job to the node's background work, every
// cfg.PruneEvery (never when 0), with the store's steps and the others'.
func (n *node) startPruning() {
	if n.cfg.PruneEvery <= 0 {
		return
	}
	r := n.cfg.Retention
	if r.ChangeLog <= 0 {
		r.ChangeLog = library.DefaultRetention.ChangeLog
	}
	steps := append(n.store.PruneSteps(r), n.ops.prune...)
	p := library.NewPruner(n.log, time.Now, steps...)
	n.background = append(n.background, func(ctx context.Context) {
		t := time.NewTicker(n.cfg.PruneEvery)
		defer t.Stop()
		p.Run(ctx, t.C)
	})
}

// scrapeTimeout bounds the queries one scrape makes.
const scrapeTimeout = 5 * time.Second

var (
	descQueueDepth   = prometheus.NewDesc("commonplace_delivery_queue_depth", "Deliveries waiting, by host (the 50 hosts with most).", []string{"host"}, nil)
	descQueueAge     = prometheus.NewDesc("commonplace_delivery_queue_oldest_seconds", "Age of the oldest waiting delivery, by host.", []string{"host"}, nil)
	descInboxBacklog = prometheus.NewDesc("commonplace_inbox_backlog", "Received activities not yet processed.", nil, nil)
	descInboxLag     = prometheus.NewDesc("commonplace_inbox_lag_seconds", "Age of the oldest received activity not yet processed (0 when none waits).", nil, nil)
	descIndexDocs    = prometheus.NewDesc("commonplace_index_documents", "Documents in the search index.", nil, nil)
	descRebuildDone  = prometheus.NewDesc("commonplace_index_rebuild_done_objects", "Objects indexed by the last index rebuild so far.", nil, nil)
	descRebuildTotal = prometheus.NewDesc("commonplace_index_rebuild_total_objects", "Objects the last index rebuild has to index.", nil, nil)
	descMatches      = prometheus.NewDesc("commonplace_matches_computed_total", "Matchings computed since the node started.", nil, nil)
	descScrapeErrors = prometheus.NewDesc("commonplace_ops_scrape_errors", "1 when a figure could not be read in this scrape.", []string{"figure"}, nil)
)

// Describe sends the descriptions of the operations figures.
func (o *ops) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descQueueDepth, descQueueAge, descInboxBacklog, descInboxLag,
		descIndexDocs, descRebuildDone, descRebuildTotal, descMatches, descScrapeErrors} {
		ch <- d
	}
}

// Collect reads the figures at scrape time: a few indexed queries and the
// index's document count.
func (o *ops) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := time.Now()
	if o.fed != nil {
		f, err := o.fed.QueueFigures(ctx)
		ch <- prometheus.MustNewConstMetric(descScrapeErrors, prometheus.GaugeValue, failed(err), "queue")
		if err == nil {
			for _, h := range f.Hosts {
				ch <- prometheus.MustNewConstMetric(descQueueDepth, prometheus.GaugeValue, float64(h.Pending), h.Host)
				ch <- prometheus.MustNewConstMetric(descQueueAge, prometheus.GaugeValue, since(now, h.Oldest), h.Host)
			}
			ch <- prometheus.MustNewConstMetric(descInboxBacklog, prometheus.GaugeValue, float64(f.InboxPending))
			ch <- prometheus.MustNewConstMetric(descInboxLag, prometheus.GaugeValue, since(now, f.InboxOldest))
		}
	}
	if o.index != nil {
		docs, err := o.index.Count()
		ch <- prometheus.MustNewConstMetric(descScrapeErrors, prometheus.GaugeValue, failed(err), "index")
		if err == nil {
			ch <- prometheus.MustNewConstMetric(descIndexDocs, prometheus.GaugeValue, float64(docs))
		}
		ch <- prometheus.MustNewConstMetric(descMatches, prometheus.CounterValue, float64(o.index.MatchesComputed()))
	}
	ch <- prometheus.MustNewConstMetric(descRebuildDone, prometheus.GaugeValue, float64(o.rebuildDone.Load()))
	ch <- prometheus.MustNewConstMetric(descRebuildTotal, prometheus.GaugeValue, float64(o.rebuildTotal.Load()))
}

func failed(err error) float64 {
	if err != nil {
		return 1
	}
	return 0
}

// since is the age of t in seconds, 0 for the zero time.
func since(now, t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return max(0, now.Sub(t).Seconds())
}
