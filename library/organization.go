package library

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Organization is a member organisation, local to this node or known from the federation.
type Organization struct {
	ID           string `gorm:"primaryKey" json:"id"`
	Handle       string `json:"handle"`
	Domain       string `json:"domain,omitempty"`
	Local        bool   `json:"local"`
	Name         string `json:"name"`
	Summary      string `json:"summary"`
	Country      string `json:"country"`
	Website      string `json:"website,omitempty"`
	IconURL      string `json:"icon_url,omitempty"`
	APID         string `gorm:"column:ap_id" json:"ap_id"`
	URL          string `json:"url"`
	Discoverable bool   `json:"discoverable"`
	Indexable    bool   `json:"indexable"`
	// MovedTo is the actor a local organisation moved to (its objects here
	// only redirect there); AlsoKnownAs, space-separated, the actors it was
	// before it moved here (ActivityPub movedTo and alsoKnownAs).
	MovedTo     string `json:"moved_to,omitempty"`
	AlsoKnownAs string `json:"also_known_as,omitempty"`
	// ContactName and ContactEmail are the contact the organisation shares
	// with organisations whose introduction is accepted, and nowhere else.
	ContactName  string         `json:"-"`
	ContactEmail string         `json:"-"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	DeletedAt    gorm.DeletedAt `json:"-"`
}

// Address is handle@domain for a remote organisation and the handle for a local one.
func (o *Organization) Address() string {
	if o.Local {
		return o.Handle
	}
	return o.Handle + "@" + o.Domain
}

// OrganizationInput is what a coordinator gives to create or change an organisation.
type OrganizationInput struct {
	Handle  string `json:"handle"`
	Name    string `json:"name"`
	Summary string `json:"summary"`
	Country string `json:"country"`
	Website string `json:"website"`
}

var handlePattern = regexp.MustCompile(`^[a-z0-9_]{1,30}$`)

// reservedHandles would collide with the instance actor or read as staff of the node.
var reservedHandles = map[string]bool{"admin": true, "instance": true, "node": true, "coordinator": true, "actor": true, "root": true}

func (in *OrganizationInput) validate() error {
	in.Handle = strings.ToLower(strings.TrimSpace(in.Handle))
	in.Name = strings.TrimSpace(in.Name)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	switch {
	case !handlePattern.MatchString(in.Handle):
		return Invalid("handle", "must be 1 to 30 lowercase letters, digits or underscores")
	case reservedHandles[in.Handle]:
		return Invalid("handle", "%q is reserved", in.Handle)
	case in.Name == "" || len([]rune(in.Name)) > 200:
		return Invalid("name", "must be 1 to 200 characters")
	case len([]rune(in.Summary)) > 5000:
		return Invalid("summary", "must be at most 5000 characters")
	}
	if err := validCountry(in.Country); err != nil {
		return Invalid("country", "%v", err)
	}
	return nil
}

// CreateOrganization adds a local organisation.
func (s *Store) CreateOrganization(ctx context.Context, in OrganizationInput) (*Organization, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	o := &Organization{
		ID: NewID(), Handle: in.Handle, Local: true, Name: in.Name, Summary: in.Summary,
		Country: in.Country, Website: strings.TrimSpace(in.Website),
		APID: "/orgs/" + in.Handle, URL: "/orgs/" + in.Handle,
		Discoverable: true, Indexable: true, CreatedAt: now, UpdatedAt: now,
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Organization{}).Unscoped().Where("handle = ? AND domain = ''", o.Handle).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: handle %q is taken", ErrConflict, o.Handle)
		}
		if err := tx.Create(o).Error; err != nil {
			return err
		}
		return recordChange(tx, KindOrganization, o.ID, OpCreate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: create organisation %s: %w", in.Handle, err)
	}
	return o, nil
}

// UpdateOrganization changes a local organisation's profile (the handle stays).
func (s *Store) UpdateOrganization(ctx context.Context, id string, in OrganizationInput) (*Organization, error) {
	o, err := s.Organization(ctx, id)
	if err != nil {
		return nil, err
	}
	in.Handle = o.Handle
	if err := in.validate(); err != nil {
		return nil, err
	}
	o.Name, o.Summary, o.Country, o.Website = in.Name, in.Summary, in.Country, strings.TrimSpace(in.Website)
	o.UpdatedAt = time.Now().UTC()
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Save(o).Error; err != nil {
			return err
		}
		return recordChange(tx, KindOrganization, o.ID, OpUpdate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: update organisation %s: %w", id, err)
	}
	return o, nil
}

// Organization returns an organisation by its id.
func (s *Store) Organization(ctx context.Context, id string) (*Organization, error) {
	return s.findOrganization(ctx, "id = ?", id)
}

// OrganizationByHandle returns a local organisation by its handle.
func (s *Store) OrganizationByHandle(ctx context.Context, handle string) (*Organization, error) {
	return s.findOrganization(ctx, "handle = ? AND domain = ''", strings.ToLower(handle))
}

// OrganizationByAPID returns an organisation, local or remote, by its actor IRI.
func (s *Store) OrganizationByAPID(ctx context.Context, apID string) (*Organization, error) {
	return s.findOrganization(ctx, "ap_id = ?", s.relativeIRI(apID))
}

func (s *Store) findOrganization(ctx context.Context, where string, arg any) (*Organization, error) {
	var o Organization
	err := s.db.WithContext(ctx).Where(where, arg).First(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: organisation %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library: organisation %v: %w", arg, err)
	}
	return &o, nil
}

// OrganizationQuery filters a list of organisations.
type OrganizationQuery struct {
	Local  *bool
	Domain string
	Limit  int
	Offset int
}

// Organizations lists organisations, newest first.
func (s *Store) Organizations(ctx context.Context, q OrganizationQuery) ([]Organization, error) {
	tx := s.db.WithContext(ctx).Order("created_at DESC, id DESC").Limit(limitOr(q.Limit, 50)).Offset(q.Offset)
	if q.Local != nil {
		tx = tx.Where("local = ?", *q.Local)
	}
	if q.Domain != "" {
		tx = tx.Where("domain = ?", q.Domain)
	}
	var out []Organization
	if err := tx.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("library: organisations: %w", err)
	}
	return out, nil
}

// CountOrganizations counts the local organisations (NodeInfo's users).
func (s *Store) CountOrganizations(ctx context.Context, local bool) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Organization{}).Where("local = ?", local).Count(&n).Error
	return n, err
}

func limitOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return min(n, 1000)
}
