package federation

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// ext reads an extension property by its compact name or its full IRI.
func (o object) ext(name string) []string {
	if v := o.strs("commonplace:" + name); len(v) > 0 {
		return v
	}
	if v := o.strs(Namespace + name); len(v) > 0 {
		return v
	}
	return o.iris("commonplace:" + name)
}

// isListingNote recognises a Commonplace offer or need.
func isListingNote(o object) bool {
	kind := o.ext("kind")
	return o.hasType("Note") && len(kind) > 0 && library.ListingKind(kind[0]).Valid()
}

var langTag = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

// storeListing stores a remote offer or need, recovering every field.
func storeListing(ctx context.Context, s *Service, orgID string, o object) error {
	l := &library.Listing{
		Kind: library.ListingKind(o.ext("kind")[0]), OrgID: orgID, APID: o.id(), URL: o.iri("url"),
		Title: listingTitle(o), Status: "open", Visibility: "network",
		Formats:   filterList(o.ext("formats"), func(f string) bool { return slices.Contains(library.Formats, f) }),
		Languages: filterList(o.ext("languages"), langTag.MatchString),
		Countries: filterList(o.ext("countries"), func(c string) bool { return len(c) == 2 }),
		ExpiresAt: o.time("endTime"), Indexable: objectIndexable(o),
	}
	if l.URL == "" || hostOf(l.URL) != hostOf(l.APID) {
		l.URL = l.APID
	}
	if o.isPublic() {
		l.Visibility = "public"
	}
	if st := o.ext("status"); len(st) > 0 && slices.Contains(library.Statuses, st[0]) {
		l.Status = st[0]
	}
	if p := o.time("published"); p != nil {
		l.PublishedAt = *p
	}
	l.Body, l.ContentHTML = listingBody(o)
	if len(l.Languages) == 0 {
		l.Languages = []string{"en"}
		for lang := range o.langMap("contentMap") {
			l.Languages = []string{lang}
			break
		}
	}
	for i := range l.Countries {
		l.Countries[i] = strings.ToUpper(l.Countries[i])
	}
	for _, iri := range o.ext("themes") {
		if t, ok := themes.FromIRI(iri); ok {
			l.Themes = appendUnique(l.Themes, t.Slug)
		}
	}
	if len(l.Themes) == 0 {
		l.Themes, l.ThemesInferred = library.InferThemes(l.Title+"\n"+l.Body, l.Languages[0]), true
	}
	_, err := s.store.UpsertRemoteListing(ctx, l)
	return err
}

// listingTitle is the Note's name, or the start of its text.
func listingTitle(o object) string {
	title := strings.TrimSpace(o.str("name"))
	if title == "" {
		for _, v := range o.langMap("nameMap") {
			title = strings.TrimSpace(v)
			break
		}
	}
	if title == "" {
		title = strings.TrimSpace(library.PlainText(o.str("content")))
	}
	if r := []rune(title); len(r) > library.MaxTitle {
		title = string(r[:library.MaxTitle-1]) + "…"
	}
	if title == "" {
		title = "(untitled)"
	}
	return title
}

// listingBody recovers the Markdown source when a Commonplace node sent it;
// otherwise the HTML content is kept (the library sanitises it).
func listingBody(o object) (body, contentHTML string) {
	if src, ok := o.obj("source"); ok && src.str("mediaType") == "text/markdown" {
		body = src.str("content")
		if r := []rune(body); len(r) > library.MaxBody {
			body = string(r[:library.MaxBody])
		}
		return body, library.RenderMarkdown(body)
	}
	content := o.str("content")
	if content == "" {
		for _, v := range o.langMap("contentMap") {
			content = v
			break
		}
	}
	return library.PlainText(content), content
}

func filterList(in []string, keep func(string) bool) []string {
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v != "" && keep(v) {
			out = appendUnique(out, v)
		}
	}
	return out
}

// removeListing deletes our copy of a remote listing if orgID owns it.
func removeListing(ctx context.Context, s *Service, apID, orgID string) (bool, error) {
	err := s.store.DeleteRemoteListing(ctx, apID, orgID)
	if errors.Is(err, library.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
