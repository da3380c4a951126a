package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// pending is what one batch of changes asks of the index.
type pending struct {
	refresh map[library.ObjectKind][]string // re-read these from the database
	orgs    []string                        // re-read these organisations' content too
	drop    []string                        // doc ids to delete
	dropBy  []query.Query                   // delete every document these match
	offers  []string                        // offers created: notify matching needs
	touched []string                        // organisations whose content was re-indexed
	gone    []string                        // offers and needs deleted
	written []written                       // what the batch writes, in order, for the features
}

// written is a document the batch indexes, or deletes (nil).
type written struct {
	id  string
	doc document
}

// apply brings the index up to date with a batch of the change log. It is
// idempotent: every change re-reads the object's current state.
func (s *Service) apply(ctx context.Context, batch []library.Change) error {
	p := pending{refresh: map[library.ObjectKind][]string{}}
	for _, c := range batch {
		p.add(c)
	}
	idx, feats := s.reader()
	if idx == nil {
		return fmt.Errorf("search: index closed")
	}
	b := idx.NewBatch()
	if err := s.collect(ctx, idx, b, &p); err != nil {
		return err
	}
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("search: apply changes: %w", err)
	}
	for _, w := range p.written {
		feats.put(w.id, w.doc)
	}
	return s.notifyOffers(ctx, p.offers)
}

// add files one change.
func (p *pending) add(c library.Change) {
	switch {
	case c.ObjectKind == library.KindDomain && c.Op == library.OpPurge:
		p.dropBy = append(p.dropBy, termQuery(fNode, c.ObjectID))
	case c.ObjectKind == library.KindOrganization && c.Op == library.OpDelete:
		p.drop = append(p.drop, docID(c.ObjectKind, c.ObjectID))
		p.dropBy = append(p.dropBy, termQuery(fOrgID, c.ObjectID))
	case c.ObjectKind == library.KindOrganization:
		p.refresh[c.ObjectKind] = append(p.refresh[c.ObjectKind], c.ObjectID)
		p.orgs = append(p.orgs, c.ObjectID)
	case c.Op == library.OpDelete || c.Op == library.OpPurge:
		p.drop = append(p.drop, docID(c.ObjectKind, c.ObjectID))
		if c.ObjectKind == library.KindOffer || c.ObjectKind == library.KindNeed {
			p.gone = append(p.gone, c.ObjectID)
		}
	default:
		if _, ok := sourceOf(c.ObjectKind); ok {
			p.refresh[c.ObjectKind] = append(p.refresh[c.ObjectKind], c.ObjectID)
			if c.ObjectKind == library.KindOffer && c.Op == library.OpCreate {
				p.offers = append(p.offers, c.ObjectID)
			}
		}
	}
}

// collect fills b with the index operations of p.
func (s *Service) collect(ctx context.Context, idx bleve.Index, b *bleve.Batch, p *pending) error {
	for _, q := range p.dropBy {
		ids, err := matchingIDs(ctx, idx, q)
		if err != nil {
			return err
		}
		p.drop = append(p.drop, ids...)
	}
	for _, id := range p.drop {
		b.Delete(id)
		p.written = append(p.written, written{id, nil})
	}
	for _, src := range sources() {
		ids := p.refresh[src.kind]
		if len(p.orgs) > 0 && src.kind != library.KindOrganization {
			owned, err := s.owned(ctx, src, p.orgs)
			if err != nil {
				return err
			}
			ids = append(ids, owned...)
			// content that was indexed but is no longer in the database is dropped below.
			indexed, err := matchingIDs(ctx, idx, query.NewConjunctionQuery([]query.Query{
				termQuery(fKind, string(src.kind)), orgsQuery(p.orgs)}))
			if err != nil {
				return err
			}
			for _, d := range indexed {
				_, id := splitDocID(d)
				ids = append(ids, id)
			}
		}
		if err := s.refresh(ctx, b, src, dedupe(ids), p); err != nil {
			return err
		}
	}
	return s.refreshOwners(ctx, b, p)
}

// refreshOwners re-indexes the organisations whose offers or needs changed,
// since their documents say what they have open.
func (s *Service) refreshOwners(ctx context.Context, b *bleve.Batch, p *pending) error {
	owners := p.touched
	if len(p.gone) > 0 {
		var orgs []string
		err := s.store.DB().WithContext(ctx).Table("listings").Where("id IN ?", p.gone).Pluck("org_id", &orgs).Error
		if err != nil {
			return fmt.Errorf("search: owners of deleted listings: %w", err)
		}
		owners = append(owners, orgs...)
	}
	if len(owners) == 0 {
		return nil
	}
	src, _ := sourceOf(library.KindOrganization)
	owned := &pending{}
	err := s.refresh(ctx, b, src, dedupe(owners), owned)
	p.written = append(p.written, owned.written...)
	return err
}

// refresh re-reads objects and indexes them, or deletes the documents of those
// that are gone or may no longer be indexed.
func (s *Service) refresh(ctx context.Context, b *bleve.Batch, src source, ids []string, p *pending) error {
	for start := 0; start < len(ids); start += batchSize {
		page := ids[start:min(start+batchSize, len(ids))]
		docs, err := src.load(ctx, s, s.store.DB().Where("id IN ?", page))
		if err != nil {
			return err
		}
		for _, id := range page {
			d, ok := docs[id]
			if !ok {
				b.Delete(docID(src.kind, id))
				p.drop = append(p.drop, docID(src.kind, id))
				p.written = append(p.written, written{docID(src.kind, id), nil})
				continue
			}
			if org, ok := d[fOrgID].(string); ok {
				p.touched = append(p.touched, org)
			}
			doc, err := bleveDocument(docID(src.kind, id), withFacets(d))
			if err == nil {
				err = b.IndexAdvanced(doc)
			}
			if err != nil {
				return fmt.Errorf("search: index %s %s: %w", src.kind, id, err)
			}
			p.written = append(p.written, written{docID(src.kind, id), d})
		}
	}
	return nil
}

// matchingIDs returns the ids of every document q matches.
func matchingIDs(ctx context.Context, idx bleve.Index, q query.Query) ([]string, error) {
	var out []string
	for from := 0; ; from += batchSize {
		req := bleve.NewSearchRequestOptions(q, batchSize, from, false)
		req.SortBy([]string{"_id"})
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: find documents: %w", err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < batchSize {
			return out, nil
		}
	}
}

func termQuery(field, value string) *query.TermQuery {
	q := query.NewTermQuery(value)
	q.SetField(field)
	return q
}

func orgsQuery(orgIDs []string) query.Query {
	qs := make([]query.Query, 0, len(orgIDs))
	for _, id := range orgIDs {
		qs = append(qs, termQuery(fOrgID, id))
	}
	return query.NewDisjunctionQuery(qs)
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
