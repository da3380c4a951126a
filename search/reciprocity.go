package search

import (
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// reciprocity is, for one candidate's organisation, what it could get back.
type reciprocity struct {
	themes   []string // the themes of the exchange the other way
	strength float64  // 1 when there is one
}

// reciprocities tells, for the organisations of the candidates, whether the
// exchange could go both ways: for a need, whether the offering organisation
// also wants to learn something the need's organisation shares; for an offer,
// whether the organisation in need shares something the offering one wants.
// Organisation documents carry the themes of what each has open, so one
// query over them answers for every candidate.
func (s *Service) reciprocities(ctx context.Context, sub subject, cands map[string]*candidate) map[string]reciprocity {
	ids := []string{docID(library.KindOrganization, sub.orgID)}
	for _, c := range cands {
		ids = append(ids, docID(library.KindOrganization, c.ref.orgID))
	}
	ids = dedupe(ids)
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fOffersAbout, fNeedsAbout}
	res, err := s.index().SearchInContext(ctx, req)
	if err != nil {
		return nil
	}
	offers, needs := map[string][]string{}, map[string][]string{}
	for _, h := range res.Hits {
		_, org := splitDocID(h.ID)
		offers[org], needs[org] = strings.Fields(str(h.Fields[fOffersAbout])), strings.Fields(str(h.Fields[fNeedsAbout]))
	}
	mine, wanted := offers[sub.orgID], needs
	if sub.kind == library.Offer {
		mine, wanted = needs[sub.orgID], offers
	}
	out := map[string]reciprocity{}
	for org, theirs := range wanted {
		if org == sub.orgID {
			continue
		}
		var r reciprocity
		for _, t := range theirs {
			if slices.Contains(mine, t) {
				r.themes, r.strength = append(r.themes, t), 1
			}
		}
		slices.Sort(r.themes)
		out[org] = r
	}
	return out
}
