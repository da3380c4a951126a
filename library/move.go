package library

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"
)

// An organisation that leaves this node for another takes its offers,
// needs, stories and events along in an OrgArchive: exported here, imported
// there under the same ids (so that every old IRI maps to its new one by
// the new node's origin), then announced by a Move (see federation). The
// organisation stays here as a forwarding address: MovedTo names its new
// actor, and its old IRIs redirect there.

// OrgArchiveFormat names the archive's format and version.
const OrgArchiveFormat = "commonplace-organization/1"

// OrgArchive is one local organisation and everything it published. What
// stays behind: its accounts, API tokens and keys (the new node makes its
// own), registrations of other organisations for its events, and
// introductions (they belong to two organisations).
type OrgArchive struct {
	Format       string          `json:"format"`
	ActorID      string          `json:"actor_id"` // the organisation's actor IRI here
	ExportedAt   time.Time       `json:"exported_at"`
	Organization Organization    `json:"organization"`
	Listings     []Listing       `json:"listings"`
	Stories      []ArchivedStory `json:"stories"`
	Events       []Event         `json:"events"`
}

// ArchivedStory is a story with the pseudonyms the API does not show.
type ArchivedStory struct {
	Story
	Pseudonyms []string `json:"pseudonyms"`
}

// AlsoKnownAsList is the organisation's former actor IRIs.
func (o *Organization) AlsoKnownAsList() []string { return strings.Fields(o.AlsoKnownAs) }

// ExportOrganization archives a local organisation that has not moved.
func (s *Store) ExportOrganization(ctx context.Context, handle string) (*OrgArchive, error) {
	org, err := s.OrganizationByHandle(ctx, handle)
	if err != nil {
		return nil, err
	}
	if org.MovedTo != "" {
		return nil, Invalid("handle", "%s has already moved to %s", handle, org.MovedTo)
	}
	a := &OrgArchive{Format: OrgArchiveFormat, ActorID: org.APID, ExportedAt: time.Now().UTC(), Organization: *org}
	db := s.db.WithContext(ctx)
	if err := db.Where("org_id = ?", org.ID).Order("id").Find(&a.Listings).Error; err != nil {
		return nil, fmt.Errorf("library: export %s: %w", handle, err)
	}
	var stories []Story
	if err := db.Where("org_id = ?", org.ID).Order("id").Find(&stories).Error; err != nil {
		return nil, fmt.Errorf("library: export %s: %w", handle, err)
	}
	for _, st := range stories {
		a.Stories = append(a.Stories, ArchivedStory{Story: st, Pseudonyms: st.Pseudonyms})
	}
	if err := db.Where("org_id = ?", org.ID).Order("id").Find(&a.Events).Error; err != nil {
		return nil, fmt.Errorf("library: export %s: %w", handle, err)
	}
	return a, nil
}

// ImportOrganization creates a local organisation from another node's
// archive, with the same ids, this node's IRIs and the old actor in
// AlsoKnownAs: the proof the old node asks for before it moves. The handle
// must be free here, and no id may exist yet.
func (s *Store) ImportOrganization(ctx context.Context, a *OrgArchive) (*Organization, error) {
	if a.Format != OrgArchiveFormat {
		return nil, Invalid("format", "%q is not an organisation archive (want %q)", a.Format, OrgArchiveFormat)
	}
	if a.ActorID == "" || !strings.HasPrefix(a.ActorID, "http") {
		return nil, Invalid("actor_id", "the archive does not name the organisation's actor IRI")
	}
	o := a.Organization
	in := OrganizationInput{Handle: o.Handle, Name: o.Name, Summary: o.Summary, Country: o.Country, Website: o.Website}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	o.Local, o.Domain, o.MovedTo, o.AlsoKnownAs = true, "", "", a.ActorID
	o.APID, o.URL, o.UpdatedAt, o.DeletedAt = "/orgs/"+o.Handle, "/orgs/"+o.Handle, now, gorm.DeletedAt{}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Organization{}).Unscoped().Where("(handle = ? AND domain = '') OR id = ?", o.Handle, o.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: handle %q or organisation %s is already on this node", ErrConflict, o.Handle, o.ID)
		}
		if err := tx.Create(&o).Error; err != nil {
			return err
		}
		if err := recordChange(tx, KindOrganization, o.ID, OpCreate); err != nil {
			return err
		}
		return importContent(tx, a, o.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("library: import %s: %w", o.Handle, err)
	}
	return &o, nil
}

// importContent inserts an archive's objects as local ones of orgID.
func importContent(tx *gorm.DB, a *OrgArchive, orgID string) error {
	for _, l := range a.Listings {
		l.OrgID, l.Org, l.Local = orgID, nil, true
		l.APID, l.URL = "/"+l.Kind.Plural()+"/"+l.ID, "/"+l.Kind.Plural()+"/"+l.ID
		if err := insertNew(tx, &l, l.ID, l.Kind.ObjectKind()); err != nil {
			return err
		}
	}
	for _, as := range a.Stories {
		st := as.Story
		st.OrgID, st.Org, st.Local, st.Pseudonyms = orgID, nil, true, as.Pseudonyms
		st.APID, st.URL = "/stories/"+st.ID, "/stories/"+st.ID
		if err := insertNew(tx, &st, st.ID, KindStory); err != nil {
			return err
		}
	}
	for _, e := range a.Events {
		e.OrgID, e.Org, e.Local, e.ParticipantCount = orgID, nil, true, 0
		e.APID, e.URL = "/events/"+e.ID, "/events/"+e.ID
		if err := insertNew(tx, &e, e.ID, KindEvent); err != nil {
			return err
		}
	}
	return nil
}

// insertNew inserts one imported row, refusing an id this node already
// has, and records its creation.
func insertNew(tx *gorm.DB, row any, id string, kind ObjectKind) error {
	var n int64
	if err := tx.Model(row).Unscoped().Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: %s %s is already on this node", ErrConflict, kind, id)
	}
	if err := tx.Create(row).Error; err != nil {
		return err
	}
	return recordChange(tx, kind, id, OpCreate)
}

// MarkMoved records that a local organisation now lives at another actor.
// Its objects stay, hidden from every list and search, so that their IRIs
// can redirect; the change is an Update of the organisation, which
// federation sends with movedTo.
func (s *Store) MarkMoved(ctx context.Context, orgID, target string) (*Organization, error) {
	o, err := s.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !o.Local {
		return nil, fmt.Errorf("library: %s is not local: %w", o.Address(), ErrForbidden)
	}
	o.MovedTo, o.UpdatedAt = target, time.Now().UTC()
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Organization{}).Where("id = ?", o.ID).Updates(map[string]any{"moved_to": o.MovedTo, "updated_at": o.UpdatedAt}).Error; err != nil {
			return err
		}
		return recordChange(tx, KindOrganization, o.ID, OpUpdate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: mark %s moved: %w", o.Handle, err)
	}
	return o, nil
}

// MovedIRI is where an IRI of a moved organisation's object lives now: the
// same path at the new actor's origin, since the archive kept the ids.
func MovedIRI(oldIRI, newActor string) string {
	to, err := url.Parse(newActor)
	if err != nil {
		return newActor
	}
	from, err := url.Parse(oldIRI)
	if err != nil {
		from = &url.URL{}
	}
	return (&url.URL{Scheme: to.Scheme, User: to.User, Host: to.Host, Path: from.Path, RawPath: from.RawPath,
		RawQuery: from.RawQuery, Fragment: from.Fragment}).String()
}

// MovedIRI is where the listing lives now, or "" when its organisation has
// not moved (the organisation must be loaded).
func (l *Listing) MovedIRI() string { return movedIRI(l.Org, l.APID) }

// MovedIRI is where the story lives now, or "".
func (st *Story) MovedIRI() string { return movedIRI(st.Org, st.APID) }

// MovedIRI is where the event lives now, or "".
func (e *Event) MovedIRI() string { return movedIRI(e.Org, e.APID) }

func movedIRI(org *Organization, apID string) string {
	if org == nil || org.MovedTo == "" {
		return ""
	}
	return MovedIRI(apID, org.MovedTo)
}
