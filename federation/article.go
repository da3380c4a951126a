package federation

import (
	"html"
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
		Local:     stories.local,
		Page:      stories.pageOf,
		Recognise: isStoryArticle,
		Store:     storeStory,
		Remove:    removeStory,
	})
	addContextTerms(map[string]any{
		propGroups:   map[string]any{"@id": propGroups, "@type": "@id"},
		propFeatures: map[string]any{"@id": propFeatures, "@type": "@id"},
	})
}

// stories, to the code every local kind shares.
var stories = &localKind[library.Story, vocab.ActivityStreamsArticle]{
	noun: "story", formerType: "Article",
	live: byID((*library.Store).Story), deleted: byID((*library.Store).DeletedStory),
	page: (*library.Store).LocalStoriesPage, vocab: (*Service).storyArticle,
	head: func(st *library.Story) objectHead {
		return objectHead{ID: st.ID, APID: st.APID, OrgID: st.OrgID, Visibility: st.Visibility, Kind: library.KindStory,
			Local: st.Local, Org: st.Org, Published: st.PublishedAt, Deleted: st.DeletedAt.Time}
	},
}

// ServeStory answers a story as an ActivityStreams Article, with the same
// visibility rules as ServeListing.
func (s *Service) ServeStory(c echo.Context, st *library.Story) error {
	return stories.serve(s, c, st)
}

// storyArticle is the Article of a local story.
func (s *Service) storyArticle(st *library.Story) vocab.ActivityStreamsArticle {
	a := streams.NewActivityStreamsArticle()
	content := s.storyContent(st)
	s.setCore(a, objectCore{apID: st.APID, url: st.URL, name: st.Title, content: content, visibility: st.Visibility,
		org: st.Org, published: st.PublishedAt, updated: updatedAfter(st.PublishedAt, st.UpdatedAt), themes: st.Themes, indexable: st.Indexable})
	if st.Summary != "" {
		a.SetActivityStreamsSummary(summaryProperty(html.EscapeString(st.Summary)))
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
