package library

import (
	"time"

	"github.com/citizen-network/commonplace/themes"
)

// ListingInput is a create or a partial update of an offer or need; nil fields are left as they are.
type ListingInput struct {
	Title      *string      `json:"title"`
	Body       *string      `json:"body"`
	Themes     *[]string    `json:"themes"`
	Languages  *[]string    `json:"languages"`
	Countries  *[]string    `json:"countries"`
	Formats    *[]string    `json:"formats"`
	Status     *string      `json:"status"`
	ExpiresAt  OptionalTime `json:"expires_at"`
	Visibility *string      `json:"visibility"`
}

// OptionalTime is a time in a partial update: Set tells a JSON null (clear it)
// from an absent field (leave it).
type OptionalTime struct {
	Set  bool
	Time *time.Time
}

// UnmarshalJSON records that the field was present; null clears it.
func (o *OptionalTime) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Time = nil
		return nil
	}
	var t time.Time
	if err := t.UnmarshalJSON(b); err != nil {
		return Invalid("expires_at", "must be an RFC 3339 time, like 2026-12-01T10:00:00Z")
	}
	o.Time = &t
	return nil
}

// applyText validates a title (required when creating) and a Markdown body,
// each when given, writes them onto title and body, and renders body as HTML.
func applyText(inTitle, inBody *string, creating bool, title, body, html *string) error {
	if creating || inTitle != nil {
		t := trimmed(inTitle)
		if t == "" {
			return Invalid("title", "is required")
		}
		if len([]rune(t)) > MaxTitle {
			return Invalid("title", "must be at most %d characters", MaxTitle)
		}
		*title = t
	}
	if inBody != nil {
		if len([]rune(*inBody)) > MaxBody {
			return Invalid("body", "must be at most %d characters", MaxBody)
		}
		*body = *inBody
	}
	*html = RenderMarkdown(*body)
	return nil
}

// inferThreshold is the score above which an inferred topic is kept.
const inferThreshold = 0.25

// apply validates the input and writes it onto l; l is untouched when it fails.
func (in ListingInput) apply(l *Listing, defaultLang string, creating bool) error {
	next := *l
	if err := applyText(in.Title, in.Body, creating, &next.Title, &next.Body, &next.ContentHTML); err != nil {
		return err
	}
	if err := in.applyLists(&next, defaultLang); err != nil {
		return err
	}
	if err := in.applyChoices(&next); err != nil {
		return err
	}
	*l = next
	return nil
}

func (in ListingInput) applyLists(l *Listing, defaultLang string) error {
	var err error
	if in.Languages != nil {
		if l.Languages, err = normaliseLanguages("languages", *in.Languages); err != nil {
			return err
		}
	}
	if len(l.Languages) == 0 {
		l.Languages = []string{defaultLang}
	}
	if in.Countries != nil {
		if l.Countries, err = normaliseCountries("countries", *in.Countries); err != nil {
			return err
		}
	}
	if in.Formats != nil {
		if l.Formats, err = oneOf("formats", *in.Formats, Formats...); err != nil {
			return err
		}
	}
	return applyThemes(in.Themes, in.Title != nil || in.Body != nil, l.Title, l.Body, l.Languages[0], &l.Themes, &l.ThemesInferred)
}

// applyThemes writes the chosen themes when given (each must be in the
// taxonomy), and infers them from title and body, in lang, when none were
// ever chosen and none are left, or the text of inferred ones changed.
func applyThemes(in *[]string, textChanged bool, title, body, lang string, out *[]string, inferred *bool) error {
	if in != nil {
		chosen := []string{}
		for _, t := range *in {
			if !themes.Valid(t) {
				return Invalid("themes", "unknown theme %q (see /api/v1/themes)", t)
			}
			chosen = appendUnique(chosen, t)
		}
		*out, *inferred = chosen, false
	}
	if len(*out) == 0 || (*inferred && textChanged) {
		*out, *inferred = InferThemes(title+"\n"+body, lang), true
	}
	return nil
}

func (in ListingInput) applyChoices(l *Listing) error {
	if in.Status != nil {
		v, err := oneOf("status", []string{*in.Status}, Statuses...)
		if err != nil {
			return err
		}
		l.Status = v[0]
	}
	if in.Visibility != nil {
		v, err := oneOf("visibility", []string{*in.Visibility}, Visibilities...)
		if err != nil {
			return err
		}
		l.Visibility = v[0]
	}
	if in.ExpiresAt.Set {
		l.ExpiresAt = nil
		if t := in.ExpiresAt.Time; t != nil {
			if !t.After(time.Now()) {
				return Invalid("expires_at", "must be in the future")
			}
			utc := t.UTC()
			l.ExpiresAt = &utc
		}
	}
	return nil
}

// InferThemes returns the slugs of the topics a text is likely about, best first.
func InferThemes(text, lang string) []string {
	out := []string{}
	for _, s := range themes.Infer(PlainText(RenderMarkdown(text)), lang) {
		if s.Score >= inferThreshold && len(out) < 3 {
			out = append(out, s.Slug)
		}
	}
	return out
}
