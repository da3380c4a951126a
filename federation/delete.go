package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/citizen-network/commonplace/library"
)

// onDelete removes our copy of an object; only its author may delete it. A
// Delete of the actor itself removes the organisation and all it posted.
func (s *Service) onDelete(ctx context.Context, a object) error {
	actor, target := a.iri("actor"), a.objectIRI()
	if target == actor {
		return s.actorDeleted(ctx, actor)
	}
	if hostOf(target) != hostOf(actor) {
		return permanent(fmt.Errorf("federation: %s cannot delete %s: %w", actor, target, library.ErrForbidden))
	}
	org, err := s.store.OrganizationByAPID(ctx, actor)
	if errors.Is(err, library.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, m := range mappings {
		removed, err := m.Remove(ctx, s, target, org.ID)
		if errors.Is(err, library.ErrForbidden) {
			return permanent(err)
		}
		if err != nil || removed {
			return err
		}
	}
	return nil
}

// actorDeleted forgets a deleted remote actor and everything it posted.
func (s *Service) actorDeleted(ctx context.Context, actor string) error {
	if err := s.store.DeleteRemoteOrganization(ctx, actor); err != nil && !errors.Is(err, library.ErrNotFound) {
		return err
	}
	if err := s.db.WithContext(ctx).Exec(`DELETE FROM federation_follows WHERE follower = ? OR followee = ?`, actor, actor).Error; err != nil {
		return err
	}
	return s.forgetActor(ctx, actor)
}

// tombstone is what a deleted object's IRI answers with 410.
func tombstone(apID, formerType string, deleted time.Time) vocab.ActivityStreamsTombstone {
	t := streams.NewActivityStreamsTombstone()
	t.SetJSONLDId(idProperty(apID))
	ft := streams.NewActivityStreamsFormerTypeProperty()
	ft.AppendXMLSchemaString(formerType)
	t.SetActivityStreamsFormerType(ft)
	d := streams.NewActivityStreamsDeletedProperty()
	d.Set(deleted.UTC().Truncate(time.Second))
	t.SetActivityStreamsDeleted(d)
	return t
}

// deleteOf is the Delete of a local object, carrying its Tombstone, addressed
// to the audience that had it.
func (s *Service) deleteOf(id string, lo *localObject, had audience) (document, error) {
	when := now()
	if lo.Deleted != nil {
		when = *lo.Deleted
	}
	return s.wrap(streams.NewActivityStreamsDelete(), id, orgActor(lo.Author), tombstone(lo.APID, lo.FormerType, when), had)
}
