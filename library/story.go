package library

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Story is an anonymised account of support that worked. Only anonymised text
// is ever stored: the store runs the anonymiser itself on every write.
type Story struct {
	ID             string        `gorm:"primaryKey" json:"id"`
	OrgID          string        `json:"-"`
	Org            *Organization `gorm:"foreignKey:OrgID" json:"org,omitempty"`
	Local          bool          `json:"local"`
	APID           string        `gorm:"column:ap_id" json:"ap_id"`
	URL            string        `json:"url"`
	Title          string        `json:"title"`
	Summary        string        `json:"summary"`
	Body           string        `json:"body"`
	ContentHTML    string        `gorm:"column:content_html" json:"content_html"`
	Themes         []string      `gorm:"serializer:json" json:"themes"`
	ThemesInferred bool          `json:"themes_inferred"`
	Groups         []string      `gorm:"serializer:json" json:"groups"`
	Features       []string      `gorm:"serializer:json" json:"features"`
	Countries      []string      `gorm:"serializer:json" json:"countries"`
	Languages      []string      `gorm:"serializer:json" json:"languages"`
	Visibility     string        `json:"visibility"`
	// Indexable is the consent to be indexed beyond this node (see Listing).
	Indexable   bool           `json:"indexable"`
	Pseudonyms  []string       `gorm:"serializer:json" json:"-"`
	PublishedAt time.Time      `json:"published_at"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	DeletedAt   gorm.DeletedAt `json:"-"`
}

func init() { contentTables = append(contentTables, "stories") }

// AfterFind makes a local story's IRIs absolute.
func (st *Story) AfterFind(tx *gorm.DB) error {
	absolute(tx, st.Local, &st.APID)
	absolute(tx, st.Local, &st.URL)
	return nil
}

// BeforeSave stores a local story's IRIs relative to the node.
func (st *Story) BeforeSave(tx *gorm.DB) error {
	relative(tx, st.Local, &st.APID)
	relative(tx, st.Local, &st.URL)
	return nil
}

// AfterSave gives the caller back absolute IRIs.
func (st *Story) AfterSave(tx *gorm.DB) error { return st.AfterFind(tx) }

// Story returns a story by its id.
func (s *Store) Story(ctx context.Context, id string) (*Story, error) {
	return live[Story](ctx, s, "story "+id, "id = ?", id)
}

// StoryQuery filters a list of stories.
type StoryQuery struct {
	OrgID string
	Local *bool
	// Viewer is who the list is for: only what it may see is listed.
	Viewer Viewer
	Limit  int
	Offset int
}

// Stories lists stories, newest first.
func (s *Store) Stories(ctx context.Context, q StoryQuery) ([]Story, error) {
	tx := s.db.WithContext(ctx).Preload("Org").Order("published_at DESC, id DESC").Limit(limitOr(q.Limit, 50)).Offset(q.Offset)
	if q.OrgID != "" {
		tx = tx.Where("org_id = ?", q.OrgID)
	}
	if q.Local != nil {
		tx = tx.Where("local = ?", *q.Local)
	}
	tx = q.Viewer.Scope(tx)
	var out []Story
	if err := tx.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("library: stories: %w", err)
	}
	return out, nil
}

// DeleteStory deletes a story; its IRI then answers 410 Gone.
func (s *Store) DeleteStory(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", id).Delete(&Story{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return recordChange(tx, KindStory, id, OpDelete)
	})
	if err != nil {
		return fmt.Errorf("library: delete story %s: %w", id, err)
	}
	return nil
}

// UpsertRemoteStory stores or refreshes the copy of a remote story, keyed by
// ap_id; only its author may change it. Remote text was anonymised at its origin.
func (s *Store) UpsertRemoteStory(ctx context.Context, st *Story) (*Story, error) {
	if st.APID == "" || st.OrgID == "" {
		return nil, Invalid("object", "a remote story needs an id and an author")
	}
	st.Local, st.ContentHTML = false, SanitizeHTML(st.ContentHTML)
	for _, list := range []*[]string{&st.Themes, &st.Groups, &st.Features, &st.Countries, &st.Languages, &st.Pseudonyms} {
		*list = nonNil(*list)
	}
	err := upsertRemote(ctx, s, st, KindStory, nil)
	if err != nil {
		return nil, fmt.Errorf("library: store remote story %s: %w", st.APID, err)
	}
	return st, nil
}

// LocalStoriesPage lists local stories by id for federation's outbox pages.
func (s *Store) LocalStoriesPage(ctx context.Context, q ListingPageQuery) ([]Story, error) {
	return localPage[Story](ctx, s, q, "stories")
}

// DeletedStory returns a deleted story (for its Tombstone), or ErrNotFound.
func (s *Store) DeletedStory(ctx context.Context, id string) (*Story, error) {
	return first[Story](ctx, s, true, "deleted story "+id, "id = ? AND deleted_at IS NOT NULL", id)
}

// DeleteRemoteStory deletes the copy of a remote story if orgID owns it.
func (s *Store) DeleteRemoteStory(ctx context.Context, apID, orgID string) error {
	var st Story
	err := s.db.WithContext(ctx).Where("ap_id = ?", s.relativeIRI(apID)).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("library: story %s: %w", apID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("library: story %s: %w", apID, err)
	}
	if st.Local || st.OrgID != orgID {
		return fmt.Errorf("library: delete %s: %w", apID, ErrForbidden)
	}
	return s.DeleteStory(ctx, st.ID)
}
