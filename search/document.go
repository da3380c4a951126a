package search

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// publishedFormat writes a publication time so that its text sorts like the time.
const publishedFormat = "2006-01-02T15:04:05Z"

// document is what the index holds of one object.
type document map[string]any

// docID is the index id of an object: its kind and its id on this node.
func docID(kind library.ObjectKind, id string) string { return string(kind) + ":" + id }

// splitDocID undoes docID.
func splitDocID(s string) (library.ObjectKind, string) {
	k, id, _ := strings.Cut(s, ":")
	return library.ObjectKind(k), id
}

// source turns one kind of library object into documents. Adding a kind to the
// index (stories, events) is adding one source to sources: a table, and a
// function that loads rows of it and makes their documents.
type source struct {
	kind  library.ObjectKind
	table string
	// shared says that the table holds other kinds too, in its column kind
	// (offers and needs share one). Rows asked for by id or organisation are
	// then sorted by kind in Go: with a condition on the kind in SQL, SQLite
	// walks every listing of the kind instead of looking up the few asked for.
	shared bool
	load   loader
}

// loader reads the rows of tx and returns their documents, keyed by object
// id; rows of another kind, or without consent to be indexed, are left out.
type loader func(ctx context.Context, s *Service, tx *gorm.DB) (map[string]document, error)

// sources are the kinds of object the index covers.
func sources() []source {
	return []source{
		{library.KindOrganization, "organizations", false, loadOrganizations},
		{library.KindOffer, "listings", true, loadListings(library.Offer)},
		{library.KindNeed, "listings", true, loadListings(library.Need)},
		{library.KindStory, "stories", false, loadStories},
		{library.KindEvent, "events", false, loadEvents},
	}
}

// sourceOf returns the source of a kind.
func sourceOf(kind library.ObjectKind) (source, bool) {
	for _, src := range sources() {
		if src.kind == kind {
			return src, true
		}
	}
	return source{}, false
}

// loadOrganizations makes the documents of organisations.
func loadOrganizations(ctx context.Context, s *Service, tx *gorm.DB) (map[string]document, error) {
	return s.organizationDocuments(ctx, tx, nil)
}

// organizationDocuments makes the documents of the organisations of tx,
// with the themes of what they have open from about, or from the database
// when about is nil.
func (s *Service) organizationDocuments(ctx context.Context, tx *gorm.DB, about openAbout) (map[string]document, error) {
	var orgs []library.Organization
	if err := tx.WithContext(ctx).Find(&orgs).Error; err != nil {
		return nil, fmt.Errorf("search: load organisations: %w", err)
	}
	if about == nil {
		var err error
		if about, err = s.openThemes(ctx, orgs); err != nil {
			return nil, err
		}
	}
	out := make(map[string]document, len(orgs))
	for i := range orgs {
		o := &orgs[i]
		if !s.consent(o) {
			continue
		}
		d := s.orgFields(o)
		d[fKind] = string(library.KindOrganization)
		d[fAPID], d[fURL], d[fTitle] = o.APID, o.URL, o.Name
		d[fText] = o.Name + "\n" + o.Summary
		d[fStatus] = "open"
		d[fPublished] = o.CreatedAt.UTC().Format(publishedFormat)
		d[fVisibility] = "public"
		if o.Country != "" {
			d[fCountry] = []string{o.Country}
		}
		scored := themes.Infer(o.Summary, "")
		d[fThemes], d[fThemeW] = themeFields(slugsOf(scored), scored)
		addConcepts(d, o.Summary, "")
		d[fOffersAbout], d[fNeedsAbout] = strings.Join(about[o.ID][0], " "), strings.Join(about[o.ID][1], " ")
		out[o.ID] = d
	}
	return out, nil
}

// openAbout is, for each organisation, the themes of its open offers and
// of its open needs, which its document carries for reciprocity.
type openAbout map[string][2][]string

// add files the themes of an open listing of org.
func (a openAbout) add(org string, kind library.ListingKind, slugs []string) {
	about := a[org]
	i := 0
	if kind == library.Need {
		i = 1
	}
	for _, t := range slugs {
		if !slices.Contains(about[i], t) {
			about[i] = append(about[i], t)
		}
	}
	a[org] = about
}

// addOpen files the themes of the listings among docs that are open at now.
func (a openAbout) addOpen(kind library.ListingKind, docs map[string]document, now time.Time) {
	for _, d := range docs {
		expires, ok := d[fExpires].(time.Time)
		if d[fStatus] == "open" && (!ok || expires.After(now)) {
			a.add(str(d[fOrgID]), kind, strsOf(d[fThemes]))
		}
	}
}

// openThemes reads the themes of the open listings of orgs.
func (s *Service) openThemes(ctx context.Context, orgs []library.Organization) (openAbout, error) {
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	var ls []library.Listing
	err := s.store.DB().WithContext(ctx).Select("org_id", "kind", "themes").
		Where("org_id IN ? AND status = ? AND (expires_at IS NULL OR expires_at > ?)", ids, "open", time.Now().UTC()).Find(&ls).Error
	if err != nil {
		return nil, fmt.Errorf("search: themes of organisations: %w", err)
	}
	out := openAbout{}
	for _, l := range ls {
		out.add(l.OrgID, l.Kind, l.Themes)
	}
	return out, nil
}

// loadListings makes the documents of the offers or the needs of tx.
func loadListings(kind library.ListingKind) loader {
	return func(ctx context.Context, s *Service, tx *gorm.DB) (map[string]document, error) {
		var ls []library.Listing
		if err := tx.WithContext(ctx).Preload("Org").Find(&ls).Error; err != nil {
			return nil, fmt.Errorf("search: load listings: %w", err)
		}
		ls = slices.DeleteFunc(ls, func(l library.Listing) bool { return l.Kind != kind })
		return s.listingDocuments(ls), nil
	}
}

// listingDocuments makes the documents of listings, concurrently.
func (s *Service) listingDocuments(ls []library.Listing) map[string]document {
	docs := make([]document, len(ls))
	parallel(len(ls), func(i int) {
		if l := &ls[i]; s.consents(l.Org, l.Indexable) {
			docs[i] = s.listingDocument(l)
		}
	})
	out := make(map[string]document, len(ls))
	for i, d := range docs {
		if d != nil {
			out[ls[i].ID] = d
		}
	}
	return out
}

// parallel calls fn for 0..n-1 on every processor; documents of a large page
// are made concurrently, since analysing their text is most of the work.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n/32, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// listingDocument is the document of an offer or a need.
func (s *Service) listingDocument(l *library.Listing) document {
	body := l.Body // Markdown reads as text; remote copies have only HTML
	if body == "" {
		body = library.PlainText(l.ContentHTML)
	}
	d := s.textDocument(l.Org, l.Kind.ObjectKind(), l.Title, body, l.Languages, l.Themes, l.ThemesInferred)
	d[fAPID], d[fURL], d[fCountry], d[fFormat] = l.APID, l.URL, l.Countries, l.Formats
	d[fStatus], d[fVisibility] = l.Status, l.Visibility
	if l.ExpiresAt != nil {
		d[fExpires] = *l.ExpiresAt
	}
	d[fPublished] = l.PublishedAt.UTC().Format(publishedFormat)
	return d
}

// addConcepts files the text's strongest concepts in the document.
func addConcepts(d document, text, lang string) {
	d[fConceptW] = formatWeights(concepts(text, lang))
}

// orgFields are the fields about the author, shared by every kind.
func (s *Service) orgFields(o *library.Organization) document {
	node := s.host
	if !o.Local {
		node = o.Domain
	}
	return document{fOrgID: o.ID, fOrg: o.Address(), fOrgHandle: o.Handle, fOrgName: o.Name, fNode: node}
}

// themeFields returns the themes and their weights: 1 for chosen themes, the
// inference's confidence for inferred ones.
func themeFields(slugs []string, scored []themes.Score) ([]string, string) {
	w := make(map[string]float64, len(scored))
	for _, sc := range scored {
		w[sc.Slug] = sc.Score
	}
	var b strings.Builder
	for i, slug := range slugs {
		v, ok := w[slug]
		if !ok {
			v = 1
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(slug + "=" + strconv.FormatFloat(v, 'f', 2, 64))
	}
	return slugs, b.String()
}

// parseThemeWeights reads the theme_weights field back.
func parseThemeWeights(s string) map[string]float64 {
	out := map[string]float64{}
	for _, f := range strings.Fields(s) {
		slug, v, _ := strings.Cut(f, "=")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) {
			x = 1
		}
		out[slug] = min(max(x, 0), 1) // weights are in [0, 1]; a damaged field must not poison scores
	}
	return out
}

func slugsOf(scored []themes.Score) []string {
	out := make([]string, 0, len(scored))
	for _, sc := range scored {
		if sc.Score >= 0.25 && len(out) < 3 {
			out = append(out, sc.Slug)
		}
	}
	return out
}

func firstOr(list []string, def string) string {
	if len(list) == 0 {
		return def
	}
	return list[0]
}

// hostOf is the host of the node's base URL, its name in the "node" facet.
func hostOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "local"
	}
	return u.Host
}
