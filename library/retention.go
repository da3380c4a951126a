package library

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// Retention says how long data that has served its purpose is kept before
// the pruning job removes it. README's operations section lists the periods.
type Retention struct {
	// InboxBodies is how long the body of a processed inbox activity is kept
	// (for a coordinator looking into a problem); the row itself, which
	// refuses a replayed id, stays as long as federation's replay window asks.
	InboxBodies time.Duration
	// DeletedBodies is how long the text of a deleted offer, need, story or
	// event is kept; its tombstone row (id, owner, IRI, deleted_at) stays, so
	// that the object keeps answering 410 Gone.
	DeletedBodies time.Duration
	// ChangeLog is how long a change every subscriber has handled is kept:
	// a margin for an index rebuild, which resumes from where it started.
	ChangeLog time.Duration
}

// DefaultRetention is the node's retention unless the operator sets another.
var DefaultRetention = Retention{InboxBodies: 14 * 24 * time.Hour, DeletedBodies: 30 * 24 * time.Hour, ChangeLog: 24 * time.Hour}

// pruneBatch is how many rows one statement prunes, so that the job never
// holds SQLite's write lock for long.
const pruneBatch = 1000

// PruneSessions deletes the sessions that expired before now.
func (s *Store) PruneSessions(ctx context.Context, now time.Time) (int64, error) {
	return s.pruneInBatches(ctx, "expired sessions", `DELETE FROM sessions WHERE token_hash IN
		(SELECT token_hash FROM sessions WHERE expires_at < ? LIMIT ?)`, now.UTC())
}

// PruneChanges deletes the change log rows that every subscriber has passed
// and that are older than before. A subscriber counts from its stored cursor,
// or from the start when it has none yet, so a new subscriber holds the log
// back until it has run. The newest row is never deleted: LatestSeq reads it.
func (s *Store) PruneChanges(ctx context.Context, before time.Time) (int64, error) {
	low, err := s.lowestCursor(ctx)
	if err != nil || low <= 0 {
		return 0, err
	}
	return s.pruneInBatches(ctx, "change log", `DELETE FROM changes WHERE seq IN
		(SELECT seq FROM changes WHERE seq < ? AND created_at < ? ORDER BY seq LIMIT ?)`, low, before.UTC())
}

// lowestCursor is the position of the subscriber furthest behind, over the
// stored cursors and those registered in this process.
func (s *Store) lowestCursor(ctx context.Context) (int64, error) {
	var low *int64
	if err := s.db.WithContext(ctx).Raw(`SELECT MIN(seq) FROM subscriber_cursors`).Scan(&low).Error; err != nil {
		return 0, fmt.Errorf("library: lowest cursor: %w", err)
	}
	if low == nil {
		return 0, nil
	}
	s.feed.mu.Lock()
	subs := append([]subscriber(nil), s.feed.subs...)
	s.feed.mu.Unlock()
	for _, sub := range subs {
		c, err := s.Cursor(ctx, sub.name)
		if err != nil {
			return 0, err
		}
		*low = min(*low, c)
	}
	return *low, nil
}

// deletedBodies are, per table, the columns of a deleted object's text
// emptied once DeletedBodies has passed; the rest of the row is its tombstone.
var deletedBodies = []struct{ table, set, kept string }{
	{"listings", `title = '', body = '', content_html = '', themes = '[]', languages = '[]', countries = '[]', formats = '[]'`,
		`title <> '' OR body <> '' OR content_html <> ''`},
	{"stories", `title = '', summary = '', body = '', content_html = '', themes = '[]', groups = '[]', features = '[]',
		countries = '[]', languages = '[]', pseudonyms = '[]'`,
		`title <> '' OR summary <> '' OR body <> '' OR content_html <> '' OR pseudonyms <> '[]'`},
	{"events", `title = '', body = '', content_html = '', online_url = '', place_name = '', place_address = '',
		themes = '[]', languages = '[]'`,
		`title <> '' OR body <> '' OR content_html <> '' OR online_url <> '' OR place_name <> '' OR place_address <> ''`},
}

// PruneDeletedBodies empties the text of objects deleted before before,
// keeping the row that makes the object answer 410 Gone.
func (s *Store) PruneDeletedBodies(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for _, t := range deletedBodies {
		n, err := s.pruneInBatches(ctx, "deleted "+t.table, `UPDATE `+t.table+` SET `+t.set+` WHERE id IN
			(SELECT id FROM `+t.table+` WHERE deleted_at IS NOT NULL AND deleted_at < ? AND (`+t.kept+`) LIMIT ?)`, before.UTC())
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// pruneInBatches runs a statement whose last argument is the batch size
// until it touches no more rows.
func (s *Store) pruneInBatches(ctx context.Context, what, stmt string, args ...any) (int64, error) {
	return PruneInBatches(ctx, s.db, what, stmt, args...)
}

// PruneInBatches runs stmt, whose last placeholder is a LIMIT, with
// pruneBatch rows a time until it touches no more rows, and returns how many
// it touched. Packages with tables of their own (federation's inbox) use it.
func PruneInBatches(ctx context.Context, db *gorm.DB, what, stmt string, args ...any) (int64, error) {
	var total int64
	args = append(args, pruneBatch)
	for {
		res := db.WithContext(ctx).Exec(stmt, args...)
		if res.Error != nil {
			return total, fmt.Errorf("library: prune %s: %w", what, res.Error)
		}
		total += res.RowsAffected
		if res.RowsAffected < pruneBatch {
			return total, nil
		}
	}
}

// PruneStep is one kind of data the pruning job removes: Prune is given
// the job's clock reading and returns how many rows it pruned.
type PruneStep struct {
	Name  string
	Prune func(ctx context.Context, now time.Time) (int64, error)
}

// PruneSteps are the store's own steps under r.
func (s *Store) PruneSteps(r Retention) []PruneStep {
	return []PruneStep{
		{"sessions", s.PruneSessions},
		{"change_log", func(ctx context.Context, now time.Time) (int64, error) {
			return s.PruneChanges(ctx, now.Add(-r.ChangeLog))
		}},
		{"deleted_bodies", func(ctx context.Context, now time.Time) (int64, error) {
			return s.PruneDeletedBodies(ctx, now.Add(-r.DeletedBodies))
		}},
	}
}

// Pruner is the periodic pruning job of a running node.
type Pruner struct {
	steps []PruneStep
	now   func() time.Time
	log   *slog.Logger
}

// NewPruner returns a job running steps with the clock now (time.Now in a node).
func NewPruner(log *slog.Logger, now func() time.Time, steps ...PruneStep) *Pruner {
	return &Pruner{steps: steps, now: now, log: log}
}

// PruneOnce runs every step once and returns what each pruned. A failing
// step is logged and the others still run; the next run tries it again.
func (p *Pruner) PruneOnce(ctx context.Context) map[string]int64 {
	now := p.now()
	out := make(map[string]int64, len(p.steps))
	for _, st := range p.steps {
		n, err := st.Prune(ctx, now)
		out[st.Name] = n
		if err != nil && ctx.Err() == nil {
			p.log.Error("prune failed", "step", st.Name, "error", err)
		}
	}
	attrs := make([]any, 0, 2*len(out))
	for _, st := range p.steps {
		attrs = append(attrs, st.Name, out[st.Name])
	}
	p.log.Info("pruned", attrs...)
	return out
}

// Run prunes once at start and then at every tick, until ctx ends or
// ticks is closed.
func (p *Pruner) Run(ctx context.Context, ticks <-chan time.Time) {
	p.PruneOnce(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ticks:
			if !ok {
				return
			}
			p.PruneOnce(ctx)
		}
	}
}
