package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
)

// Query is a search: free text and filters, all optional.
type Query struct {
	Text    string
	Kind    string // one of Kinds()
	Theme   string
	Country string
	Lang    string
	Format  string
	Org     string // handle, or handle@domain
	Node    string // domain
	// AllStatuses includes closed and expired offers and needs.
	AllStatuses bool
	// Visibilities are those the searcher may see (library.Viewer's);
	// none means public only.
	Visibilities []string
	Limit        int // 20 by default, at most 100
	Page         int // from 1
}

// Result is one page of hits, the total and the facets of the whole result.
type Result struct {
	Total  uint64           `json:"total"`
	Hits   []Hit            `json:"hits"`
	Facets map[string]Facet `json:"facets"`
}

// Facet counts the hits by value of one field.
type Facet map[string]int

// Hit is one object found.
type Hit struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	APID    string   `json:"ap_id"`
	URL     string   `json:"url"`
	Title   string   `json:"title"`
	Snippet string   `json:"snippet"` // HTML: escaped text with <mark> around matched words
	Org     OrgRef   `json:"org"`
	Themes  []string `json:"themes"`
	Score   float64  `json:"score"`
}

// OrgRef names the organisation an object belongs to.
type OrgRef struct {
	Handle string `json:"handle"`
	Name   string `json:"name"`
	Node   string `json:"node"`
}

// hitFields are the stored fields a hit is made of.
var hitFields = []string{fAPID, fURL, fTitle, fText, fOrgHandle, fOrgName, fNode, fThemes}

// Search runs q. An empty text lists everything the filters allow, newest
// first. A text that finds less than a page is searched again with the
// synonyms of its themes: most searches find enough by their own words, and
// synonyms widen a search to whole themes, which costs.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	if err := CheckText(q.Text); err != nil {
		return nil, err
	}
	q.Limit = clamp(q.Limit, 20, 100)
	q.Page = max(q.Page, 1)
	timeout := s.timeout
	if timeout <= 0 {
		timeout = SearchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := s.run(ctx, q, false)
	if err == nil && strings.TrimSpace(q.Text) != "" && res.Total < uint64(q.Limit) &&
		len(strings.Fields(q.Text)) <= shortQueryWords {
		var wider *Result
		if wider, err = s.run(ctx, q, true); err == nil && wider.Total > res.Total {
			res = wider
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w after %v", ErrTimeout, timeout)
	}
	return res, err
}

// The budget of one search, which anyone may run: the words and bytes of its
// text, the words below which synonyms are tried too, and its running time
// unless WithTimeout says otherwise (Bleve's collector stops when the
// context ends).
const (
	MaxQueryWords   = 120
	MaxQueryBytes   = 1500
	shortQueryWords = 6
	SearchTimeout   = 2 * time.Second
)

// ErrTimeout is a search stopped by its deadline.
var ErrTimeout = errors.New("search: stopped")

// ErrQueryTooLong is a search text over the budget.
var ErrQueryTooLong = errors.New("search: query too long")

// CheckText refuses a search text over the budget, saying the limit.
func CheckText(text string) error {
	if n := len(text); n > MaxQueryBytes {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrQueryTooLong, n, MaxQueryBytes)
	}
	if n := len(strings.Fields(text)); n > MaxQueryWords {
		return fmt.Errorf("%w: %d words, at most %d", ErrQueryTooLong, n, MaxQueryWords)
	}
	return nil
}

// run runs one search, with or without synonyms.
func (s *Service) run(ctx context.Context, q Query, synonyms bool) (*Result, error) {
	req := bleve.NewSearchRequestOptions(s.searchQuery(q, synonyms), q.Limit, (q.Page-1)*q.Limit, false)
	req.Fields = hitFields
	if strings.TrimSpace(q.Text) == "" {
		req.SortBy([]string{"-" + fPublished, "_id"})
	} else {
		// Equal scores in the order of ids, not of the index's segments,
		// so that a search answers the same from one run to the next.
		req.SortBy([]string{"-_score", "_id"})
	}
	idx := s.index()
	if idx == nil {
		return nil, fmt.Errorf("search: index closed")
	}
	res, counts, err := searchFaceted(ctx, idx, req, &s.facets)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &Result{Total: res.Total, Hits: []Hit{}, Facets: facetsOf(counts)}
	marks := newMarker(idx, markedWords(q.Text, queryLanguages(q), synonyms))
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hitOf(h, marks))
	}
	return out, nil
}

// searchQuery is the filters, and the text if any.
func (s *Service) searchQuery(q Query, synonyms bool) query.Query {
	must := filters(q)
	if text := strings.TrimSpace(q.Text); text != "" {
		must = append(must, textQuery(text, kindsOf(q.Kind), queryLanguages(q), synonyms))
	}
	if len(must) == 0 {
		must = append(must, query.NewMatchAllQuery())
	}
	var mustNot []query.Query
	if !q.AllStatuses {
		mustNot = append(mustNot, notOpen(time.Now()))
	}
	if h := hidden(q.Visibilities); h != nil {
		mustNot = append(mustNot, h)
	}
	return query.NewBooleanQuery(must, nil, mustNot)
}

// queryLanguages are the languages a search's text is analysed in: the one
// asked for, or English.
func queryLanguages(q Query) []string {
	if q.Lang != "" {
		return []string{primaryLanguage(q.Lang)}
	}
	return []string{"en"}
}

// Kinds are the kinds of object the index holds, as named in searches.
func Kinds() []string {
	var out []string
	for _, src := range sources() {
		out = append(out, string(src.kind))
	}
	return out
}

// kindsOf is the kind searched, or every kind.
func kindsOf(kind string) []library.ObjectKind {
	if kind != "" {
		return []library.ObjectKind{library.ObjectKind(kind)}
	}
	var out []library.ObjectKind
	for _, src := range sources() {
		out = append(out, src.kind)
	}
	return out
}

// filters are the conditions every hit must meet.
func filters(q Query) []query.Query {
	var must []query.Query
	if q.Kind != "" {
		must = append(must, termQuery(fKind, q.Kind))
	}
	for field, v := range map[string]string{fThemes: q.Theme, fCountry: strings.ToUpper(q.Country),
		fLang: primaryLanguage(q.Lang), fFormat: q.Format, fOrg: strings.ToLower(q.Org), fNode: strings.ToLower(q.Node)} {
		if v != "" {
			must = append(must, termQuery(field, v))
		}
	}
	return must
}

// hidden finds what has a visibility the searcher may not see (public only
// when none is given): few documents, so cheap to exclude, like notOpen.
func hidden(visibilities []string) query.Query {
	if len(visibilities) == 0 {
		visibilities = []string{library.VisibilityPublic}
	}
	var out []query.Query
	for _, v := range library.Visibilities {
		if !slices.Contains(visibilities, v) {
			out = append(out, termQuery(fVisibility, v))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(out)
}

// notOpen finds what is closed or expired at t: few documents, so that it is
// cheap to exclude (a filter on "open" would walk nearly every document).
func notOpen(t time.Time) query.Query {
	inclusive := true
	expired := query.NewDateRangeInclusiveQuery(time.Time{}, t, nil, &inclusive)
	expired.SetField(fExpires)
	return query.NewDisjunctionQuery([]query.Query{termQuery(fStatus, "closed"), expired})
}

// hitOf turns a Bleve hit into ours, its snippet marked by marks.
func hitOf(h *search.DocumentMatch, marks *marker) Hit {
	kind, id := splitDocID(h.ID)
	hit := Hit{Kind: string(kind), ID: id, Score: h.Score, Themes: []string{},
		APID: str(h.Fields[fAPID]), URL: str(h.Fields[fURL]), Title: str(h.Fields[fTitle]),
		Org: OrgRef{Handle: str(h.Fields[fOrgHandle]), Name: str(h.Fields[fOrgName]), Node: str(h.Fields[fNode])}}
	hit.Themes = append(hit.Themes, strs(h.Fields[fThemes])...)
	text := snippetText(str(h.Fields[fText]), hit.Title)
	if hit.Snippet = marks.snippet(text); hit.Snippet == "" {
		hit.Snippet = html.EscapeString(cut(text, fragmentSize))
	}
	return hit
}

// snippetText is what a snippet is cut from: the indexed text without the
// title, which the hit shows already, and as it reads, without its Markdown.
func snippetText(text, title string) string {
	body := strings.TrimPrefix(text, title+"\n")
	return strings.Join(strings.Fields(library.PlainText(library.RenderMarkdown(body))), " ")
}

// str reads a stored field holding one string.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return str(x[0])
		}
	}
	return ""
}

// strs reads a stored field holding one or several strings.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, str(e))
		}
		return out
	}
	return nil
}

// cut shortens s to about n bytes at a word boundary.
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], ' '); i > n/2 {
		return s[:i] + "…"
	}
	return s[:n] + "…"
}

func clamp(n, def, most int) int {
	if n <= 0 {
		return def
	}
	return min(n, most)
}
