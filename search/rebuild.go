package search

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Progress follows a rebuild: done of total objects read from the database.
type Progress func(done, total int)

// batchSize is how many documents a query reads at a time.
const batchSize = 1000

// rebuildPage is how many objects a rebuild reads and indexes at a time.
// Larger batches make fewer and larger segments, which cost less to write
// and to merge, and more memory: about 250 MB a writer for 2,500 listings.
const rebuildPage = 2500

// rebuildGC is the garbage collector's target while a rebuild runs (Go's
// GOGC, 100 by default): a rebuild allocates about 90 KB an object, most of
// it short-lived, and collecting half as often made a rebuild of 100,000
// objects 12% faster, for a peak heap of 600–800 MB instead of 470 MB.
const rebuildGC = 200

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
	fresh, err := bleve.NewUsing(tmp, buildMapping(), scorch.Name, scorch.Name, map[string]any{"scorchMergePlanOptions": buildingMerges})
	if err != nil {
		return fmt.Errorf("search: create index %s: %w", tmp, err)
	}
	if prev := debug.SetGCPercent(rebuildGC); prev < 0 || prev > rebuildGC {
		debug.SetGCPercent(prev) // the operator's, which collects less often
	} else {
		defer debug.SetGCPercent(prev)
	}
	feats := newFeatures()
	if err := s.fill(ctx, fresh, feats, progress); err != nil {
		_ = fresh.Close()
		return err
	}
	if err := compact(ctx, fresh); err != nil {
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
	if err := s.swap(tmp, feats); err != nil {
		return err
	}
	return s.store.SetCursor(ctx, SubscriberName, seq)
}

// buildingMerges keep Bleve from merging segments while a rebuild writes
// them, which merged the same documents again and again: compact merges
// them once at the end. Bleve keeps the options of an index's creation, so
// a node opens it with servingMerges, Bleve's defaults.
var (
	buildingMerges = map[string]any{"MaxSegmentsPerTier": 100000}
	servingMerges  = map[string]any{"MaxSegmentsPerTier": mergeplan.DefaultMergePlanOptions.MaxSegmentsPerTier}
)

// compact merges the segments of a new index as Bleve's merger would do
// once it is opened: the rebuild counts the work, and the first searches of
// the node do not wait for it.
func compact(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("search: merge new index: %w", err)
	}
	if sc, ok := adv.(*scorch.Scorch); ok {
		if err := sc.ForceMerge(ctx, &mergeplan.DefaultMergePlanOptions); err != nil {
			return fmt.Errorf("search: merge new index: %w", err)
		}
	}
	return nil
}

// swap replaces the live index with the one built at tmp, and its features.
func (s *Service) swap(tmp string, feats *features) error {
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
	idx, err := openIndex(s.path)
	if err != nil {
		return fmt.Errorf("search: open new index: %w", err)
	}
	s.idx, s.feats = idx, feats
	return nil
}

// page is one batch of documents of a rebuild, read while the previous one
// is being indexed.
type page struct {
	kind library.ObjectKind
	docs map[string]document
	err  error
}

// fill indexes every object of every source into idx, and files the
// features of its listings.
func (s *Service) fill(ctx context.Context, idx bleve.Index, feats *features, progress Progress) error {
	total, err := s.countRows(ctx)
	if err != nil {
		return err
	}
	if progress != nil {
		progress(0, total)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	pages := make(chan page, 1)
	go s.readPages(ctx, pages)
	var mu sync.Mutex // progress is called by one writer at a time
	done := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range pages {
				err := p.err
				if err == nil && ctx.Err() == nil {
					err = writePage(idx, feats, p)
				}
				if err != nil {
					cancel(err)
					continue
				}
				mu.Lock()
				done += len(p.docs)
				if progress != nil {
					progress(min(done, total), total)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if progress != nil {
		progress(total, total)
	}
	return nil
}

// writePage indexes one page, and files its features. Pages are written by
// as many writers as there are processors: Bleve analyses a batch on every
// processor but builds its segment on one, which the other writer's batch
// then keeps busy.
func writePage(idx bleve.Index, feats *features, p page) error {
	b := idx.NewBatch()
	for id, d := range p.docs {
		doc, err := bleveDocument(docID(p.kind, id), withFacets(d))
		if err == nil {
			err = b.IndexAdvanced(doc)
		}
		if err != nil {
			return fmt.Errorf("search: index %s %s: %w", p.kind, id, err)
		}
		feats.put(docID(p.kind, id), d)
	}
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("search: write batch: %w", err)
	}
	return nil
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
// database walks its key instead of sorting (offers and needs share a table:
// each pass loads only the rows of its kind).
func (s *Service) readPages(ctx context.Context, out chan<- page) {
	defer close(out)
	about := openAbout{}
	for _, src := range rebuildOrder() {
		load := src.load
		if src.kind == library.KindOrganization {
			load = func(ctx context.Context, s *Service, tx *gorm.DB) (map[string]document, error) {
				return s.organizationDocuments(ctx, tx, about)
			}
		}
		last := ""
		for {
			var rows []struct{ ID, Kind string }
			tx := s.store.DB().WithContext(ctx).Table(src.table).Select("id").Where("id > ?", last).Order("id").Limit(rebuildPage)
			if src.shared {
				tx = tx.Select("id", "kind")
			}
			if err := tx.Find(&rows).Error; err != nil {
				out <- page{err: fmt.Errorf("search: read %s: %w", src.kind, err)}
				return
			}
			if len(rows) == 0 {
				break
			}
			last = rows[len(rows)-1].ID
			ids := make([]string, 0, len(rows))
			for _, r := range rows {
				if !src.shared || r.Kind == string(src.kind) {
					ids = append(ids, r.ID)
				}
			}
			if len(ids) == 0 {
				continue
			}
			docs, err := load(ctx, s, s.store.DB().Where("id IN ?", ids))
			if src.kind == library.KindOffer || src.kind == library.KindNeed {
				about.addOpen(library.ListingKind(src.kind), docs, time.Now())
			}
			select {
			case out <- page{kind: src.kind, docs: docs, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}
}

// rebuildOrder is the order in which a rebuild reads the sources:
// organisations last, with the themes of the open listings read before
// them (for reciprocity), instead of reading those listings again.
func rebuildOrder() []source {
	var first, last []source
	for _, src := range sources() {
		if src.kind == library.KindOrganization {
			last = append(last, src)
		} else {
			first = append(first, src)
		}
	}
	return append(first, last...)
}

// rows are the live rows of a source's kind.
func (s *Service) rows(ctx context.Context, src source) *gorm.DB {
	tx := s.store.DB().WithContext(ctx).Table(src.table).Where("deleted_at IS NULL")
	if src.shared {
		tx = tx.Where("kind = ?", src.kind)
	}
	return tx
}

// owned are the ids of the live objects of a source's kind that belong to
// the organisations.
func (s *Service) owned(ctx context.Context, src source, orgs []string) ([]string, error) {
	var rows []struct{ ID, Kind string }
	tx := s.store.DB().WithContext(ctx).Table(src.table).Where("deleted_at IS NULL AND org_id IN ?", orgs).Select("id")
	if src.shared {
		tx = tx.Select("id", "kind")
	}
	if err := tx.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("search: content of organisations: %w", err)
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if !src.shared || r.Kind == string(src.kind) {
			out = append(out, r.ID)
		}
	}
	return out, nil
}
