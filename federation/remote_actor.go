package federation

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// errBadActor means an actor or key document does not prove what it must.
var errBadActor = errors.New("bad actor document")

// actorTTL is how long a cached remote actor is used before it is fetched again.
const actorTTL = 24 * time.Hour

// remoteActor is what we keep of another server's actor: where to deliver,
// and its key.
type remoteActor struct {
	ID           string
	Type         string
	Username     string
	Domain       string
	Inbox        string
	SharedInbox  string
	Outbox       string
	KeyID        string
	PublicKeyPEM string
	Document     string
	FetchedAt    time.Time

	pub *rsa.PublicKey
}

// deliveryInbox is the shared inbox when the actor has one.
func (a *remoteActor) deliveryInbox() string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}

// doc is the actor's JSON.
func (a *remoteActor) doc() object {
	o, _ := parseObject([]byte(a.Document))
	return o
}

// actorCache keeps recently used remote actors in memory, by id and by key id.
type actorCache struct {
	mu    sync.RWMutex
	byID  map[string]*remoteActor
	byKey map[string]*remoteActor
}

func (c *actorCache) put(a *remoteActor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil || len(c.byID) > 50000 {
		c.byID, c.byKey = map[string]*remoteActor{}, map[string]*remoteActor{}
	}
	c.byID[a.ID] = a
	if a.KeyID != "" {
		c.byKey[a.KeyID] = a
	}
}

func (c *actorCache) get(id string) *remoteActor {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byID[id]
}

func (c *actorCache) getByKey(keyID string) *remoteActor {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byKey[keyID]
}

// actorFromDocument reads an actor document; it must carry an inbox and a key.
func actorFromDocument(o object) (*remoteActor, error) {
	a := &remoteActor{ID: o.id(), Type: o.typ(), Username: o.str("preferredUsername"), Inbox: o.iri("inbox"),
		Outbox: o.iri("outbox"), Domain: hostOf(o.id()), FetchedAt: now()}
	if ep, ok := o.obj("endpoints"); ok {
		a.SharedInbox = ep.iri("sharedInbox")
	}
	if pk, ok := o.obj("publicKey"); ok {
		a.KeyID, a.PublicKeyPEM = pk.id(), pk.str("publicKeyPem")
		if owner := pk.iri("owner"); owner != "" && owner != a.ID {
			return nil, fmt.Errorf("federation: the key of %s belongs to %s: %w", a.ID, owner, errBadActor)
		}
	}
	switch {
	case a.ID == "" || a.Domain == "":
		return nil, fmt.Errorf("federation: actor without id: %w", errBadActor)
	case a.Inbox == "" || a.KeyID == "" || a.PublicKeyPEM == "":
		return nil, fmt.Errorf("federation: actor %s has no inbox or no key: %w", a.ID, errBadActor)
	case hostOf(a.Inbox) != a.Domain || hostOf(a.KeyID) != a.Domain:
		return nil, fmt.Errorf("federation: actor %s names an inbox or key on another host: %w", a.ID, errBadActor)
	case a.SharedInbox != "" && hostOf(a.SharedInbox) != a.Domain:
		a.SharedInbox = ""
	}
	pub, err := parsePublicKey(a.PublicKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("federation: key of %s: %v: %w", a.ID, err, errBadActor)
	}
	a.pub = pub
	doc, _ := json.Marshal(o)
	a.Document = string(doc)
	return a, nil
}

// remoteActor returns a remote actor from memory, the table, or its server;
// refresh forces a fetch.
func (s *Service) remoteActor(ctx context.Context, iri string, refresh bool) (*remoteActor, error) {
	if s.isLocal(iri) {
		return nil, fmt.Errorf("federation: %s is local", iri)
	}
	if !refresh {
		if a := s.actors.get(iri); a != nil && time.Since(a.FetchedAt) < actorTTL {
			return a, nil
		}
		if a, err := s.loadActor(ctx, "id = ?", iri); err == nil && time.Since(a.FetchedAt) < actorTTL {
			s.actors.put(a)
			return a, nil
		}
	}
	o, err := s.fetcher.getObject(ctx, iri)
	if err != nil {
		return nil, err
	}
	if o.id() != iri {
		return nil, fmt.Errorf("federation: %s answered with actor %s: %w", iri, o.id(), errBadActor)
	}
	a, err := actorFromDocument(o)
	if err != nil {
		return nil, err
	}
	return a, s.saveActor(ctx, a)
}

// keyOwner returns the actor that owns keyID, fetching it when unknown or when
// refresh is set (a key that failed is fetched again once, for rotation).
func (s *Service) keyOwner(ctx context.Context, keyID string, refresh, fetch bool) (*remoteActor, bool, error) {
	if !refresh {
		if a := s.actors.getByKey(keyID); a != nil {
			return a, false, nil
		}
		if a, err := s.loadActor(ctx, "key_id = ?", keyID); err == nil {
			s.actors.put(a)
			return a, false, nil
		}
	}
	if !fetch {
		return nil, false, errRemoteNotFound
	}
	if s.keyMisses.recent(keyID) {
		return nil, true, fmt.Errorf("%w: %s failed lately", errKeyUnavailable, keyID)
	}
	if !s.keyFetch.allow(hostOf(keyID)) {
		return nil, true, fmt.Errorf("%w: too many unknown keys from %s", errKeyUnavailable, hostOf(keyID))
	}
	a, err := s.fetchKeyOwner(ctx, keyID)
	if err != nil {
		if ctx.Err() == nil && !errors.Is(err, errRemoteGone) {
			s.keyMisses.add(keyID)
		}
		return nil, true, fmt.Errorf("%w: %w", errKeyUnavailable, err)
	}
	return a, true, nil
}

// fetchKeyOwner fetches a key and the actor that owns it.
func (s *Service) fetchKeyOwner(ctx context.Context, keyID string) (*remoteActor, error) {
	o, err := s.fetcher.getObject(ctx, keyID)
	if err != nil {
		return nil, err
	}
	owner := o.id()
	if pk, ok := o.obj("publicKey"); ok && pk.iri("owner") != "" {
		owner = pk.iri("owner")
	} else if o.str("publicKeyPem") != "" {
		owner = o.iri("owner")
	}
	if hostOf(owner) != hostOf(keyID) {
		return nil, fmt.Errorf("federation: key %s claims an owner on another host: %w", keyID, errBadActor)
	}
	// GoToSocial serves a stub at its key URL, and a key may be a document of
	// its own: either way, the owner's full actor must name this key.
	a, err := s.remoteActor(ctx, owner, true)
	if err != nil {
		return nil, err
	}
	if a.KeyID != keyID {
		return nil, fmt.Errorf("federation: actor %s does not name key %s: %w", owner, keyID, errBadActor)
	}
	return a, nil
}

func (s *Service) loadActor(ctx context.Context, where string, arg any) (*remoteActor, error) {
	var rows []remoteActor
	err := s.db.WithContext(ctx).Table("federation_actors").Where(where, arg).Limit(1).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errRemoteNotFound
	}
	a := &rows[0]
	pub, err := parsePublicKey(a.PublicKeyPEM)
	if err != nil {
		return nil, err
	}
	a.pub = pub
	return a, nil
}

func (s *Service) saveActor(ctx context.Context, a *remoteActor) error {
	err := s.db.WithContext(ctx).Exec(`INSERT INTO federation_actors
		(id, type, username, domain, inbox, shared_inbox, outbox, key_id, public_key_pem, document, fetched_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET type = excluded.type, username = excluded.username, domain = excluded.domain,
		inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, outbox = excluded.outbox, key_id = excluded.key_id,
		public_key_pem = excluded.public_key_pem, document = excluded.document, fetched_at = excluded.fetched_at`,
		a.ID, a.Type, a.Username, a.Domain, a.Inbox, a.SharedInbox, a.Outbox, a.KeyID, a.PublicKeyPEM, a.Document, a.FetchedAt).Error
	if err != nil {
		return fmt.Errorf("federation: store actor %s: %w", a.ID, err)
	}
	s.actors.put(a)
	return nil
}

// forgetActor drops an actor whose account was deleted.
func (s *Service) forgetActor(ctx context.Context, iri string) error {
	s.actors.mu.Lock()
	if a := s.actors.byID[iri]; a != nil {
		delete(s.actors.byKey, a.KeyID)
	}
	delete(s.actors.byID, iri)
	s.actors.mu.Unlock()
	s.orgs.Delete(iri)
	return s.db.WithContext(ctx).Exec(`DELETE FROM federation_actors WHERE id = ?`, strings.TrimSpace(iri)).Error
}
