package federation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// ingest keeps an incoming object written by authorID: its id and author must
// be on the author's host, the author must consent to indexing (a peer node,
// or an indexable actor that a local actor follows), and a copy newer than it
// must not be held already. Objects of no mapping (ordinary posts) are ignored.
func (s *Service) ingest(ctx context.Context, authorID string, o object) error {
	m := recognise(o)
	if m == nil {
		return nil
	}
	if o.iri("attributedTo") != authorID || hostOf(o.id()) != hostOf(authorID) {
		return permanent(fmt.Errorf("federation: %s is not %s's to publish: %w", o.id(), authorID, library.ErrForbidden))
	}
	author, err := s.remoteActor(ctx, authorID, false)
	if err != nil {
		return err
	}
	if !s.consents(ctx, author) {
		s.log.Debug("not kept: no consent to index", "actor", authorID, "object", o.id())
		return nil
	}
	if s.olderThanHeld(ctx, o) {
		return nil
	}
	orgID, err := s.remoteOrg(ctx, author, false)
	if err != nil {
		return err
	}
	if err := m.Store(ctx, s, orgID, o); err != nil {
		if errors.Is(err, library.ErrForbidden) || errors.Is(err, library.ErrGone) || errors.Is(err, library.ErrInvalid) {
			return permanent(err)
		}
		return err
	}
	return s.rememberVersion(ctx, o)
}

// consents reports whether an actor's content may be kept and indexed here.
func (s *Service) consents(ctx context.Context, a *remoteActor) bool {
	if s.isPeerDomain(ctx, a.Domain) {
		return true
	}
	if indexable, _ := a.doc().boolean("indexable"); !indexable {
		return false
	}
	var n int64
	s.db.WithContext(ctx).Table("federation_follows").
		Where("followee = ? AND local_follower = ? AND state = ?", a.ID, true, followAccepted).Count(&n)
	return n > 0
}

// olderThanHeld reports whether we already hold a newer version of o, which
// happens when a retried Create arrives after an Update.
func (s *Service) olderThanHeld(ctx context.Context, o object) bool {
	v := objectVersion(o)
	if v == nil {
		return false
	}
	var held []time.Time
	s.db.WithContext(ctx).Raw(`SELECT updated FROM federation_remote_objects WHERE ap_id = ?`, o.id()).Scan(&held)
	return len(held) > 0 && v.Before(held[0])
}

// rememberVersion keeps the version of an object that was updated; one never
// updated needs no record, since any later version is newer than it.
func (s *Service) rememberVersion(ctx context.Context, o object) error {
	v := o.time("updated")
	if v == nil {
		return nil
	}
	return s.db.WithContext(ctx).Exec(`INSERT INTO federation_remote_objects (ap_id, updated) VALUES (?, ?)
		ON CONFLICT (ap_id) DO UPDATE SET updated = excluded.updated`, o.id(), *v).Error
}

// objectVersion is when the object last changed: updated, else published.
func objectVersion(o object) *time.Time {
	if t := o.time("updated"); t != nil {
		return t
	}
	return o.time("published")
}

// remoteOrg returns the library organisation of a remote actor, storing or
// refreshing it when needed; search indexes it from the change log.
func (s *Service) remoteOrg(ctx context.Context, a *remoteActor, refresh bool) (string, error) {
	if !refresh {
		if id, ok := s.orgs.Load(a.ID); ok {
			return id.(string), nil
		}
		if org, err := s.store.OrganizationByAPID(ctx, a.ID); err == nil {
			s.orgs.Store(a.ID, org.ID)
			return org.ID, nil
		}
	}
	o := orgFromActor(a)
	// Search indexes remote content only with consent: an indexable actor, or
	// an actor of a peer node that does not say otherwise.
	o.Indexable = s.actorIndexable(ctx, a)
	org, err := s.store.UpsertRemoteOrganization(ctx, o)
	if err != nil {
		return "", err
	}
	s.orgs.Store(a.ID, org.ID)
	return org.ID, nil
}

// orgFromActor maps an actor document to a remote organisation. Missing
// indexable means false (FEP-5feb).
func orgFromActor(a *remoteActor) *library.Organization {
	d := a.doc()
	o := &library.Organization{Handle: a.Username, Domain: a.Domain, APID: a.ID, Name: strings.TrimSpace(d.str("name")),
		Summary: strings.TrimSpace(library.PlainText(d.str("summary"))), URL: d.iri("url"), IconURL: iconURL(d)}
	if o.Handle == "" {
		o.Handle = lastSegment(a.ID)
	}
	if o.Name == "" {
		o.Name = o.Handle
	}
	if o.URL == "" || hostOf(o.URL) != a.Domain {
		o.URL = a.ID
	}
	if c := d.ext("country"); len(c) > 0 && len(c[0]) == 2 {
		o.Country = strings.ToUpper(c[0])
	}
	o.Discoverable, _ = d.boolean("discoverable")
	o.Indexable, _ = d.boolean("indexable")
	return o
}

func iconURL(d object) string {
	if icon, ok := d.obj("icon"); ok {
		return icon.iri("url")
	}
	return d.iri("icon")
}

func lastSegment(iri string) string {
	iri = strings.TrimRight(iri, "/")
	return iri[strings.LastIndexByte(iri, '/')+1:]
}
