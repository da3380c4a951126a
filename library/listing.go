package library

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ListingKind says whether a listing is an offer ("we can share") or a need ("we want to learn").
type ListingKind string

// The two kinds of listing.
const (
	Offer ListingKind = "offer"
	Need  ListingKind = "need"
)

// ObjectKind is the change-log kind of the listing.
func (k ListingKind) ObjectKind() ObjectKind { return ObjectKind(k) }

// Plural is the path segment of the kind ("offers", "needs").
func (k ListingKind) Plural() string { return string(k) + "s" }

// Valid reports whether k is offer or need.
func (k ListingKind) Valid() bool { return k == Offer || k == Need }

// Allowed values of listing fields.
var (
	Formats      = []string{"online", "visit", "mentoring", "documents", "workshop"}
	Statuses     = []string{"open", "closed"}
	Visibilities = []string{"public", "network", "local"}
)

// Limits on listing text.
const (
	MaxTitle = 200
	MaxBody  = 20000
)

// Listing is an offer or a need, posted here or copied from another node.
type Listing struct {
	ID             string        `gorm:"primaryKey" json:"id"`
	Kind           ListingKind   `json:"kind"`
	OrgID          string        `json:"-"`
	Org            *Organization `gorm:"foreignKey:OrgID" json:"org,omitempty"`
	Local          bool          `json:"local"`
	APID           string        `gorm:"column:ap_id" json:"ap_id"`
	URL            string        `json:"url"`
	Title          string        `json:"title"`
	Body           string        `json:"body"`
	ContentHTML    string        `gorm:"column:content_html" json:"content_html"`
	Themes         []string      `gorm:"serializer:json" json:"themes"`
	ThemesInferred bool          `json:"themes_inferred"`
	Languages      []string      `gorm:"serializer:json" json:"languages"`
	Countries      []string      `gorm:"serializer:json" json:"countries"`
	Formats        []string      `gorm:"serializer:json" json:"formats"`
	Status         string        `json:"status"`
	ExpiresAt      *time.Time    `json:"expires_at"`
	Visibility     string        `json:"visibility"`
	// Indexable is the consent to be indexed beyond this node (FEP-5feb
	// indexable on the object); a remote copy keeps what its origin said.
	Indexable   bool           `json:"indexable"`
	PublishedAt time.Time      `json:"published_at"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	DeletedAt   gorm.DeletedAt `json:"-"`
}

// Open reports whether the listing is open and not expired at t.
func (l *Listing) Open(t time.Time) bool {
	return l.Status == "open" && (l.ExpiresAt == nil || l.ExpiresAt.After(t))
}

// Listing returns a listing of the given kind by its id.
func (s *Store) Listing(ctx context.Context, kind ListingKind, id string) (*Listing, error) {
	return live[Listing](ctx, s, string(kind)+" "+id, "id = ? AND kind = ?", id, kind)
}

// ListingByAPID returns a listing of either kind by its IRI.
func (s *Store) ListingByAPID(ctx context.Context, apID string) (*Listing, error) {
	return first[Listing](ctx, s, false, "listing "+apID, "ap_id = ?", s.relativeIRI(apID))
}

// deleted reports whether a soft-deleted row matches, so a deleted object answers 410.
func (s *Store) deleted(ctx context.Context, model any, where string, args ...any) bool {
	var n int64
	s.db.WithContext(ctx).Unscoped().Model(model).Where(where, args...).Where("deleted_at IS NOT NULL").Count(&n)
	return n > 0
}

// ListingQuery filters a list of listings.
type ListingQuery struct {
	Kind     ListingKind
	OrgID    string
	Local    *bool
	OpenOnly bool
	// Viewer is who the list is for: only what it may see is listed.
	Viewer Viewer
	Limit  int
	Offset int
}

// Listings lists listings, newest first.
func (s *Store) Listings(ctx context.Context, q ListingQuery) ([]Listing, error) {
	tx := s.db.WithContext(ctx).Preload("Org").Order("published_at DESC, id DESC").Limit(limitOr(q.Limit, 50)).Offset(q.Offset)
	if q.Kind != "" {
		tx = tx.Where("kind = ?", q.Kind)
	}
	if q.OrgID != "" {
		tx = tx.Where("org_id = ?", q.OrgID)
	}
	if q.Local != nil {
		tx = tx.Where("local = ?", *q.Local)
	}
	if q.OpenOnly {
		tx = tx.Where("status = 'open' AND (expires_at IS NULL OR expires_at > ?)", time.Now().UTC())
	}
	tx = q.Viewer.Scope(tx)
	var out []Listing
	if err := tx.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("library: listings: %w", err)
	}
	return out, nil
}

// CountListings counts local listings (NodeInfo's local posts).
func (s *Store) CountListings(ctx context.Context, local bool) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Listing{}).Where("local = ?", local).Count(&n).Error
	return n, err
}

// CreateListing posts a new offer or need for a local organisation.
func (s *Store) CreateListing(ctx context.Context, kind ListingKind, orgID string, in ListingInput) (*Listing, error) {
	if !kind.Valid() {
		return nil, Invalid("kind", "must be offer or need")
	}
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !org.Local {
		return nil, fmt.Errorf("library: %s for remote organisation %s: %w", kind, org.Address(), ErrForbidden)
	}
	now := time.Now().UTC()
	id := NewID()
	l := &Listing{
		ID: id, Kind: kind, OrgID: orgID, Local: true, Status: "open", Visibility: "public", Indexable: true,
		APID: "/" + kind.Plural() + "/" + id, URL: "/" + kind.Plural() + "/" + id,
		Themes: []string{}, Languages: []string{}, Countries: []string{}, Formats: []string{},
		PublishedAt: now, CreatedAt: now, UpdatedAt: now,
	}
	if err := in.apply(l, s.cfg.DefaultLanguage, true); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Org").Create(l).Error; err != nil {
			return err
		}
		return recordChange(tx, kind.ObjectKind(), l.ID, OpCreate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: create %s: %w", kind, err)
	}
	l.Org = org
	return l, nil
}

// UpdateListing applies a partial change to a local listing.
func (s *Store) UpdateListing(ctx context.Context, kind ListingKind, id string, in ListingInput) (*Listing, error) {
	l, err := s.Listing(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if !l.Local {
		return nil, fmt.Errorf("library: %s %s is remote: %w", kind, id, ErrForbidden)
	}
	if err := in.apply(l, s.cfg.DefaultLanguage, false); err != nil {
		return nil, err
	}
	l.UpdatedAt = time.Now().UTC()
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Org").Save(l).Error; err != nil {
			return err
		}
		return recordChange(tx, kind.ObjectKind(), l.ID, OpUpdate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: update %s %s: %w", kind, id, err)
	}
	return l, nil
}

// DeleteListing deletes a listing; its IRI then answers 410 Gone.
func (s *Store) DeleteListing(ctx context.Context, kind ListingKind, id string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND kind = ?", id, kind).Delete(&Listing{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return recordChange(tx, kind.ObjectKind(), id, OpDelete)
	})
	if err != nil {
		return fmt.Errorf("library: delete %s %s: %w", kind, id, err)
	}
	return nil
}

// DeletedListing returns a deleted listing (for its Tombstone), or ErrNotFound.
func (s *Store) DeletedListing(ctx context.Context, kind ListingKind, id string) (*Listing, error) {
	return first[Listing](ctx, s, true, "deleted "+string(kind)+" "+id, "id = ? AND kind = ? AND deleted_at IS NOT NULL", id, kind)
}

func trimmed(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// ListingsWithTheme lists open listings of a kind that carry a theme, newest first.
func (s *Store) ListingsWithTheme(ctx context.Context, v Viewer, kind ListingKind, slug string, limit int) ([]Listing, error) {
	var out []Listing
	err := v.Scope(s.db.WithContext(ctx).Preload("Org")).Where("kind = ? AND themes LIKE ?", kind, `%"`+slug+`"%`).
		Order("published_at DESC, id DESC").Limit(limitOr(limit, 50)).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("library: %s with theme %s: %w", kind, slug, err)
	}
	return out, nil
}
