package federation

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// inboxHandlers are the side effects of each activity type; one file each.
var inboxHandlers = map[string]func(s *Service, ctx context.Context, a object) error{
	"Follow": (*Service).onFollow, "Accept": (*Service).onAccept, "Reject": (*Service).onReject,
	"Undo": (*Service).onUndo, "Create": (*Service).onCreate, "Update": (*Service).onUpdate,
	"Delete": (*Service).onDelete, "Announce": (*Service).onAnnounce, "Like": (*Service).onLike,
	"Flag": (*Service).onFlag, "Offer": (*Service).onOffer, "Move": (*Service).onMove,
}

// inboxMaxAttempts is how often a failing side effect is tried before it is dropped.
const inboxMaxAttempts = 8

// permanentError is a side effect that must not be retried.
type permanentError struct{ err error }

// Error is the wrapped error's text.
func (e permanentError) Error() string { return e.err.Error() }

// Unwrap keeps errors.Is working through the mark.
func (e permanentError) Unwrap() error { return e.err }

// permanent marks err as not worth retrying.
func permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// fetchFailure makes a fetch that says the object is gone or refused permanent.
func fetchFailure(err error) error {
	var se *statusError
	if errors.Is(err, errRemoteGone) || errors.Is(err, errRemoteNotFound) || errors.Is(err, errBlocked) ||
		(errors.As(err, &se) && se.Status >= 400 && se.Status < 500 && se.Status != 408 && se.Status != 429) {
		return permanent(err)
	}
	return err
}

// replayWindow is how long an activity is remembered after it arrived. A
// signature is accepted up to maxClockSkew either side of its signed time,
// so a captured request can be replayed for at most 2 × maxClockSkew after
// it was first received; within the window its id is still in the table
// and the copy is ignored, after it the signature is stale. Pruning done
// rows older than the window keeps the table bounded by the traffic of a
// day. (Retention that drops rows sooner would reopen replays.)
const replayWindow = 2*maxClockSkew + time.Hour

// pruneEvery is how often the worker forgets activities past the window.
const pruneEvery = 10 * time.Minute

// inboxWorker works the stored activities in order, in parallel across actors
// and in order within one actor.
type inboxWorker struct {
	s      *Service
	wake   chan struct{}
	writes chan inboxWrite

	mu      sync.Mutex
	writing bool
	// working is how many claimed activities are being applied: claimed
	// rows are not due, so Idle asks this too.
	working atomic.Int64
}

// inboxWrite is an activity waiting to be stored, and who waits for it.
type inboxWrite struct {
	id, actor, typ string
	body           []byte
	done           chan error
}

func newInboxWorker(s *Service) *inboxWorker {
	return &inboxWorker{s: s, wake: make(chan struct{}, 1), writes: make(chan inboxWrite, 1024)}
}

// store keeps an activity once: a second delivery of the same id has no
// effect. Concurrent requests are committed together (group commit): SQLite
// takes one writer at a time, and a request waiting its turn would otherwise
// sleep in the busy handler.
func (w *inboxWorker) store(ctx context.Context, a object, body []byte) error {
	req := inboxWrite{id: a.id(), actor: a.iri("actor"), typ: a.typ(), body: body, done: make(chan error, 1)}
	w.mu.Lock()
	if !w.writing {
		w.writing = true
		go w.writer()
	}
	w.mu.Unlock()
	select {
	case w.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writer commits waiting activities in batches; it stops when none came for a second.
func (w *inboxWorker) writer() {
	for {
		var batch []inboxWrite
		select {
		case first := <-w.writes:
			batch = append(batch, first)
		case <-time.After(time.Second):
			w.mu.Lock()
			if len(w.writes) == 0 {
				w.writing = false
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
			continue
		}
	more:
		for len(batch) < 256 {
			select {
			case next := <-w.writes:
				batch = append(batch, next)
			default:
				break more
			}
		}
		err := w.insert(batch)
		for _, r := range batch {
			r.done <- err
		}
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// insert writes a batch in one statement.
func (w *inboxWorker) insert(batch []inboxWrite) error {
	t := now()
	var sql strings.Builder
	sql.WriteString(`INSERT INTO federation_inbox (activity_id, actor, type, body, received_at, next_attempt_at) VALUES `)
	args := make([]any, 0, len(batch)*6)
	for i, r := range batch {
		if i > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString("(?, ?, ?, ?, ?, ?)")
		args = append(args, r.id, r.actor, r.typ, string(r.body), t, t)
	}
	sql.WriteString(" ON CONFLICT (activity_id) DO NOTHING")
	if err := w.s.db.Exec(sql.String(), args...).Error; err != nil {
		return fmt.Errorf("federation: store %d activities: %w", len(batch), err)
	}
	return nil
}

type inboxRow struct {
	Seq      int64
	Actor    string
	Type     string
	Body     string
	Attempts int
}

// prune forgets the done activities that arrived more than replayWindow
// before at (the time now; tests pass another).
func (w *inboxWorker) prune(ctx context.Context, at time.Time) (int64, error) {
	cutoff := at.UTC().Add(-replayWindow)
	res := w.s.db.WithContext(ctx).Exec(`DELETE FROM federation_inbox WHERE done = ? AND received_at < ?`, true, cutoff)
	if res.Error != nil {
		return 0, fmt.Errorf("federation: prune inbox: %w", res.Error)
	}
	return res.RowsAffected, nil
}

func (w *inboxWorker) run(ctx context.Context) {
	var pruned time.Time
	for ctx.Err() == nil {
		if time.Since(pruned) > pruneEvery {
			pruned = time.Now()
			if n, err := w.prune(ctx, now()); err != nil && ctx.Err() == nil {
				w.s.log.Warn("prune inbox", "error", err)
			} else if n > 0 {
				w.s.log.Debug("inbox pruned", "activities", n)
			}
		}
		w.working.Store(1) // from before the claim: claimed rows are not due
		rows, err := w.claim(ctx)
		if err != nil && ctx.Err() == nil {
			w.s.log.Error("read inbox", "error", err)
		}
		if len(rows) > 0 {
			w.process(ctx, rows)
			if ctx.Err() != nil {
				w.unclaim(rows)
			}
			w.working.Store(0)
			continue
		}
		w.working.Store(0)
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-time.After(w.s.cfg.PollInterval):
		}
	}
}

// inboxLease is how long claimed activities stay taken: longer than their
// side effects, which may fetch a few remote objects.
const inboxLease = 10 * time.Minute

// claim takes the next due activities, oldest first, by moving their next
// attempt a lease ahead in the statement that reads them: another process
// working the same database (PostgreSQL) does not apply them too. There,
// rows another claim has locked are skipped rather than waited for.
func (w *inboxWorker) claim(ctx context.Context) ([]inboxRow, error) {
	t := now()
	due := `SELECT seq FROM federation_inbox WHERE done = ? AND next_attempt_at <= ? ORDER BY seq LIMIT 200`
	if library.IsPostgres(w.s.db) {
		due += ` FOR UPDATE SKIP LOCKED`
	}
	// Not cut short by a stop: the rows would be taken and not applied.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var rows []inboxRow
	err := w.s.db.WithContext(wctx).Raw(`UPDATE federation_inbox SET next_attempt_at = ? WHERE seq IN (`+due+`)
		RETURNING seq, actor, type, body, attempts`, t.Add(inboxLease), false, t).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("federation: claim inbox: %w", err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Seq < rows[j].Seq })
	return rows, nil
}

// unclaim makes the activities of a batch cut short by a stop due again,
// so that a restart does not wait for their lease.
func (w *inboxWorker) unclaim(rows []inboxRow) {
	seqs := make([]int64, len(rows))
	for i, r := range rows {
		seqs[i] = r.Seq
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := w.s.db.WithContext(ctx).Exec(`UPDATE federation_inbox SET next_attempt_at = ? WHERE seq IN ? AND done = ?`, now(), seqs, false).Error
	if err != nil {
		w.s.log.Warn("release inbox activities", "error", err)
	}
}

// process handles a batch: one goroutine per actor lane keeps each actor's
// activities in order.
func (w *inboxWorker) process(ctx context.Context, rows []inboxRow) {
	const lanes = 8
	byLane := make([][]inboxRow, lanes)
	for _, r := range rows {
		h := fnv.New32a()
		h.Write([]byte(r.Actor))
		byLane[h.Sum32()%lanes] = append(byLane[h.Sum32()%lanes], r)
	}
	var wg sync.WaitGroup
	for _, lane := range byLane {
		if len(lane) == 0 {
			continue
		}
		wg.Add(1)
		go func(lane []inboxRow) {
			defer wg.Done()
			for _, r := range lane {
				w.finish(ctx, r, w.handle(ctx, r))
			}
		}(lane)
	}
	wg.Wait()
}

func (w *inboxWorker) handle(ctx context.Context, r inboxRow) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = permanent(fmt.Errorf("panic: %v", p))
		}
	}()
	fn, ok := inboxHandlers[r.Type]
	if !ok {
		return nil
	}
	a, err := parseObject([]byte(r.Body))
	if err != nil {
		return permanent(err)
	}
	return fn(w.s, ctx, a)
}

// finish records the outcome: done, or due again after a back-off.
func (w *inboxWorker) finish(ctx context.Context, r inboxRow, err error) {
	if err != nil && ctx.Err() != nil {
		return // cut short by a stop: unclaim makes it due again
	}
	// An applied activity is recorded even when the node is stopping, so
	// that the process that takes over does not apply it again.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	db := w.s.db.WithContext(wctx)
	var pe permanentError
	switch {
	case err == nil:
		err = db.Exec(`UPDATE federation_inbox SET done = ?, attempts = attempts + 1, error = '' WHERE seq = ?`, true, r.Seq).Error
	case errors.As(err, &pe) || errors.Is(err, library.ErrInvalid) || r.Attempts+1 >= inboxMaxAttempts:
		w.s.log.Warn("inbox activity dropped", "activity_type", r.Type, "actor", r.Actor, "error", err)
		err = db.Exec(`UPDATE federation_inbox SET done = ?, attempts = attempts + 1, error = ? WHERE seq = ?`, true, err.Error(), r.Seq).Error
	default:
		next := now().Add(w.s.backoff(r.Attempts + 1))
		w.s.log.Info("inbox activity will be retried", "activity_type", r.Type, "actor", r.Actor, "error", err, "next", next)
		err = db.Exec(`UPDATE federation_inbox SET attempts = attempts + 1, next_attempt_at = ?, error = ? WHERE seq = ?`, next, err.Error(), r.Seq).Error
	}
	if err != nil {
		w.s.log.Error("record inbox outcome", "error", err)
	}
}
