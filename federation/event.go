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

// Learning events federate as ActivityStreams Events with Mobilizon's
// extensions, so that Mobilizon can import them and Mastodon shows them as a
// post; our extension terms let a Commonplace node recover every field.
func init() {
	registerMapping(&kindMapping{
		Kinds:     []library.ObjectKind{library.KindEvent},
		Local:     events.local,
		Page:      events.pageOf,
		Recognise: func(o object) bool { return o.hasType("Event") },
		Store:     storeEvent,
		Remove:    removeEvent,
	})
	addContextTerms(eventTerms)
}

// mobilizonOnline names the attachment that carries the link to join online.
const mobilizonOnline = "Website"

// eventTerms declare Mobilizon's and schema.org's event properties in our
// @context, as Mobilizon does.
var eventTerms = map[string]any{
	"mz":                        "https://joinmobilizon.org/ns#",
	"sc":                        "http://schema.org/",
	"ical":                      "http://www.w3.org/2002/12/cal/ical#",
	"timezone":                  "mz:timezone",
	"isOnline":                  "mz:isOnline",
	"participantCount":          "mz:participantCount",
	"joinMode":                  "mz:joinMode",
	"maximumAttendeeCapacity":   "sc:maximumAttendeeCapacity",
	"remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
	"inLanguage":                "sc:inLanguage",
	"category":                  "sc:category",
	"PostalAddress":             "sc:PostalAddress",
	"address":                   "sc:address",
	"streetAddress":             "sc:streetAddress",
	"addressCountry":            "sc:addressCountry",
	"status":                    "ical:status",
}

// addContextTerms adds terms to the map of our one @context.
func addContextTerms(terms map[string]any) {
	for _, c := range ldContext {
		if m, ok := c.(map[string]any); ok {
			for k, v := range terms {
				m[k] = v
			}
			return
		}
	}
}

// events, to the code every local kind shares.
var events = &localKind[library.Event, vocab.ActivityStreamsEvent]{
	noun: "event", formerType: "Event",
	live: byID((*library.Store).Event), deleted: byID((*library.Store).DeletedEvent),
	page: (*library.Store).LocalEventsPage, vocab: (*Service).eventVocab,
	head: func(e *library.Event) objectHead {
		return objectHead{ID: e.ID, APID: e.APID, OrgID: e.OrgID, Visibility: e.Visibility, Kind: library.KindEvent,
			Local: e.Local, Org: e.Org, Published: e.PublishedAt, Deleted: e.DeletedAt.Time}
	},
}

// ServeEvent answers an event as an ActivityStreams Event, with the same
// visibility rules as ServeListing.
func (s *Service) ServeEvent(c echo.Context, e *library.Event) error {
	return events.serve(s, c, e)
}

// eventVocab is the Event of a local event.
func (s *Service) eventVocab(e *library.Event) vocab.ActivityStreamsEvent {
	ev := streams.NewActivityStreamsEvent()
	content := s.eventContent(e)
	// An event always says when it was last updated.
	s.setCore(ev, objectCore{apID: e.APID, url: e.URL, name: e.Title, content: content, visibility: e.Visibility,
		org: e.Org, published: e.PublishedAt, updated: e.UpdatedAt, themes: e.Themes, indexable: e.Indexable})
	start, end := streams.NewActivityStreamsStartTimeProperty(), streams.NewActivityStreamsEndTimeProperty()
	start.Set(e.Start.In(e.Location()))
	end.Set(e.End.In(e.Location()))
	ev.SetActivityStreamsStartTime(start)
	ev.SetActivityStreamsEndTime(end)
	if e.InPerson() {
		ev.SetActivityStreamsLocation(placeProperty(e.Place))
	}
	if e.Online() {
		ev.SetActivityStreamsAttachment(onlineAttachment(e.OnlineURL))
	}
	extend(ev, eventExtensions(e, content))
	return ev
}

// eventExtensions are Mobilizon's properties and ours.
func eventExtensions(e *library.Event, content string) map[string]any {
	joinMode := map[string]string{"open": "free", "approval": "restricted"}[e.JoinMode]
	status := strings.ToUpper(e.Status)
	props := map[string]any{
		"mediaType":               "text/html",
		"contentMap":              map[string]string{e.Languages[0]: content},
		"source":                  map[string]string{"content": e.Body, "mediaType": "text/markdown"},
		"timezone":                e.Timezone,
		"joinMode":                joinMode,
		"maximumAttendeeCapacity": e.Capacity,
		"participantCount":        e.ParticipantCount,
		"isOnline":                e.Online(),
		"status":                  status,
		"ical:status":             status,
		"inLanguage":              e.Languages[0],
		"category":                "LEARNING",
		propKind:                  "event",
		propThemes:                themeIRIs(e.Themes),
		propLanguages:             nonNil(e.Languages),
		propSequence:              e.Sequence,
	}
	if r := e.RemainingCapacity(); r >= 0 {
		props["remainingAttendeeCapacity"] = r
	}
	if d := e.RegistrationDeadline; d != nil {
		props[propDeadline] = d.UTC().Format("2006-01-02T15:04:05Z")
	}
	return props
}

// Our extension terms for the registration deadline, and for the event's
// iCalendar SEQUENCE, so that a peer's calendar says the host's revision.
const (
	propDeadline = "commonplace:registrationDeadline"
	propSequence = "commonplace:sequence"
)

// placeProperty is an event's place, as Mobilizon writes it.
func placeProperty(p library.Place) vocab.ActivityStreamsLocationProperty {
	place := streams.NewActivityStreamsPlace()
	name := p.Name
	if name == "" {
		name = p.Address
	}
	place.SetActivityStreamsName(nameProperty(name))
	extend(place, map[string]any{"address": map[string]any{
		"type": "PostalAddress", "streetAddress": p.Address, "addressCountry": p.Country,
	}})
	loc := streams.NewActivityStreamsLocationProperty()
	loc.AppendActivityStreamsPlace(place)
	return loc
}

// onlineAttachment is the link to join online, as Mobilizon writes it.
func onlineAttachment(href string) vocab.ActivityStreamsAttachmentProperty {
	link := streams.NewActivityStreamsLink()
	h := streams.NewActivityStreamsHrefProperty()
	h.Set(mustIRI(href))
	link.SetActivityStreamsHref(h)
	link.SetActivityStreamsName(nameProperty(mobilizonOnline))
	mt := streams.NewActivityStreamsMediaTypeProperty()
	mt.Set("text/html")
	link.SetActivityStreamsMediaType(mt)
	att := streams.NewActivityStreamsAttachmentProperty()
	att.AppendActivityStreamsLink(link)
	return att
}

// eventContent is what a Mastodon user reads: the title, when and where, the
// description and the themes as hashtags.
func (s *Service) eventContent(e *library.Event) string {
	var b strings.Builder
	b.WriteString("<p><strong>Learning event:</strong> " + html.EscapeString(e.Title) + "</p>")
	when := e.Start.In(e.Location()).Format("Monday 2 January 2006, 15:04 MST") + " (" + e.Timezone + ")"
	if e.Cancelled() {
		when = "Cancelled. " + when
	}
	b.WriteString("<p>" + html.EscapeString(when))
	if e.Online() {
		b.WriteString(`<br>Online: <a href="` + html.EscapeString(e.OnlineURL) + `">` + html.EscapeString(e.OnlineURL) + "</a>")
	}
	if e.InPerson() {
		b.WriteString("<br>At: " + html.EscapeString(strings.Trim(e.Place.Name+", "+e.Place.Address, ", ")))
	}
	b.WriteString("</p>")
	b.WriteString(e.ContentHTML)
	var tags []string
	for _, slug := range e.Themes {
		if _, ok := themes.Lookup(slug); ok {
			tags = append(tags, `<a href="`+html.EscapeString(s.cfg.BaseURL+"/themes/"+slug)+`" class="mention hashtag" rel="tag">#<span>`+hashtagName(slug)+`</span></a>`)
		}
	}
	if len(tags) > 0 {
		b.WriteString("<p>" + strings.Join(tags, " ") + "</p>")
	}
	return b.String()
}
