package federation

import (
	"context"
	"fmt"
	"time"
)

// maxBackfillPages bounds a back-fill (100 items a page: a million objects).
const maxBackfillPages = 10000

// requestBackfill asks for a peer's history to be read.
func (s *Service) requestBackfill(domain string) {
	select {
	case s.backfills <- domain:
	default:
		s.log.Warn("back-fill queue full; will be retried at start", "domain", domain)
	}
}

// runBackfills reads peers' histories one at a time; at start it resumes the
// back-fills that never finished.
func (s *Service) runBackfills(ctx context.Context) {
	var pending []string
	s.db.WithContext(ctx).Table("federation_peers").Where("state = ? AND backfilled_at IS NULL", peerPeered).Pluck("domain", &pending)
	for _, d := range pending {
		s.requestBackfill(d)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case domain := <-s.backfills:
			n, err := s.Backfill(ctx, domain)
			msg := ""
			if err != nil {
				msg = err.Error()
				s.log.Warn("back-fill failed", "domain", domain, "objects", n, "error", err)
			} else {
				s.log.Info("back-filled a peer", "domain", domain, "objects", n)
			}
			s.db.WithContext(ctx).Exec(`UPDATE federation_peers SET backfilled_at = ?, backfill_error = ? WHERE domain = ?`, now(), msg, domain)
		}
	}
}

// Backfill walks a peer's instance outbox page by page, with GETs signed by
// our instance actor (so network-visible objects are included), and keeps
// every object it recognises. The next page is fetched while the current one
// is stored. It returns how many items it read.
func (s *Service) Backfill(ctx context.Context, domain string) (int, error) {
	p, err := s.peer(ctx, domain)
	if err != nil {
		return 0, err
	}
	actor, err := s.remoteActor(ctx, p.ActorID, false)
	if err != nil {
		return 0, err
	}
	return s.backfillOutbox(ctx, domain, actor.Outbox)
}

// backfillOutbox walks one actor's outbox on its own host (a peer's
// instance, or an organisation that moved) and keeps every object it
// recognises. It returns how many items it read.
func (s *Service) backfillOutbox(ctx context.Context, domain, outbox string) (int, error) {
	if outbox == "" || hostOf(outbox) != domain {
		return 0, fmt.Errorf("federation: no outbox on %s: %q", domain, outbox)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan fetchedPage, 1)
	go s.fetchPages(ctx, domain, outbox, pages)
	n := 0
	for pg := range pages {
		if pg.err != nil {
			return n, pg.err
		}
		for _, it := range pg.items {
			n++
			if err := s.backfillItem(ctx, domain, it); err != nil {
				s.log.Debug("back-fill item skipped", "domain", domain, "error", err)
			}
		}
	}
	return n, ctx.Err()
}

// fetchedPage is one outbox page's items, or the error that ended the walk.
type fetchedPage struct {
	items []any
	err   error
}

// fetchPages follows an outbox from its first page to its last, on the peer's host only.
func (s *Service) fetchPages(ctx context.Context, domain, outbox string, out chan<- fetchedPage) {
	defer close(out)
	col, err := s.fetcher.getObject(ctx, outbox)
	if err != nil {
		out <- fetchedPage{err: err}
		return
	}
	next, page := col.iri("first"), object(nil)
	if first, ok := col.obj("first"); ok && len(first) > 1 {
		page, next = first, ""
	}
	for i := 0; i < maxBackfillPages && ctx.Err() == nil; i++ {
		if page == nil {
			if next == "" || hostOf(next) != domain {
				return
			}
			if page, err = s.fetcher.getObject(ctx, next); err != nil {
				out <- fetchedPage{err: err}
				return
			}
		}
		items := page.values("orderedItems")
		if len(items) == 0 {
			items = page.values("items")
		}
		if len(items) == 0 {
			return
		}
		select {
		case out <- fetchedPage{items: items}:
		case <-ctx.Done():
			return
		}
		next, page = page.iri("next"), nil
	}
}

// backfillItem keeps one outbox item: a Create with its object embedded (or
// an object IRI, fetched). The page came from the peer itself, so objects on
// the peer's host written by its actors are authentic.
func (s *Service) backfillItem(ctx context.Context, domain string, it any) error {
	var o object
	switch v := it.(type) {
	case string:
		fetched, err := s.fetcher.getObject(ctx, v)
		if err != nil {
			return err
		}
		o = fetched
	case map[string]any:
		o = object(v)
	}
	if o.typ() == "Create" || o.typ() == "Update" {
		inner, ok := o.obj("object")
		if !ok {
			fetched, err := s.fetcher.getObject(ctx, o.objectIRI())
			if err != nil {
				return err
			}
			inner = fetched
		}
		o = inner
	}
	if hostOf(o.id()) != domain || hostOf(o.iri("attributedTo")) != domain {
		return fmt.Errorf("federation: %s is not from %s", o.id(), domain)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return s.ingest(ctx, o.iri("attributedTo"), o)
}
