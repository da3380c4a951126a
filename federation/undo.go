package federation

import (
	"context"
	"fmt"

	"github.com/citizen-network/commonplace/library"
)

// onUndo withdraws a Follow, a Like, an Announce or an introduction's
// Offer; only its own actor may.
// Mastodon embeds the Follow it undoes and its id is not always
// dereferenceable, so the embedded object is matched first.
func (s *Service) onUndo(ctx context.Context, a object) error {
	actor := a.iri("actor")
	innerID := a.objectIRI()
	inner, embedded := a.obj("object")
	typ := ""
	if embedded {
		typ = inner.typ()
		if inner.iri("actor") != "" && inner.iri("actor") != actor {
			return permanent(fmt.Errorf("federation: %s undoes an activity of %s: %w", actor, inner.iri("actor"), library.ErrForbidden))
		}
	}
	if typ == "Offer" {
		if done, err := s.onWithdrawal(ctx, actor, innerID); done {
			return err
		}
	}
	if typ == "" || typ == "Follow" {
		res := s.db.WithContext(ctx).Exec(`DELETE FROM federation_follows WHERE follower = ? AND (id = ? OR followee = ?)`,
			actor, innerID, inner.objectIRI())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected > 0 || typ == "Follow" {
			return nil
		}
	}
	return s.db.WithContext(ctx).Exec(`DELETE FROM federation_reactions WHERE activity_id = ? AND actor = ?`, innerID, actor).Error
}
