package federation

import (
	"context"
	"errors"
	"html"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

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
		Local:     localListing,
		Page:      listingPage,
		Recognise: isListingNote,
		Store:     storeListing,
		Remove:    removeListing,
	})
}

func localListing(ctx context.Context, s *Service, kind library.ObjectKind, id string) (*localObject, error) {
	l, err := s.store.Listing(ctx, library.ListingKind(kind), id)
	if errors.Is(err, library.ErrGone) {
		return deletedListing(ctx, s, library.ListingKind(kind), id)
	}
	if err != nil {
		return nil, err
	}
	if !l.Local {
		return nil, notFound("remote listing " + id)
	}
	return listingObject(l), nil
}

func deletedListing(ctx context.Context, s *Service, kind library.ListingKind, id string) (*localObject, error) {
	d, err := s.store.DeletedListing(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if !d.Local {
		return nil, notFound("remote listing " + id)
	}
	org, err := s.store.Organization(ctx, d.OrgID)
	if err != nil {
		return nil, err
	}
	t := d.DeletedAt.Time
	return &localObject{ID: d.ID, Kind: kind.ObjectKind(), APID: d.APID, Author: org, Audience: audienceNone,
		Published: d.PublishedAt, Deleted: &t, FormerType: "Note"}, nil
}

func listingObject(l *library.Listing) *localObject {
	return &localObject{ID: l.ID, Kind: l.Kind.ObjectKind(), APID: l.APID, Author: l.Org, Audience: audienceOf(l.Visibility),
		Published: l.PublishedAt, FormerType: "Note",
		vocab: func(s *Service) (vocab.Type, error) { return s.listingNote(l), nil }}
}

func listingPage(ctx context.Context, s *Service, q pageQuery) ([]*localObject, error) {
	ls, err := s.store.LocalListingsPage(ctx, library.ListingPageQuery{OrgID: q.OrgID, Visibility: q.Audiences,
		MaxID: q.MaxID, MinID: q.MinID, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]*localObject, len(ls))
	for i := range ls {
		out[i] = listingObject(&ls[i])
	}
	return out, nil
}

// listingNote is the Note of a local offer or need.
func (s *Service) listingNote(l *library.Listing) vocab.ActivityStreamsNote {
	note := streams.NewActivityStreamsNote()
	note.SetJSONLDId(idProperty(l.APID))
	note.SetActivityStreamsUrl(urlProperty(l.URL))
	note.SetActivityStreamsAttributedTo(attributedToProperty(l.Org.APID))
	note.SetActivityStreamsName(nameProperty(l.Title))
	content := s.listingContent(l)
	note.SetActivityStreamsContent(contentProperty(content))
	note.SetActivityStreamsPublished(publishedProperty(l.PublishedAt))
	if l.UpdatedAt.Sub(l.PublishedAt) > 0 {
		note.SetActivityStreamsUpdated(updatedProperty(l.UpdatedAt))
	}
	if l.ExpiresAt != nil {
		end := streams.NewActivityStreamsEndTimeProperty()
		end.Set(l.ExpiresAt.UTC())
		note.SetActivityStreamsEndTime(end)
	}
	to, cc := s.addressing(orgActor(l.Org), audienceOf(l.Visibility))
	note.SetActivityStreamsTo(toProperty(to))
	note.SetActivityStreamsCc(ccProperty(cc))
	if tags := s.hashtags(l.Themes); tags.Len() > 0 {
		note.SetActivityStreamsTag(tags)
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
