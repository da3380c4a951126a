package federation

import (
	"context"
	"encoding/json"
	"time"

	"github.com/go-fed/activity/streams"

	"github.com/citizen-network/commonplace/library"
)

// Report is a Flag received from another server, for the coordinator.
type Report struct {
	ID         int64     `json:"id"`
	ActivityID string    `json:"activity_id"`
	Actor      string    `json:"actor"`
	Objects    string    `json:"objects"`
	Content    string    `json:"content"`
	CreatedAt  time.Time `json:"created_at"`
}

// onFlag keeps a report about our actors or objects for the coordinator.
func (s *Service) onFlag(ctx context.Context, a object) error {
	var ours []string
	for _, iri := range a.iris("object") {
		if s.isLocal(iri) {
			ours = append(ours, iri)
		}
	}
	if len(ours) == 0 {
		return nil
	}
	objs, _ := json.Marshal(ours)
	return s.db.WithContext(ctx).Exec(`INSERT INTO federation_reports (activity_id, actor, objects, content, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (activity_id) DO NOTHING`,
		a.id(), a.iri("actor"), string(objs), library.PlainText(a.str("content")), now()).Error
}

// Reports lists the reports received, newest first.
func (s *Service) Reports(ctx context.Context, limit int) ([]Report, error) {
	var out []Report
	err := s.db.WithContext(ctx).Table("federation_reports").Order("id DESC").Limit(max(limit, 1)).Find(&out).Error
	return out, err
}

// Flag reports a remote object to its server. It is sent by the instance
// actor, as Mastodon does, so the reporting organisation stays anonymous.
func (s *Service) Flag(ctx context.Context, objectIRI, comment string) error {
	l, err := s.store.ListingByAPID(ctx, objectIRI)
	if err != nil {
		return err
	}
	if l.Local || l.Org == nil {
		return library.Invalid("object", "must be another node's object")
	}
	author, err := s.remoteActor(ctx, l.Org.APID, false)
	if err != nil {
		return err
	}
	id := s.newActivityID()
	t := streams.NewActivityStreamsFlag()
	t.SetJSONLDId(idProperty(id))
	t.SetActivityStreamsActor(actorProperty(s.InstanceActor()))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendIRI(mustIRI(author.ID))
	obj.AppendIRI(mustIRI(objectIRI))
	t.SetActivityStreamsObject(obj)
	t.SetActivityStreamsContent(contentProperty(comment))
	doc, err := serialize(t)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: s.InstanceActor(), Type: "Flag", ObjectID: objectIRI, Doc: doc, Inboxes: []string{author.deliveryInbox()}})
}
