package federation

import (
	"context"
	"errors"
	"html"
	"net/http"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// Extension properties of stories, beside the ones offers and needs use.
const (
	propGroups   = "commonplace:groups"
	propFeatures = "commonplace:features"
)

// Stories federate as Articles: Mastodon shows the title and summary with a
// link, while another Commonplace node recovers every field. Their text was
// anonymised before it was stored, so what leaves the node is anonymised too.
func init() {
	registerMapping(&kindMapping{
		Kinds:     []library.ObjectKind{library.KindStory},
		Local:     localStory,
		Page:      storyPage,
		Recognise: isStoryArticle,
		Store:     storeStory,
		Remove:    removeStory,
	})
	addContextTerms(map[string]any{
		propGroups:   map[string]any{"@id": propGroups, "@type": "@id"},
		propFeatures: map[string]any{"@id": propFeatures, "@type": "@id"},
	})
}

func localStory(ctx context.Context, s *Service, _ library.ObjectKind, id string) (*localObject, error) {
	st, err := s.store.Story(ctx, id)
	if errors.Is(err, library.ErrGone) {
		d, derr := s.store.DeletedStory(ctx, id)
		if derr != nil {
			return nil, derr
		}
		if !d.Local {
			return nil, notFound("remote story " + id)
		}
		org, oerr := s.store.Organization(ctx, d.OrgID)
		if oerr != nil {
			return nil, oerr
		}
		t := d.DeletedAt.Time
		return &localObject{ID: d.ID, Kind: library.KindStory, APID: d.APID, Author: org, Audience: audienceNone,
			Published: d.PublishedAt, Deleted: &t, FormerType: "Article"}, nil
	}
	if err != nil {
		return nil, err
	}
	if !st.Local {
		return nil, notFound("remote story " + id)
	}
	return storyObject(st), nil
}

func storyObject(st *library.Story) *localObject {
	return &localObject{ID: st.ID, Kind: library.KindStory, APID: st.APID, Author: st.Org, Audience: audienceOf(st.Visibility),
		Published: st.PublishedAt, FormerType: "Article",
		vocab: func(s *Service) (vocab.Type, error) { return s.storyArticle(st), nil }}
}

func storyPage(ctx context.Context, s *Service, q pageQuery) ([]*localObject, error) {
	sts, err := s.store.LocalStoriesPage(ctx, library.ListingPageQuery{OrgID: q.OrgID, Visibility: q.Audiences,
		MaxID: q.MaxID, MinID: q.MinID, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]*localObject, len(sts))
	for i := range sts {
		out[i] = storyObject(&sts[i])
	}
	return out, nil
}

// ServeStory answers a story as an ActivityStreams Article, with the same
// visibility rules as ServeListing.
func (s *Service) ServeStory(c echo.Context, st *library.Story) error {
	switch {
	case !st.Local:
		return notFound("remote story")
	case st.Visibility == "local":
		return notFound("story")
	case st.Visibility == "network" && s.peerSigner(c.Request()) == nil:
		return notFound("story")
	}
	return s.writeDoc(c, http.StatusOK, s.storyArticle(st))
}

// storyArticle is the Article of a local story.
func (s *Service) storyArticle(st *library.Story) vocab.ActivityStreamsArticle {
	a := streams.NewActivityStreamsArticle()
	a.SetJSONLDId(idProperty(st.APID))
	a.SetActivityStreamsUrl(urlProperty(st.URL))
	a.SetActivityStreamsAttributedTo(attributedToProperty(st.Org.APID))
	a.SetActivityStreamsName(nameProperty(st.Title))
	if st.Summary != "" {
		a.SetActivityStreamsSummary(summaryProperty(html.EscapeString(st.Summary)))
	}
	content := s.storyContent(st)
	a.SetActivityStreamsContent(contentProperty(content))
	a.SetActivityStreamsPublished(publishedProperty(st.PublishedAt))
	if st.UpdatedAt.Sub(st.PublishedAt) > 0 {
		a.SetActivityStreamsUpdated(updatedProperty(st.UpdatedAt))
	}
	to, cc := s.addressing(orgActor(st.Org), audienceOf(st.Visibility))
	a.SetActivityStreamsTo(toProperty(to))
	a.SetActivityStreamsCc(ccProperty(cc))
	if tags := s.hashtags(st.Themes); tags.Len() > 0 {
		a.SetActivityStreamsTag(tags)
	}
	lang := "en"
	if len(st.Languages) > 0 {
		lang = st.Languages[0]
	}
	extend(a, map[string]any{
		"contentMap":  map[string]string{lang: content},
		"source":      map[string]string{"content": st.Body, "mediaType": "text/markdown"},
		"sensitive":   false,
		propKind:      "story",
		propThemes:    themeIRIs(st.Themes),
		propGroups:    themeIRIs(st.Groups),
		propFeatures:  themeIRIs(st.Features),
		propLanguages: nonNil(st.Languages),
		propCountries: nonNil(st.Countries),
	})
	return a
}

// storyContent is the story's HTML with its themes as hashtag links.
func (s *Service) storyContent(st *library.Story) string {
	var b strings.Builder
	b.WriteString(st.ContentHTML)
	var tags []string
	for _, slug := range st.Themes {
		tags = append(tags, `<a href="`+html.EscapeString(s.cfg.BaseURL+"/themes/"+slug)+`" class="mention hashtag" rel="tag">#<span>`+hashtagName(slug)+`</span></a>`)
	}
	if len(tags) > 0 {
		b.WriteString("<p>" + strings.Join(tags, " ") + "</p>")
	}
	return b.String()
}

// themeIRIs turns slugs into the taxonomy's IRIs.
func themeIRIs(slugs []string) []string {
	out := []string{}
	for _, slug := range slugs {
		if t, ok := themes.Lookup(slug); ok {
			out = append(out, t.IRI())
		}
	}
	return out
}
