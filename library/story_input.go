package library

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library/anonymise"
	"github.com/citizen-network/commonplace/themes"
)

// StoryInput is a story as its author writes it: the raw text, which the store
// anonymises before anything else sees it. Nil fields are left as they are.
type StoryInput struct {
	Title      *string              `json:"title"`
	Body       *string              `json:"body"`
	Summary    *string              `json:"summary"`
	Themes     *[]string            `json:"themes"`
	Groups     *[]string            `json:"groups"`
	Features   *[]string            `json:"features"`
	Countries  *[]string            `json:"countries"`
	Languages  *[]string            `json:"languages"`
	Visibility *string              `json:"visibility"`
	Keep       []string             `json:"keep"`
	Add        []anonymise.Addition `json:"add"`
}

// StoryPreview is what the anonymiser would store, for the author to review.
type StoryPreview struct {
	Title      string                `json:"title"`
	Summary    string                `json:"summary,omitempty"`
	Body       string                `json:"body"`
	Redactions []anonymise.Redaction `json:"redactions"`
	Warnings   []anonymise.Warning   `json:"warnings"`
	// Leftovers is what still looks specific after anonymising, for the
	// author to confirm or remove before publishing.
	Leftovers []anonymise.Leftover `json:"leftovers"`
}

// anonymiser is built on first use: its gazetteers are not needed to start a node.
func (s *Store) anonymiser() *anonymise.Anonymiser {
	s.anonOnce.Do(func() { s.anon = anonymise.New() })
	return s.anon
}

// PreviewStory anonymises a story's text as CreateStory would, and stores nothing.
func (s *Store) PreviewStory(in StoryInput) (StoryPreview, error) {
	title, summary, body := derefOr(in.Title, ""), derefOr(in.Summary, ""), derefOr(in.Body, "")
	if err := checkStoryText(title, summary, body); err != nil {
		return StoryPreview{}, err
	}
	return s.anonymiseText(title, summary, body, in.Keep, in.Add), nil
}

// summarySep joins summary and body for one pass of the anonymiser, so that a
// person keeps one fictional name across both.
const summarySep = "\n\n\u2063\n\n"

// anonymiseText runs the anonymiser over title, summary and body together and
// reports each redaction against the field it was found in.
func (s *Store) anonymiseText(title, summary, body string, keep []string, add []anonymise.Addition) StoryPreview {
	r := s.anonymiser().Anonymise(anonymise.Input{Title: title, Body: summary + summarySep + body, Keep: keep, Add: add})
	p := StoryPreview{Title: r.Title, Redactions: nonNil(r.Redactions), Warnings: nonNil(r.Warnings)}
	var ok bool
	if p.Summary, p.Body, ok = strings.Cut(r.Body, summarySep); !ok {
		p.Summary, p.Body = "", r.Body
	}
	p.Summary = strings.TrimSpace(p.Summary)
	p.Leftovers = nonNil(s.anonymiser().Leftovers(r))
	for i := range p.Leftovers {
		if l := &p.Leftovers[i]; l.Field == "body" && !strings.Contains(p.Body, l.Text) {
			l.Field = "summary"
		}
	}
	offset := len([]rune(summary + summarySep))
	for i := range p.Redactions {
		red := &p.Redactions[i]
		switch {
		case red.Field != "body":
		case red.Start < len([]rune(summary)):
			red.Field = "summary"
		default:
			red.Field, red.Start, red.End = "body", red.Start-offset, red.End-offset
		}
	}
	return p
}

func derefOr(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// checkStoryText validates the lengths without ever quoting the text back.
func checkStoryText(title, summary, body string) error {
	switch {
	case strings.TrimSpace(title) == "":
		return Invalid("title", "is required")
	case len([]rune(title)) > MaxTitle:
		return Invalid("title", "must be at most %d characters", MaxTitle)
	case len([]rune(summary)) > 1000:
		return Invalid("summary", "must be at most 1000 characters")
	case len([]rune(body)) > MaxBody:
		return Invalid("body", "must be at most %d characters", MaxBody)
	}
	return nil
}

// CreateStory anonymises and stores a story of a local organisation.
func (s *Store) CreateStory(ctx context.Context, orgID string, in StoryInput) (*Story, error) {
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !org.Local {
		return nil, fmt.Errorf("library: story for remote organisation: %w", ErrForbidden)
	}
	now, id := time.Now().UTC(), NewID()
	st := &Story{ID: id, OrgID: orgID, Local: true, Indexable: true, APID: "/stories/" + id, URL: "/stories/" + id,
		Visibility: "public", Themes: []string{}, Groups: []string{}, Features: []string{}, Countries: []string{},
		Languages: []string{}, Pseudonyms: []string{}, PublishedAt: now, CreatedAt: now, UpdatedAt: now}
	if in.Title == nil {
		return nil, Invalid("title", "is required")
	}
	if err := s.applyStory(st, in); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Org").Create(st).Error; err != nil {
			return err
		}
		return recordChange(tx, KindStory, st.ID, OpCreate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: create story: %w", err)
	}
	st.Org = org
	return st, nil
}

// UpdateStory changes a local story; new text is anonymised again, keeping the
// fictional names the story already uses.
func (s *Store) UpdateStory(ctx context.Context, id string, in StoryInput) (*Story, error) {
	st, err := s.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	if !st.Local {
		return nil, fmt.Errorf("library: story %s is remote: %w", id, ErrForbidden)
	}
	in.Keep = append(in.Keep, st.Pseudonyms...)
	if err := s.applyStory(st, in); err != nil {
		return nil, err
	}
	st.UpdatedAt = time.Now().UTC()
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Org").Save(st).Error; err != nil {
			return err
		}
		return recordChange(tx, KindStory, st.ID, OpUpdate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: update story %s: %w", id, err)
	}
	return st, nil
}

// applyStory validates the input, anonymises its text and writes it onto st;
// st is untouched when it fails.
func (s *Store) applyStory(st *Story, in StoryInput) error {
	next := *st
	if in.Title != nil || in.Body != nil || in.Summary != nil {
		if err := s.anonymiseStory(&next, in); err != nil {
			return err
		}
	}
	if err := in.applyLists(&next, s.cfg.DefaultLanguage); err != nil {
		return err
	}
	if in.Visibility != nil {
		v, err := oneOf("visibility", []string{*in.Visibility}, Visibilities...)
		if err != nil {
			return err
		}
		next.Visibility = v[0]
	}
	*st = next
	return nil
}

// anonymiseStory replaces the title, summary and body with their anonymised
// forms; the summary goes through the anonymiser with the body, so names stay consistent.
func (s *Store) anonymiseStory(st *Story, in StoryInput) error {
	title, body, summary := st.Title, st.Body, st.Summary
	if in.Title != nil {
		title = strings.TrimSpace(*in.Title)
	}
	if in.Body != nil {
		body = *in.Body
	}
	if in.Summary != nil {
		summary = strings.TrimSpace(*in.Summary)
	}
	if err := checkStoryText(title, summary, body); err != nil {
		return err
	}
	p := s.anonymiseText(title, summary, body, in.Keep, in.Add)
	st.Title, st.Summary, st.Body = p.Title, p.Summary, p.Body
	st.ContentHTML = RenderMarkdown(st.Body)
	for _, red := range p.Redactions {
		if red.Kind == anonymise.KindName {
			st.Pseudonyms = appendUnique(st.Pseudonyms, red.Replacement)
		}
	}
	return nil
}

func (in StoryInput) applyLists(st *Story, defaultLang string) error {
	var err error
	if in.Languages != nil {
		if st.Languages, err = normaliseLanguages("languages", *in.Languages); err != nil {
			return err
		}
	}
	if len(st.Languages) == 0 {
		st.Languages = []string{defaultLang}
	}
	if in.Countries != nil {
		if st.Countries, err = normaliseCountries("countries", *in.Countries); err != nil {
			return err
		}
	}
	if in.Groups != nil {
		if st.Groups, err = themesOfKind("groups", *in.Groups, themes.KindGroup); err != nil {
			return err
		}
	}
	if in.Features != nil {
		if st.Features, err = themesOfKind("features", *in.Features, themes.KindFeature, themes.KindElement); err != nil {
			return err
		}
	}
	if in.Themes != nil {
		if st.Themes, err = themesOfKind("themes", *in.Themes, themes.KindTopic); err != nil {
			return err
		}
		st.ThemesInferred = false
	}
	if len(st.Themes) == 0 || (st.ThemesInferred && (in.Title != nil || in.Body != nil)) {
		st.Themes, st.ThemesInferred = InferThemes(st.Title+"\n"+st.Body, st.Languages[0]), true
	}
	return nil
}

// themesOfKind checks that every slug is a theme of one of the kinds.
func themesOfKind(field string, slugs []string, kinds ...themes.Kind) ([]string, error) {
	out := []string{}
	for _, slug := range slugs {
		t, ok := themes.Lookup(slug)
		if !ok || !containsKind(kinds, t.Kind) {
			return nil, Invalid(field, "unknown %s %q (see /api/v1/themes)", strings.TrimSuffix(field, "s"), slug)
		}
		out = appendUnique(out, slug)
	}
	return out, nil
}

func containsKind(kinds []themes.Kind, k themes.Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}
