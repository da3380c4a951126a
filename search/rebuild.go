package search

import (
	"context"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Progress follows a rebuild: done of total objects read from the database.
type Progress func(done, total int)

// batchSize is how many objects a rebuild reads and indexes at a time.
const batchSize = 1000

// Rebuild builds the index afresh from the database, in a folder beside the
// live one that replaces it only once complete, so that a crash leaves either
// the old index or none (and then the next start rebuilds). Changes made
// while it runs are applied afterwards from the change log.
func (s *Service) Rebuild(ctx context.Context, progress Progress) error {
	seq, err := s.store.LatestSeq(ctx)
	if err != nil {
		return err
	}
	tmp := s.path + ".building"
	if err := removeIndex(tmp); err != nil {
		return err
	}
	fresh, err := bleve.New(tmp, buildMapping())
	if err != nil {
		return fmt.Errorf("search: create index %s: %w", tmp, err)
	}
	if err := s.fill(ctx, fresh, progress); err != nil {
		_ = fresh.Close()
		return err
	}
	if err := fresh.SetInternal(versionKey, []byte(indexVersion())); err != nil {
		_ = fresh.Close()
		return fmt.Errorf("search: mark index version: %w", err)
	}
	if err := fresh.Close(); err != nil {
		return fmt.Errorf("search: close new index: %w", err)
	}
	if err := s.swap(tmp); err != nil {
		return err
	}
	return s.store.SetCursor(ctx, SubscriberName, seq)
}

// swap replaces the live index with the one built at tmp.
func (s *Service) swap(tmp string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil {
		_ = s.idx.Close()
		s.idx = nil
	}
	if err := removeIndex(s.path); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("search: move new index into place: %w", err)
	}
	idx, err := bleve.Open(s.path)
	if err != nil {
		return fmt.Errorf("search: open new index: %w", err)
	}
	s.idx = idx
	return nil
}

// page is one batch of documents of a rebuild, read while the previous one
// is being indexed.
type page struct {
	kind library.ObjectKind
	docs map[string]document
	err  error
}

// fill indexes every object of every source into idx.
func (s *Service) fill(ctx context.Context, idx bleve.Index, progress Progress) error {
	total, err := s.countRows(ctx)
	if err != nil {
		return err
	}
	if progress != nil {
		progress(0, total)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan page, 2)
	go s.readPages(ctx, pages)
	done := 0
	for p := range pages {
		if p.err != nil {
			return p.err
		}
		b := idx.NewBatch()
		for id, d := range p.docs {
			if err := b.Index(docID(p.kind, id), d); err != nil {
				return fmt.Errorf("search: index %s %s: %w", p.kind, id, err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("search: write batch: %w", err)
		}
		done += len(p.docs)
		if progress != nil {
			progress(min(done, total), total)
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return ctx.Err()
}

// countRows counts the objects a rebuild will read.
func (s *Service) countRows(ctx context.Context) (int, error) {
	total := 0
	for _, src := range sources() {
		var n int64
		if err := s.rows(ctx, src).Count(&n).Error; err != nil {
			return 0, fmt.Errorf("search: count %s: %w", src.kind, err)
		}
		total += int(n)
	}
	return total, nil
}

// readPages reads every source page by page into out, then closes it. Pages
// follow the table's primary key without the source's scope, so that the
// database walks its key instead of sorting (offers and needs share a table;
// each pass keeps its own kind when it loads a page).
func (s *Service) readPages(ctx context.Context, out chan<- page) {
	defer close(out)
	for _, src := range sources() {
		last := ""
		for {
			var ids []string
			err := s.store.DB().WithContext(ctx).Table(src.table).Where("id > ?", last).Order("id").Limit(batchSize).Pluck("id", &ids).Error
			if err != nil {
				out <- page{err: fmt.Errorf("search: read %s: %w", src.kind, err)}
				return
			}
			if len(ids) == 0 {
				break
			}
			docs, err := src.load(ctx, s, s.scoped(ctx, src).Where("id IN ?", ids))
			select {
			case out <- page{kind: src.kind, docs: docs, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			last = ids[len(ids)-1]
		}
	}
}

// rows are the live rows of a source's table.
func (s *Service) rows(ctx context.Context, src source) *gorm.DB {
	tx := s.store.DB().WithContext(ctx).Table(src.table).Where("deleted_at IS NULL")
	if src.scope != nil {
		tx = src.scope(tx)
	}
	return tx
}

// scoped is a query over the source's kind, for its load function.
func (s *Service) scoped(ctx context.Context, src source) *gorm.DB {
	tx := s.store.DB().WithContext(ctx)
	if src.scope != nil {
		tx = src.scope(tx)
	}
	return tx
}
