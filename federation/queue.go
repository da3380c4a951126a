package federation

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Delivery policy, after Mastodon's: attempt n waits n⁴+15 s plus jitter, so
// sixteen attempts span about two days; ten failures in a row open a host's
// circuit for a while, then one probe at a time is let through.
const (
	maxDeliveryAttempts = 16
	maxDeliveryAge      = 48 * time.Hour
	breakerThreshold    = 10
	breakerCooldown     = time.Minute
	maxRetryAfter       = 24 * time.Hour
)

// backoff is the wait before attempt n+1, with jitter.
func backoff(n int) time.Duration {
	base := time.Duration(n*n*n*n+15) * time.Second
	return base + time.Duration(rand.Int64N(int64(30*time.Second)*int64(n)))
}

// deliveryQueue works federation_deliveries, one row per activity and target
// inbox. Rows are the truth: a worker reads the due ones, so the queue
// survives a restart or kill -9 (a delivery in flight is simply tried again).
type deliveryQueue struct {
	s       *Service
	wake    chan struct{}
	applied chan struct{}
	results chan deliveryResult
	bodies  bodyCache

	// ready are due rows read ahead, started as slots free up: reading the
	// table for every attempt that ended was a tenth of the cost of a
	// delivery. They are read again when they run out, are a second old,
	// or stale is set (rows were added or changed).
	ready   []dueDelivery
	readyAt time.Time
	stale   atomic.Bool

	mu       sync.Mutex
	running  int            // attempts under way
	perHost  map[string]int // attempts under way, by host
	inflight map[int64]bool // rows taken and not yet written back
	hosts    map[string]*hostHealth
}

// hostHealth is the circuit breaker of one host.
type hostHealth struct {
	failures  int
	openUntil time.Time
}

// dueDelivery is a row ready to be tried.
type dueDelivery struct {
	ID          int64
	ActivitySeq int64
	Inbox       string
	Host        string
	Attempts    int
	CreatedAt   time.Time
}

func newDeliveryQueue(s *Service) *deliveryQueue {
	return &deliveryQueue{s: s, wake: make(chan struct{}, 1), applied: make(chan struct{}, 1),
		results: make(chan deliveryResult, 1024), inflight: map[int64]bool{}, perHost: map[string]int{},
		hosts: map[string]*hostHealth{}, bodies: bodyCache{m: map[int64]cachedBody{}}}
}

// changed wakes the worker after deliveries were queued or changed.
func (q *deliveryQueue) changed() {
	q.stale.Store(true)
	q.poke()
}

// poke wakes the worker.
func (q *deliveryQueue) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *deliveryQueue) run(ctx context.Context) {
	q.loadHosts(ctx)
	done := make(chan struct{})
	go func() { q.collect(ctx); close(done) }()
	for ctx.Err() == nil {
		q.dispatch(ctx)
		select {
		case <-ctx.Done():
		case <-q.wake:
		case <-q.applied:
		case <-time.After(q.s.cfg.PollInterval):
		}
	}
	<-done
}

// dispatch starts as many due deliveries as the limits allow.
func (q *deliveryQueue) dispatch(ctx context.Context) {
	if q.freeSlots() <= 0 {
		return
	}
	refilled := false
	if len(q.ready) == 0 || q.stale.Load() || time.Since(q.readyAt) > time.Second {
		if !q.refill(ctx) {
			return
		}
		refilled = true
	}
	if q.startReady(ctx) == 0 && !refilled && q.freeSlots() > 0 && q.refill(ctx) {
		q.startReady(ctx) // what was read ahead waits for busy hosts; others may be due
	}
}

// freeSlots is how many more attempts may run.
func (q *deliveryQueue) freeSlots() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.s.cfg.Workers - q.running
}

// refill reads the due rows ahead, leaving out those taken and the hosts
// that may not be called now; false when the table could not be read.
func (q *deliveryQueue) refill(ctx context.Context) bool {
	q.stale.Store(false)
	_, taken, busy := q.capacity()
	tx := q.s.db.WithContext(ctx).Table("federation_deliveries").
		Select("id, activity_seq, inbox, host, attempts, created_at").
		Where("state = ? AND next_attempt_at <= ?", "pending", now())
	if len(busy) > 0 {
		tx = tx.Where("host NOT IN ?", busy)
	}
	if len(taken) > 0 {
		tx = tx.Where("id NOT IN ?", taken)
	}
	var rows []dueDelivery
	if err := tx.Order("next_attempt_at, id").Limit(readAhead).Find(&rows).Error; err != nil {
		if ctx.Err() == nil {
			q.s.log.Error("read delivery queue", "error", err)
		}
		q.ready = nil
		return false
	}
	q.ready, q.readyAt = rows, time.Now()
	return true
}

// readAhead is how many due rows dispatch reads at a time.
const readAhead = 512

// startReady starts the rows read ahead that the limits allow, keeps the
// others, and returns how many it started.
func (q *deliveryQueue) startReady(ctx context.Context) int {
	var picked []dueDelivery
	rest := q.ready[:0]
	for _, d := range q.ready {
		q.mu.Lock()
		taken := q.inflight[d.ID]
		ok := !taken && q.running < q.s.cfg.Workers && q.perHost[d.Host] < q.s.cfg.PerHost && q.admitLocked(d.Host)
		if ok {
			q.inflight[d.ID] = true
			q.perHost[d.Host]++
			q.running++
		}
		q.mu.Unlock()
		switch {
		case ok:
			picked = append(picked, d)
		case !taken:
			rest = append(rest, d)
		}
	}
	q.ready = rest
	if len(picked) == 0 {
		return 0
	}
	claimed, err := q.claim(ctx, picked)
	if err != nil {
		q.s.log.Error("claim deliveries", "error", err)
	}
	if ctx.Err() != nil {
		q.unclaim(slices.Collect(maps.Keys(claimed)))
		clear(claimed)
	}
	for _, d := range picked {
		if claimed[d.ID] {
			go q.attempt(ctx, d)
			continue
		}
		q.mu.Lock()
		delete(q.inflight, d.ID)
		q.running--
		if q.perHost[d.Host]--; q.perHost[d.Host] <= 0 {
			delete(q.perHost, d.Host)
		}
		q.mu.Unlock()
	}
	return len(claimed)
}

// claim takes rows about to be attempted by moving their next attempt a
// lease ahead, in one statement: another process working the same database
// (several serve processes on PostgreSQL) no longer sees them as due. A row
// it took first, or finished, is left out of the answer. The lease outlasts
// any attempt; a process killed during one leaves its rows due again when
// the lease ends. On PostgreSQL, rows locked by another claim are skipped
// rather than waited for.
func (q *deliveryQueue) claim(ctx context.Context, ds []dueDelivery) (map[int64]bool, error) {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	t := now()
	due := `SELECT id FROM federation_deliveries WHERE id IN ? AND state = 'pending' AND next_attempt_at <= ?`
	if library.IsPostgres(q.s.db) {
		due += ` FOR UPDATE SKIP LOCKED`
	}
	// Not cut short by a stop: the rows would be taken and not attempted.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var got []int64
	err := q.s.db.WithContext(wctx).Raw(`UPDATE federation_deliveries SET next_attempt_at = ? WHERE id IN (`+due+`) RETURNING id`,
		t.Add(q.lease()), ids, t).Scan(&got).Error
	claimed := make(map[int64]bool, len(got))
	for _, id := range got {
		claimed[id] = true
	}
	return claimed, err
}

// lease is how long a claimed row stays taken: longer than an attempt.
func (q *deliveryQueue) lease() time.Duration { return q.s.cfg.DeliveryTimeout + time.Minute }

// unclaim makes rows whose attempt was abandoned (the node is stopping) due
// again at once, so that a restart does not wait for their lease.
func (q *deliveryQueue) unclaim(ids []int64) {
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := q.s.db.WithContext(ctx).Exec(`UPDATE federation_deliveries SET next_attempt_at = ? WHERE id IN ? AND state = 'pending'`, now(), ids).Error
	if err != nil {
		q.s.log.Warn("release abandoned deliveries", "error", err)
	}
}

// capacity returns how many attempts may start, the rows already taken, and
// the hosts that may not be called now (at their limit, or circuit open).
func (q *deliveryQueue) capacity() (free int, taken []int64, busy []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	taken = make([]int64, 0, len(q.inflight))
	for id := range q.inflight {
		taken = append(taken, id)
	}
	for h, n := range q.perHost {
		if n >= q.s.cfg.PerHost || !q.admitLocked(h) {
			busy = append(busy, h)
		}
	}
	for h := range q.hosts {
		if !q.admitLocked(h) {
			busy = append(busy, h)
		}
	}
	return q.s.cfg.Workers - q.running, taken, busy
}

// admitLocked applies the circuit breaker: closed, or half-open with no probe in flight.
func (q *deliveryQueue) admitLocked(host string) bool {
	h := q.hosts[host]
	if h == nil || h.failures < breakerThreshold {
		return true
	}
	return time.Now().After(h.openUntil) && q.perHost[host] == 0
}

// signOfLife makes a failing host's backlog due now: it just sent us a
// verified request, so it is back (a restarted peer gets its deliveries in
// seconds, not at the next back-off step).
func (q *deliveryQueue) signOfLife(host string) {
	q.mu.Lock()
	h := q.hosts[host]
	failing := h != nil && h.failures > 0
	if failing {
		h.failures, h.openUntil = 0, time.Time{}
	}
	q.mu.Unlock()
	if !failing {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.makeDue(ctx, host, false); err != nil {
			q.s.log.Warn("retry deliveries after sign of life", "host", host, "error", err)
		}
	}()
}

// makeDue makes a host's pending deliveries (and failed ones when
// includeFailed) due now and closes its circuit.
func (q *deliveryQueue) makeDue(ctx context.Context, host string, includeFailed bool) error {
	states := []string{"pending"}
	if includeFailed {
		states = append(states, "failed")
	}
	err := q.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		upd := tx.Table("federation_deliveries").Where("state IN ?", states)
		hosts := tx.Table("federation_hosts")
		if host != "" {
			upd, hosts = upd.Where("host = ?", host), hosts.Where("host = ?", host)
		} else {
			hosts = hosts.Where("1 = 1")
		}
		if err := upd.Updates(map[string]any{"state": "pending", "next_attempt_at": now()}).Error; err != nil {
			return err
		}
		return hosts.Updates(map[string]any{"failures": 0, "open_until": nil}).Error
	})
	if err != nil {
		return err
	}
	q.mu.Lock()
	for h, hh := range q.hosts {
		if host == "" || h == host {
			hh.failures, hh.openUntil = 0, time.Time{}
		}
	}
	q.mu.Unlock()
	q.changed()
	return nil
}

func (q *deliveryQueue) loadHosts(ctx context.Context) {
	var rows []struct {
		Host      string
		Failures  int
		OpenUntil *time.Time
	}
	if err := q.s.db.WithContext(ctx).Table("federation_hosts").Find(&rows).Error; err != nil {
		q.s.log.Warn("read host health", "error", err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, r := range rows {
		h := &hostHealth{failures: r.Failures}
		if r.OpenUntil != nil {
			h.openUntil = *r.OpenUntil
		}
		q.hosts[r.Host] = h
	}
}

// bodyCache keeps recently delivered activities, which go to many inboxes.
type bodyCache struct {
	mu sync.Mutex
	m  map[int64]cachedBody
}

type cachedBody struct {
	actor string
	body  []byte
}

func (c *bodyCache) get(ctx context.Context, db *gorm.DB, seq int64) (cachedBody, error) {
	c.mu.Lock()
	b, ok := c.m[seq]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	var rows []struct {
		Actor string
		Body  string
	}
	if err := db.WithContext(ctx).Raw(`SELECT actor, body FROM federation_outbox WHERE seq = ?`, seq).Scan(&rows).Error; err != nil {
		return cachedBody{}, fmt.Errorf("%w: read activity %d: %v", errOwnStore, seq, err)
	}
	if len(rows) == 0 {
		return cachedBody{}, errRemoteNotFound
	}
	b = cachedBody{actor: rows[0].Actor, body: []byte(rows[0].Body)}
	c.mu.Lock()
	if len(c.m) > 512 {
		c.m = map[int64]cachedBody{}
	}
	c.m[seq] = b
	c.mu.Unlock()
	return b, nil
}
