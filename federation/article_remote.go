package federation

import (
	"context"
	"errors"
	"strings"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// isStoryArticle recognises a Commonplace story.
func isStoryArticle(o object) bool {
	kind := o.ext("kind")
	return o.hasType("Article") && len(kind) > 0 && kind[0] == "story"
}

// storeStory stores a remote story, recovering every field. Its text was
// anonymised at its origin.
func storeStory(ctx context.Context, s *Service, orgID string, o object) error {
	st := &library.Story{
		OrgID: orgID, APID: o.id(), URL: o.iri("url"), Title: listingTitle(o), Visibility: "network", Indexable: objectIndexable(o),
		Summary:   strings.TrimSpace(library.PlainText(o.str("summary"))),
		Languages: filterList(o.ext("languages"), langTag.MatchString),
		Countries: filterList(o.ext("countries"), func(c string) bool { return len(c) >= 2 && len(c) <= 6 }),
		Themes:    slugsOfKind(o.ext("themes"), themes.KindTopic),
		Groups:    slugsOfKind(o.ext("groups"), themes.KindGroup),
		Features:  append(slugsOfKind(o.ext("features"), themes.KindFeature), slugsOfKind(o.ext("features"), themes.KindElement)...),
	}
	if st.URL == "" || hostOf(st.URL) != hostOf(st.APID) {
		st.URL = st.APID
	}
	if o.isPublic() {
		st.Visibility = "public"
	}
	if p := o.time("published"); p != nil {
		st.PublishedAt = *p
	}
	st.Body, st.ContentHTML = listingBody(o)
	if len(st.Languages) == 0 {
		st.Languages = []string{"en"}
	}
	for i := range st.Countries {
		st.Countries[i] = strings.ToUpper(st.Countries[i])
	}
	if len(st.Themes) == 0 {
		st.Themes, st.ThemesInferred = library.InferThemes(st.Title+"\n"+st.Body, st.Languages[0]), true
	}
	_, err := s.store.UpsertRemoteStory(ctx, st)
	return err
}

// slugsOfKind keeps the IRIs that name a theme of the kind, as slugs.
func slugsOfKind(iris []string, kind themes.Kind) []string {
	out := []string{}
	for _, iri := range iris {
		if t, ok := themes.FromIRI(iri); ok && t.Kind == kind {
			out = appendUnique(out, t.Slug)
		}
	}
	return out
}

// removeStory deletes our copy of a remote story if orgID owns it.
func removeStory(ctx context.Context, s *Service, apID, orgID string) (bool, error) {
	err := s.store.DeleteRemoteStory(ctx, apID, orgID)
	if errors.Is(err, library.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
