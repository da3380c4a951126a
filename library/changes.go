package library

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
)

// ObjectKind names what a change is about.
type ObjectKind string

// The kinds of object the change log speaks of.
const (
	KindOrganization ObjectKind = "organization"
	KindOffer        ObjectKind = "offer"
	KindNeed         ObjectKind = "need"
	KindStory        ObjectKind = "story"
	KindEvent        ObjectKind = "event"
	// KindDomain changes carry a domain name as ObjectID (with OpPurge).
	KindDomain ObjectKind = "domain"
)

// Op is what happened to the object.
type Op string

// The operations recorded in the change log.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
	OpPurge  Op = "purge"
)

// Change is one entry of the durable change log, written in the same
// transaction as the change itself so that no subscriber can miss it.
type Change struct {
	Seq        int64      `gorm:"column:seq;primaryKey"`
	ObjectKind ObjectKind `gorm:"column:object_kind"`
	ObjectID   string     `gorm:"column:object_id"`
	Op         Op         `gorm:"column:op"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
}

// TableName is the change log's table.
func (Change) TableName() string { return "changes" }

// ChangeHandler receives changes in order, in batches; it must be idempotent,
// because a batch that failed is handed over again.
type ChangeHandler func(ctx context.Context, batch []Change) error

type subscriber struct {
	name string
	fn   ChangeHandler
}

// changeFeed runs the subscribers of the change log.
type changeFeed struct {
	mu    sync.Mutex
	subs  []subscriber
	wake  []chan struct{}
	idle  *sync.Cond
	done  map[string]int64
	poll  time.Duration
	batch int
}

func newChangeFeed() *changeFeed {
	f := &changeFeed{done: map[string]int64{}, poll: time.Second, batch: 500}
	f.idle = sync.NewCond(&f.mu)
	return f
}

// recordChange appends to the change log inside tx.
func recordChange(tx *gorm.DB, kind ObjectKind, id string, op Op) error {
	if err := lockChangeLog(tx); err != nil {
		return fmt.Errorf("library: record change: %w", err)
	}
	c := Change{ObjectKind: kind, ObjectID: id, Op: op, CreatedAt: time.Now().UTC()}
	if err := tx.Create(&c).Error; err != nil {
		return fmt.Errorf("library: record change: %w", err)
	}
	return nil
}

// changeLogLockClass is the first key of the change log's advisory lock ("Cmnc").
const changeLogLockClass = 0x436d6e63

// lockChangeLog makes the transactions that append to the change log commit
// in the order of their seq, on PostgreSQL: a sequence numbers rows in the
// order they are inserted, and a subscriber that read seq 501 while 500 was
// still uncommitted would move its cursor past 500 and never see it. The
// lock is held to the end of tx, so appending writers take turns from their
// first change to their commit (SQLite's writers take turns anyway).
func lockChangeLog(tx *gorm.DB) error {
	if !IsPostgres(tx) {
		return nil
	}
	return tx.Exec(`SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))`, changeLogLockClass).Error
}

// Subscribe registers fn under a durable name; its position in the log is kept
// in subscriber_cursors, so after a restart or a crash it resumes where it stopped.
// Call before RunSubscribers.
func (s *Store) Subscribe(name string, fn ChangeHandler) {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	s.feed.subs = append(s.feed.subs, subscriber{name, fn})
	s.feed.wake = append(s.feed.wake, make(chan struct{}, 1))
}

// notify wakes the subscribers after a committed change.
func (s *Store) notify() {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	for _, w := range s.feed.wake {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// RunSubscribers feeds every subscriber until ctx ends. Changes made by another
// process on the same database (a CLI command) are seen by polling.
func (s *Store) RunSubscribers(ctx context.Context) {
	s.feed.mu.Lock()
	subs, wakes := append([]subscriber(nil), s.feed.subs...), append([]chan struct{}(nil), s.feed.wake...)
	s.feed.mu.Unlock()
	var wg sync.WaitGroup
	for i := range subs {
		wg.Add(1)
		go func(sub subscriber, wake chan struct{}) {
			defer wg.Done()
			s.runSubscriber(ctx, sub, wake)
		}(subs[i], wakes[i])
	}
	wg.Wait()
}

func (s *Store) runSubscriber(ctx context.Context, sub subscriber, wake chan struct{}) {
	backoff := time.Second
	for {
		n, err := s.deliverBatch(ctx, sub)
		if err != nil && ctx.Err() == nil {
			s.log.Error("change subscriber failed; will retry", "subscriber", sub.name, "error", err, "retry_in", backoff)
			if !sleepCtx(ctx, backoff) {
				return
			}
			backoff = min(backoff*2, time.Minute)
			continue
		}
		backoff = time.Second
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-time.After(s.feed.poll):
		}
	}
}

// deliverBatch hands the next batch to sub and advances its cursor.
func (s *Store) deliverBatch(ctx context.Context, sub subscriber) (int, error) {
	cursor, err := s.Cursor(ctx, sub.name)
	if err != nil {
		return 0, err
	}
	var batch []Change
	err = s.db.WithContext(ctx).Where("seq > ?", cursor).Order("seq").Limit(s.feed.batch).Find(&batch).Error
	if err != nil {
		return 0, fmt.Errorf("library: read changes: %w", err)
	}
	if len(batch) > 0 {
		if err := sub.fn(ctx, batch); err != nil {
			return 0, fmt.Errorf("subscriber %s: %w", sub.name, err)
		}
		cursor = batch[len(batch)-1].Seq
		if err := s.SetCursor(ctx, sub.name, cursor); err != nil {
			return 0, err
		}
	}
	s.feed.mu.Lock()
	s.feed.done[sub.name] = cursor
	s.feed.idle.Broadcast()
	s.feed.mu.Unlock()
	return len(batch), nil
}

// Cursor is the last change seq that the named subscriber has handled.
func (s *Store) Cursor(ctx context.Context, name string) (int64, error) {
	var seqs []int64
	err := s.db.WithContext(ctx).Raw(`SELECT seq FROM subscriber_cursors WHERE name = ?`, name).Scan(&seqs).Error
	if err != nil {
		return 0, fmt.Errorf("library: read cursor %s: %w", name, err)
	}
	if len(seqs) == 0 {
		return 0, nil
	}
	return seqs[0], nil
}

// SetCursor moves the named subscriber's position, for example after a full rebuild.
func (s *Store) SetCursor(ctx context.Context, name string, seq int64) error {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO subscriber_cursors (name, seq) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`, name, seq).Error
	if err != nil {
		return fmt.Errorf("library: write cursor %s: %w", name, err)
	}
	return nil
}

// LatestSeq is the newest entry of the change log (0 when it is empty).
func (s *Store) LatestSeq(ctx context.Context) (int64, error) {
	var seq *int64
	if err := s.db.WithContext(ctx).Raw(`SELECT MAX(seq) FROM changes`).Scan(&seq).Error; err != nil {
		return 0, fmt.Errorf("library: latest change: %w", err)
	}
	if seq == nil {
		return 0, nil
	}
	return *seq, nil
}

// WaitSubscribers blocks until every running subscriber has handled the log up
// to its current end, or ctx ends. Tests and the demo use it to read their writes.
func (s *Store) WaitSubscribers(ctx context.Context) error {
	target, err := s.LatestSeq(ctx)
	if err != nil {
		return err
	}
	s.notify()
	stop := context.AfterFunc(ctx, func() {
		s.feed.mu.Lock()
		s.feed.idle.Broadcast()
		s.feed.mu.Unlock()
	})
	defer stop()
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	for {
		behind := false
		for _, sub := range s.feed.subs {
			if s.feed.done[sub.name] < target {
				behind = true
			}
		}
		if !behind {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.feed.idle.Wait()
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
