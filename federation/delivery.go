package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// deliveryResult is the outcome of one attempt.
type deliveryResult struct {
	d          dueDelivery
	status     int
	retryAfter time.Duration
	err        error
}

// outcome is what an attempt means for its row and its host.
type outcome int

const (
	outcomeDone    outcome = iota // delivered: the row goes
	outcomeRetry                  // try again after a back-off
	outcomeFailed                 // final: kept as failed for the coordinator
	outcomeAbandon                // the node is stopping: leave the row as it was
)

// errOwnStore is a failure of this node's database during an attempt.
var errOwnStore = errors.New("this node's database")

// stopGrace is how long a POST already under way may go on once the node
// is stopping. Cut short, a POST the receiver has taken would be made again
// by whoever works the queue next; a receiver answering within this keeps
// each activity once.
const stopGrace = 10 * time.Second

// attempt signs and posts one delivery. It signs again on every attempt, so
// that the Date is fresh. A stop does not cut the POST short at once: it
// has stopGrace (at most the delivery timeout) to be answered and recorded.
func (q *deliveryQueue) attempt(ctx context.Context, d dueDelivery) {
	r := deliveryResult{d: d}
	actx, cancel := afterGrace(ctx, min(stopGrace, q.s.cfg.DeliveryTimeout))
	defer cancel()
	b, err := q.bodies.get(actx, q.s.db, d.ActivitySeq)
	switch {
	case errors.Is(err, errRemoteNotFound):
		r.err = fmt.Errorf("%w: the activity is gone", errBlocked)
	case err != nil:
		r.err = err
	default:
		var h http.Header
		r.status, h, r.err = q.s.fetcher.post(actx, d.Inbox, b.actor, b.body)
		if h != nil {
			r.retryAfter = parseRetryAfter(h.Get("Retry-After"))
		}
	}
	// The worker and host slots are free as soon as the attempt is over; the
	// row stays taken until its outcome is written.
	q.mu.Lock()
	q.running--
	if q.perHost[d.Host]--; q.perHost[d.Host] <= 0 {
		delete(q.perHost, d.Host)
	}
	q.mu.Unlock()
	q.poke()
	q.results <- r
}

// afterGrace is a context that ends grace after ctx does (or when cancel is
// called), carrying ctx's values.
func afterGrace(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	g, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(g, func() { t.Stop() })
	})
	return g, func() { stop(); cancel() }
}

// classify decides what an attempt means: 2xx is done; 4xx other than 401,
// 408 and 429 is final; the rest is retried, for about two days. 401 is
// retried as Mastodon retries it: a receiver that could not fetch our key
// just now (it remembers such failures for a while) will verify us later.
func classify(ctx context.Context, r deliveryResult) (outcome, bool) {
	hostFailed := false
	var o outcome
	switch {
	case r.err != nil && ctx.Err() != nil:
		return outcomeAbandon, false
	case errors.Is(r.err, errOwnStore):
		o = outcomeRetry // our database, not the receiver: its host stays healthy
	case r.err != nil && (errors.Is(r.err, errBlocked) || errors.Is(r.err, errForbiddenAddr)):
		o = outcomeFailed
	case r.err != nil:
		o, hostFailed = outcomeRetry, true
	case r.status >= 200 && r.status < 300:
		o = outcomeDone
	case r.status == http.StatusUnauthorized || r.status == http.StatusRequestTimeout || r.status == http.StatusTooManyRequests:
		o = outcomeRetry
	case r.status >= 500:
		o, hostFailed = outcomeRetry, true
	default:
		o = outcomeFailed
	}
	if o == outcomeRetry && (r.d.Attempts+1 >= maxDeliveryAttempts || time.Since(r.d.CreatedAt) > maxDeliveryAge) {
		o = outcomeFailed
	}
	return o, hostFailed
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		// Capped before multiplying: a huge count of seconds would overflow to a negative wait.
		return time.Duration(min(secs, int(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), maxRetryAfter)
	}
	return 0
}

// collect applies results in batches, one transaction each, so that the
// database is not what limits the delivery rate.
func (q *deliveryQueue) collect(ctx context.Context) {
	for {
		var batch []deliveryResult
		select {
		case r := <-q.results:
			batch = append(batch, r)
		case <-ctx.Done():
			q.drain(ctx)
			return
		}
		deadline := time.After(10 * time.Millisecond)
	fill:
		for len(batch) < 200 {
			select {
			case r := <-q.results:
				batch = append(batch, r)
			case <-deadline:
				break fill
			}
		}
		q.apply(ctx, batch)
	}
}

// drain waits for attempts still running when the node stops and records
// their outcomes: one that was delivered must not be sent again by the
// process that takes over; one cut short is due again at once. Rows taken
// and then given back unattempted (a claim that ended with the node) send
// no result, so the count of rows taken is looked at again now and then.
func (q *deliveryQueue) drain(ctx context.Context) {
	for {
		q.mu.Lock()
		n := len(q.inflight)
		q.mu.Unlock()
		if n == 0 {
			return
		}
		var batch []deliveryResult
		select {
		case r := <-q.results:
			batch = append(batch, r)
		case <-time.After(20 * time.Millisecond):
			continue
		}
	more:
		for {
			select {
			case r := <-q.results:
				batch = append(batch, r)
			default:
				break more
			}
		}
		q.apply(ctx, batch)
	}
}

func (q *deliveryQueue) release(d dueDelivery) {
	q.mu.Lock()
	delete(q.inflight, d.ID)
	q.mu.Unlock()
}

// apply writes a batch of outcomes and the health of their hosts. It writes
// them also when ctx has ended (the node stopping): a delivery made and not
// recorded would be made again.
func (q *deliveryQueue) apply(ctx context.Context, batch []deliveryResult) {
	var done, abandoned []int64
	hostOK, hostBad := map[string]bool{}, map[string]string{}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := q.s.db.WithContext(wctx).Transaction(func(tx *gorm.DB) error {
		done, abandoned = done[:0], abandoned[:0]
		for _, r := range batch {
			o, hostFailed := classify(ctx, r)
			if o == outcomeAbandon {
				abandoned = append(abandoned, r.d.ID)
			}
			if err := q.record(tx, r, o, &done); err != nil {
				return err
			}
			switch {
			case hostFailed:
				hostBad[r.d.Host] = errorText(r)
			case o != outcomeAbandon && r.err == nil:
				hostOK[r.d.Host] = true
			}
		}
		if len(done) > 0 {
			if err := tx.Exec(`DELETE FROM federation_deliveries WHERE id IN ?`, done).Error; err != nil {
				return err
			}
		}
		return q.recordHosts(tx, hostOK, hostBad)
	})
	if err != nil {
		q.s.log.Error("record deliveries", "error", err)
	}
	q.unclaim(abandoned)
	for _, r := range batch {
		q.release(r.d)
	}
	select {
	case q.applied <- struct{}{}:
	default:
	}
}

// record writes one row's outcome.
func (q *deliveryQueue) record(tx *gorm.DB, r deliveryResult, o outcome, done *[]int64) error {
	switch o {
	case outcomeDone:
		*done = append(*done, r.d.ID)
	case outcomeRetry:
		next := now().Add(max(q.s.backoff(r.d.Attempts+1), r.retryAfter))
		return tx.Exec(`UPDATE federation_deliveries SET attempts = attempts + 1, next_attempt_at = ?, last_status = ?, last_error = ? WHERE id = ?`,
			next, r.status, errorText(r), r.d.ID).Error
	case outcomeFailed:
		q.s.log.Warn("delivery failed for good", "inbox", r.d.Inbox, "status", r.status, "error", errorText(r))
		return tx.Exec(`UPDATE federation_deliveries SET state = 'failed', attempts = attempts + 1, last_status = ?, last_error = ? WHERE id = ?`,
			r.status, errorText(r), r.d.ID).Error
	}
	return nil
}

// recordHosts updates the breakers, in memory and in federation_hosts.
func (q *deliveryQueue) recordHosts(tx *gorm.DB, ok map[string]bool, bad map[string]string) error {
	t := now()
	for host := range ok {
		q.mu.Lock()
		q.hosts[host] = &hostHealth{}
		q.mu.Unlock()
		err := tx.Exec(`INSERT INTO federation_hosts (host, last_success_at, failures) VALUES (?, ?, 0)
			ON CONFLICT (host) DO UPDATE SET last_success_at = excluded.last_success_at, failures = 0, open_until = NULL`, host, t).Error
		if err != nil {
			return err
		}
	}
	for host, msg := range bad {
		q.mu.Lock()
		h := q.hosts[host]
		if h == nil {
			h = &hostHealth{}
			q.hosts[host] = h
		}
		h.failures++
		var open *time.Time
		if h.failures >= breakerThreshold {
			h.openUntil = time.Now().Add(breakerCooldown * time.Duration(min(h.failures-breakerThreshold+1, 60)))
			ou := h.openUntil.UTC()
			open = &ou
		}
		failures := h.failures
		q.mu.Unlock()
		err := tx.Exec(`INSERT INTO federation_hosts (host, last_failure_at, failures, total_failures, open_until, last_error)
			VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (host) DO UPDATE SET last_failure_at = excluded.last_failure_at,
			failures = excluded.failures, total_failures = federation_hosts.total_failures + 1,
			open_until = excluded.open_until, last_error = excluded.last_error`, host, t, failures, open, msg).Error
		if err != nil {
			return err
		}
	}
	return nil
}

func errorText(r deliveryResult) string {
	if r.err != nil {
		return r.err.Error()
	}
	if r.status != 0 {
		return fmt.Sprintf("answered %d %s", r.status, http.StatusText(r.status))
	}
	return ""
}
