package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// Consent that can be withdrawn (FEP-5feb). An organisation's actor carries
// indexable and discoverable, and each of its objects carries indexable; a
// withdrawal is an Update of the actor or of the object. A peer that applies
// it (its search index drops what may no longer be indexed, from the change
// log) answers with a receipt: an Accept by its instance actor whose object
// is the Update's id. Only peers send receipts, and only Commonplace nodes
// peer, so Mastodon and GoToSocial never see one; an Accept of an id they do
// not know is ignored by both anyway.

// objectIndexable is an incoming object's own consent: its indexable, true
// when it says nothing (then its actor's flag decides).
func objectIndexable(o object) bool {
	v, said := o.boolean("indexable")
	return v || !said
}

// actorIndexable is a remote actor's consent: its indexable (missing means
// false, FEP-5feb), except that an actor of a peer node that says nothing
// consents by the peering.
func (s *Service) actorIndexable(ctx context.Context, a *remoteActor) bool {
	v, said := a.doc().boolean("indexable")
	if !said {
		return s.isPeerDomain(ctx, a.Domain)
	}
	return v
}

// sendReceipt answers an Update by a peer's actor that withdrew consent:
// the peer's copy is no longer indexable, and its index follows from the
// change log. The receipt's id comes from the Update's, so that an Update
// handled again is answered once.
func (s *Service) sendReceipt(ctx context.Context, update object, author *remoteActor) error {
	if !s.isPeerDomain(ctx, author.Domain) {
		return nil
	}
	sum := sha256.Sum256([]byte(update.id()))
	id := s.cfg.BaseURL + "/activities/receipt-" + hex.EncodeToString(sum[:12])
	doc := document{"@context": ldContext, "id": id, "type": "Accept", "actor": s.InstanceActor(),
		"object": update.id(), "to": []string{author.ID}, "published": now().Format(time.RFC3339),
		"summary": "Removed from the search index of " + s.host + "."}
	return s.send(ctx, outgoing{ID: id, Actor: s.InstanceActor(), Type: "Accept", ObjectID: update.id(),
		Doc: doc, Inboxes: []string{author.deliveryInbox()}})
}

// onReceipt records a peer's receipt of one of our Updates; false when the
// Accept answers something else.
func (s *Service) onReceipt(ctx context.Context, a object) (bool, error) {
	var sent []struct{ Actor, ObjectID string }
	err := s.db.WithContext(ctx).Raw(`SELECT actor, object_id FROM federation_outbox WHERE id = ? AND type = ?`,
		a.objectIRI(), "Update").Scan(&sent).Error
	if err != nil || len(sent) == 0 {
		return false, err
	}
	peer := hostOf(a.iri("actor"))
	if !s.isPeerDomain(ctx, peer) {
		return true, permanent(fmt.Errorf("federation: a receipt from %s, which is not a peer: %w", peer, library.ErrForbidden))
	}
	at := now()
	if t := a.time("published"); t != nil && t.Before(at) {
		at = t.UTC()
	}
	return true, s.db.WithContext(ctx).Exec(`INSERT INTO federation_consent_receipts
		(subject, peer, actor, update_id, receipt_id, removed_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (subject, peer) DO UPDATE SET actor = excluded.actor, update_id = excluded.update_id,
		receipt_id = excluded.receipt_id, removed_at = excluded.removed_at, received_at = excluded.received_at`,
		sent[0].ObjectID, peer, sent[0].Actor, a.objectIRI(), a.id(), at, now()).Error
}

// Receipt is a peer's word that it removed a withdrawn organisation or
// object from its index.
type Receipt struct {
	Peer string `json:"peer"`
	// RemovedAt is when the peer says it removed it; zero while it has not answered.
	RemovedAt *time.Time `json:"removed_at"`
	// Current says the receipt answers the last Update sent of it (a later
	// one, such as a second withdrawal, is still waiting).
	Current bool `json:"current"`
}

// Withdrawal is an organisation or an object that is not to be indexed
// beyond this node, with what each peer answered.
type Withdrawal struct {
	Kind     library.ObjectKind `json:"kind"`
	APID     string             `json:"ap_id"`
	Title    string             `json:"title"`
	Since    time.Time          `json:"since"`
	Receipts []Receipt          `json:"receipts"`
}

// Consent is an organisation's consent and the receipts of its withdrawals.
type Consent struct {
	Indexable    bool         `json:"indexable"`
	Discoverable bool         `json:"discoverable"`
	Withdrawn    []Withdrawal `json:"withdrawn"`
}

// Consent reports a local organisation's consent: what it withdrew, and for
// each withdrawal each peer's receipt.
func (s *Service) Consent(ctx context.Context, org *library.Organization) (*Consent, error) {
	out := &Consent{Indexable: org.Indexable, Discoverable: org.Discoverable, Withdrawn: []Withdrawal{}}
	if !org.Indexable {
		out.Withdrawn = append(out.Withdrawn, Withdrawal{Kind: library.KindOrganization, APID: org.APID, Title: org.Name, Since: org.UpdatedAt})
	}
	objs, err := s.store.Unindexed(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		out.Withdrawn = append(out.Withdrawn, Withdrawal{Kind: o.Kind, APID: o.APID, Title: o.Title, Since: o.UpdatedAt})
	}
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out.Withdrawn {
		if out.Withdrawn[i].Receipts, err = s.receipts(ctx, out.Withdrawn[i].APID, peers); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// receipts are the answers of the peers to the Updates of subject.
func (s *Service) receipts(ctx context.Context, subject string, peers []Peer) ([]Receipt, error) {
	var rows []struct {
		Peer      string
		UpdateID  string
		RemovedAt time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT peer, update_id, removed_at FROM federation_consent_receipts WHERE subject = ?`, subject).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("federation: receipts of %s: %w", subject, err)
	}
	var last []string
	err = s.db.WithContext(ctx).Raw(`SELECT id FROM federation_outbox WHERE object_id = ? AND type = ? ORDER BY seq DESC LIMIT 1`,
		subject, "Update").Scan(&last).Error
	if err != nil {
		return nil, fmt.Errorf("federation: last update of %s: %w", subject, err)
	}
	out := []Receipt{}
	for _, p := range peers {
		if p.State != peerPeered {
			continue
		}
		r := Receipt{Peer: p.Domain}
		for _, row := range rows {
			if row.Peer == p.Domain {
				at := row.RemovedAt.UTC()
				r.RemovedAt, r.Current = &at, len(last) > 0 && last[0] == row.UpdateID
			}
		}
		out = append(out, r)
	}
	return out, nil
}
