package search

import (
	"slices"

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
// Organisation documents carry the themes of what each has open.
func reciprocities(feats *features, sub subject, cands map[string]*candidate) map[string]reciprocity {
	mine, _ := feats.org(sub.orgID)
	out := map[string]reciprocity{}
	for _, c := range cands {
		org := c.ref.orgID
		if _, done := out[org]; done || org == sub.orgID {
			continue
		}
		theirs, ok := feats.org(org)
		if !ok {
			continue
		}
		ours, wanted := mine.offers, theirs.needs
		if sub.kind == library.Offer {
			ours, wanted = mine.needs, theirs.offers
		}
		var r reciprocity
		for _, t := range wanted {
			if slices.Contains(ours, t) {
				r.themes, r.strength = append(r.themes, t), 1
			}
		}
		slices.Sort(r.themes)
		out[org] = r
	}
	return out
}
