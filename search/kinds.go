package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// loadStories makes the documents of anonymised stories; a story never closes.
func loadStories(ctx context.Context, s *Service, tx *gorm.DB) (map[string]document, error) {
	var sts []library.Story
	if err := tx.WithContext(ctx).Preload("Org").Find(&sts).Error; err != nil {
		return nil, fmt.Errorf("search: load stories: %w", err)
	}
	out := make(map[string]document, len(sts))
	for i := range sts {
		st := &sts[i]
		if !s.consents(st.Org, st.Indexable) {
			continue
		}
		body := library.PlainText(st.ContentHTML)
		if body == "" {
			body = st.Summary + "\n" + st.Body
		}
		d := s.textDocument(st.Org, library.KindStory, st.Title, body, st.Languages, st.Themes, st.ThemesInferred)
		d[fAPID], d[fURL], d[fCountry] = st.APID, st.URL, st.Countries
		d[fStatus], d[fVisibility] = "open", st.Visibility
		d[fPublished] = st.PublishedAt.UTC().Format(publishedFormat)
		out[st.ID] = d
	}
	return out, nil
}

// loadEvents makes the documents of learning events: a cancelled event is
// closed, and an event expires when it ends.
func loadEvents(ctx context.Context, s *Service, tx *gorm.DB) (map[string]document, error) {
	var evs []library.Event
	if err := tx.WithContext(ctx).Preload("Org").Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("search: load events: %w", err)
	}
	out := make(map[string]document, len(evs))
	for i := range evs {
		e := &evs[i]
		if !s.consents(e.Org, e.Indexable) {
			continue
		}
		d := s.textDocument(e.Org, library.KindEvent, e.Title, library.PlainText(e.ContentHTML), e.Languages, e.Themes, e.ThemesInferred)
		d[fAPID], d[fURL], d[fVisibility] = e.APID, e.URL, e.Visibility
		d[fStatus], d[fExpires] = "open", e.End
		if e.Cancelled() {
			d[fStatus] = "closed"
		}
		if e.Place.Country != "" {
			d[fCountry] = []string{e.Place.Country}
		}
		if e.Online() {
			d[fFormat] = []string{"online"}
		}
		d[fPublished] = e.PublishedAt.UTC().Format(publishedFormat)
		out[e.ID] = d
	}
	return out, nil
}

// textDocument holds what every kind with a title, a text, languages and
// themes has in common.
func (s *Service) textDocument(org *library.Organization, kind library.ObjectKind, title, body string, langs, chosen []string, inferred bool) document {
	d := s.orgFields(org)
	text := title + "\n" + body
	d[fKind], d[fTitle], d[fText] = string(kind), title, text
	var primary []string
	var words analysis.TokenStream // the text in its first language, for its concepts
	for i, lang := range langs {
		p := primaryLanguage(lang)
		primary = append(primary, p)
		if analysedLanguage(p) {
			tokens := analyse(analyzerName(p), text)
			if i == 0 {
				words = tokens
			}
			d[langField(kind, p)] = analysed{text, tokens}
		}
	}
	d[fLang] = primary
	var scored []themes.Score
	if inferred {
		scored = themes.Infer(text, firstOr(primary, ""))
	}
	d[fThemes], d[fThemeW] = themeFields(chosen, scored)
	d[themesField(kind)] = d[fThemes]
	if words == nil {
		addConcepts(d, title+"\n"+text, firstOr(primary, ""))
		return d
	}
	// The concepts of title and text, as addConcepts finds them, without
	// analysing the text again.
	name := analyzerName(primary[0])
	d[fConceptW] = formatWeights(conceptsOf(name, analyse(name, title), words))
	return d
}
