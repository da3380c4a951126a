package federation

import (
	"context"
	"html"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// Offers and needs federate as Notes: Mastodon renders only Note (and
// Question) as a post, so the title leads the content and the themes follow as
// hashtags, while the extension properties let a Commonplace node recover
// every field.
func init() {
	registerMapping(&kindMapping{
		Kinds:     []library.ObjectKind{library.KindOffer, library.KindNeed},
		Local:     listings.local,
		Page:      listings.pageOf,
		Recognise: isListingNote,
		Store:     storeListing,
		Remove:    removeListing,
	})
}

// listings are offers and needs, to the code every local kind shares.
var listings = &localKind[library.Listing, vocab.ActivityStreamsNote]{
	noun: "listing", formerType: "Note",
	live: byKind((*library.Store).Listing), deleted: byKind((*library.Store).DeletedListing),
	page: (*library.Store).LocalListingsPage, vocab: (*Service).listingNote,
	head: func(l *library.Listing) objectHead {
		return objectHead{ID: l.ID, APID: l.APID, OrgID: l.OrgID, Visibility: l.Visibility, Kind: l.Kind.ObjectKind(),
			Local: l.Local, Org: l.Org, Published: l.PublishedAt, Deleted: l.DeletedAt.Time}
	},
}

// byKind adapts a store's lookup of a listing to a localKind's: the
// change-log kind is the listing's kind.
func byKind(find func(*library.Store, context.Context, library.ListingKind, string) (*library.Listing, error)) func(*library.Store, context.Context, library.ObjectKind, string) (*library.Listing, error) {
	return func(store *library.Store, ctx context.Context, kind library.ObjectKind, id string) (*library.Listing, error) {
		return find(store, ctx, library.ListingKind(kind), id)
	}
}

// ServeListing answers an offer or a need as a Note: public ones to anyone,
// network ones only to a GET signed by a peer's instance actor, local ones never.
func (s *Service) ServeListing(c echo.Context, l *library.Listing) error {
	return listings.serve(s, c, l)
}

// listingNote is the Note of a local offer or need.
func (s *Service) listingNote(l *library.Listing) vocab.ActivityStreamsNote {
	note := streams.NewActivityStreamsNote()
	content := s.listingContent(l)
	s.setCore(note, objectCore{apID: l.APID, url: l.URL, name: l.Title, content: content, visibility: l.Visibility,
		org: l.Org, published: l.PublishedAt, updated: updatedAfter(l.PublishedAt, l.UpdatedAt), themes: l.Themes, indexable: l.Indexable})
	if l.ExpiresAt != nil {
		end := streams.NewActivityStreamsEndTimeProperty()
		end.Set(l.ExpiresAt.UTC())
		note.SetActivityStreamsEndTime(end)
	}
	lang := "en"
	if len(l.Languages) > 0 {
		lang = l.Languages[0]
	}
	extend(note, map[string]any{
		"contentMap":  map[string]string{lang: content},
		"source":      map[string]string{"content": l.Body, "mediaType": "text/markdown"},
		"sensitive":   false,
		propKind:      string(l.Kind),
		propThemes:    themeIRIs(l.Themes),
		propFormats:   nonNil(l.Formats),
		propLanguages: nonNil(l.Languages),
		propCountries: nonNil(l.Countries),
		propStatus:    l.Status,
	})
	return note
}

// listingContent is the HTML a Mastodon user reads: the kind and title, the
// body, and the themes as hashtag links, in the tags Mastodon keeps.
func (s *Service) listingContent(l *library.Listing) string {
	var b strings.Builder
	label := "Can share"
	if l.Kind == library.Need {
		label = "Want to learn"
	}
	b.WriteString("<p><strong>" + label + ":</strong> " + html.EscapeString(l.Title) + "</p>")
	b.WriteString(l.ContentHTML)
	var tags []string
	for _, slug := range l.Themes {
		if _, ok := themes.Lookup(slug); ok {
			tags = append(tags, `<a href="`+html.EscapeString(s.cfg.BaseURL+"/themes/"+slug)+`" class="mention hashtag" rel="tag">#<span>`+hashtagName(slug)+`</span></a>`)
		}
	}
	if len(tags) > 0 {
		b.WriteString("<p>" + strings.Join(tags, " ") + "</p>")
	}
	return b.String()
}

// hashtags are the themes as Hashtag tags (a Link whose type is Hashtag,
// since go-fed lacks the type).
func (s *Service) hashtags(slugs []string) vocab.ActivityStreamsTagProperty {
	tags := streams.NewActivityStreamsTagProperty()
	for _, slug := range slugs {
		if _, ok := themes.Lookup(slug); !ok {
			continue
		}
		link := streams.NewActivityStreamsLink()
		link.SetJSONLDType(typeProperty("Hashtag"))
		href := streams.NewActivityStreamsHrefProperty()
		href.Set(mustIRI(s.cfg.BaseURL + "/themes/" + slug))
		link.SetActivityStreamsHref(href)
		link.SetActivityStreamsName(nameProperty("#" + hashtagName(slug)))
		tags.AppendActivityStreamsLink(link)
	}
	return tags
}

// hashtagName turns a slug into a hashtag Mastodon accepts (letters and
// digits only): person-centred-planning becomes PersonCentredPlanning.
func hashtagName(slug string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// addressing returns to and cc for an audience: public objects go to
// everyone, network ones to the followers of the instance actor (the peers).
func (s *Service) addressing(author localActor, aud audience) (to, cc []string) {
	peers := s.instance().followers()
	if aud == audiencePublic {
		return []string{asPublic}, []string{author.followers(), peers}
	}
	return []string{peers}, []string{author.followers()}
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
