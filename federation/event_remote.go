package federation

import (
	"context"
	"errors"
	"strings"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// storeEvent stores a remote event: every field from another Commonplace
// node, and what Mobilizon's extensions give from others.
func storeEvent(ctx context.Context, s *Service, orgID string, o object) error {
	start, end := o.time("startTime"), o.time("endTime")
	if start == nil {
		return permanent(library.Invalid("startTime", "an event needs a start time"))
	}
	e := &library.Event{
		OrgID: orgID, APID: o.id(), URL: o.iri("url"), Title: listingTitle(o), Start: *start,
		Timezone: o.str("timezone"), Visibility: "network", JoinMode: "open", Status: "confirmed",
		Capacity: intValue(o["maximumAttendeeCapacity"]), ParticipantCount: intValue(o["participantCount"]),
		Languages: filterList(o.ext("languages"), langTag.MatchString), Indexable: objectIndexable(o),
	}
	if end != nil {
		e.End = *end
	}
	e.Sequence = -1 // unknown: counted here (library.UpsertRemoteEvent)
	if seq, ok := o[propSequence].(float64); ok && seq >= 0 && seq < 1e9 {
		e.Sequence = int(seq)
	}
	if e.URL == "" || hostOf(e.URL) != hostOf(e.APID) {
		e.URL = e.APID
	}
	if o.isPublic() {
		e.Visibility = "public"
	}
	if o.str("joinMode") == "restricted" || o.str("joinMode") == "invite" {
		e.JoinMode = "approval"
	}
	status := o.str("status")
	if status == "" {
		status = o.str("ical:status")
	}
	if st := strings.ToLower(status); st == "tentative" || st == "cancelled" {
		e.Status = st
	}
	if _, ok := o["participantCount"]; !ok && e.Capacity > 0 {
		if left, ok := o["remainingAttendeeCapacity"]; ok {
			e.ParticipantCount = max(e.Capacity-intValue(left), 0)
		}
	}
	if p := o.time("published"); p != nil {
		e.PublishedAt = *p
	}
	if d := o.ext("registrationDeadline"); len(d) > 0 {
		e.RegistrationDeadline = object{"t": d[0]}.time("t")
	}
	e.Body, e.ContentHTML = listingBody(o)
	e.OnlineURL = onlineLink(o)
	e.Place = remotePlace(o)
	eventLanguagesAndThemes(e, o)
	_, err := s.store.UpsertRemoteEvent(ctx, e)
	return err
}

// eventLanguagesAndThemes fills in what the event is in and about, inferring
// themes from its text when it names none of ours.
func eventLanguagesAndThemes(e *library.Event, o object) {
	if len(e.Languages) == 0 {
		e.Languages = []string{"en"}
		if l := o.str("inLanguage"); langTag.MatchString(l) {
			e.Languages = []string{l}
		}
	}
	for _, iri := range o.ext("themes") {
		if t, ok := themes.FromIRI(iri); ok {
			e.Themes = appendUnique(e.Themes, t.Slug)
		}
	}
	if len(e.Themes) == 0 {
		e.Themes, e.ThemesInferred = library.InferThemes(e.Title+"\n"+e.Body, e.Languages[0]), true
	}
}

// onlineLink is the link to join online: Mobilizon's "Website" attachment,
// or, failing that, any HTML link attached to an event that says it is online.
func onlineLink(o object) string {
	online, _ := o.boolean("isOnline")
	fallback := ""
	for _, a := range o.objs("attachment") {
		href := a.iri("href")
		if a.typ() != "Link" || !(strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://")) {
			continue
		}
		if a.str("name") == mobilizonOnline {
			return href
		}
		if online && fallback == "" && (a.str("mediaType") == "" || a.str("mediaType") == "text/html") {
			fallback = href
		}
	}
	return fallback
}

// remotePlace reads a Place with a schema.org PostalAddress; a country that is
// not an ISO 3166 code is kept in the address instead.
func remotePlace(o object) library.Place {
	loc, ok := o.obj("location")
	if !ok || !loc.hasType("Place") {
		return library.Place{}
	}
	p := library.Place{Name: strings.TrimSpace(loc.str("name"))}
	addr, ok := loc.obj("address")
	if !ok {
		p.Address = strings.TrimSpace(loc.str("address"))
		return p
	}
	var parts []string
	for _, k := range []string{"streetAddress", "postalCode", "addressLocality", "addressRegion"} {
		if v := strings.TrimSpace(addr.str(k)); v != "" {
			parts = append(parts, v)
		}
	}
	country := strings.TrimSpace(addr.str("addressCountry"))
	if len(country) == 2 || (len(country) > 3 && country[2] == '-' && len(country) <= 6) {
		p.Country = strings.ToUpper(country)
	} else if country != "" {
		parts = append(parts, country)
	}
	p.Address = strings.Join(parts, ", ")
	if p.Name == "" && p.Address == "" && p.Country != "" {
		p.Name = p.Country
	}
	return p
}

// intValue reads a JSON number, or 0.
func intValue(v any) int {
	if f, ok := v.(float64); ok && f >= 0 && f <= library.MaxCapacity {
		return int(f)
	}
	return 0
}

// removeEvent deletes our copy of a remote event if orgID hosts it.
func removeEvent(ctx context.Context, s *Service, apID, orgID string) (bool, error) {
	err := s.store.DeleteRemoteEvent(ctx, apID, orgID)
	if errors.Is(err, library.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
