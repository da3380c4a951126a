package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// Match is an offer that could meet a need, or a need that an offer could
// meet: the other side, a score from 0 to 1 and the reasons in plain words.
type Match struct {
	Listing ListingRef `json:"listing"`
	Score   float64    `json:"score"`
	Reasons []string   `json:"reasons"`
	Parts   Parts      `json:"parts"`
}

// ListingRef names an offer or a need.
type ListingRef struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	APID  string `json:"ap_id"`
	URL   string `json:"url"`
	Title string `json:"title"`
	Org   OrgRef `json:"org"`
	orgID string
}

// OrgID is the id of the listing's organisation on this node.
func (r ListingRef) OrgID() string { return r.orgID }

// Parts are the components of a score, each from 0 to 1.
type Parts struct {
	Theme       float64 `json:"theme"`
	Text        float64 `json:"text"`
	Language    float64 `json:"language"`
	Reach       float64 `json:"reach"`
	Freshness   float64 `json:"freshness"`
	Reciprocity float64 `json:"reciprocity"`
}

// poolSize is how many candidates each way of finding them (words, themes) brings.
const poolSize = 40

// subject is the listing whose matches are sought.
type subject struct {
	kind      library.ListingKind
	id        string
	orgID     string
	text      string
	langs     []string
	countries []string
	themes    map[string]float64
	concepts  map[string]float64
	ref       ListingRef
}

// candidate is a listing of the other kind, as the index holds it.
type candidate struct {
	ref       ListingRef
	themes    map[string]float64
	concepts  map[string]float64
	langs     []string
	countries []string
	formats   []string
	published time.Time
	text      float64 // relevance of its text, 0..1
	// Its scores by the subject's words, and by those words widened, each
	// against the best candidate's; 0 when it was not found that way.
	lex, wide float64
	// bridge is its score by the subject's words translated into its language.
	bridge float64
}

// Matches returns the best listings of the other kind for the listing kind/id:
// open, unexpired, of other organisations, best first.
func (s *Service) Matches(ctx context.Context, kind library.ListingKind, id string, limit int) ([]Match, error) {
	l, err := s.store.Listing(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	return s.MatchListing(ctx, l, limit)
}

// MatchListing is Matches for a listing already read.
func (s *Service) MatchListing(ctx context.Context, l *library.Listing, limit int) ([]Match, error) {
	sub := subjectOf(l)
	if sub.ref.Org.Node == "" {
		sub.ref.Org.Node = s.host
	}
	return s.matchSubject(ctx, sub, limit)
}

// subjectOf reads what matters for matching from a listing.
func subjectOf(l *library.Listing) subject {
	body := library.PlainText(l.ContentHTML)
	if body == "" {
		body = l.Body
	}
	text := l.Title + "\n" + body
	sub := subject{kind: l.Kind, id: l.ID, orgID: l.OrgID, text: text, countries: l.Countries,
		ref: ListingRef{Kind: string(l.Kind), ID: l.ID, APID: l.APID, URL: l.URL, Title: l.Title, orgID: l.OrgID}}
	if l.Org != nil {
		sub.ref.Org = OrgRef{Handle: l.Org.Handle, Name: l.Org.Name, Node: l.Org.Domain}
	}
	for _, lang := range l.Languages {
		sub.langs = append(sub.langs, primaryLanguage(lang))
	}
	var scored []themes.Score
	if l.ThemesInferred {
		scored = themes.Infer(text, firstOr(sub.langs, ""))
	}
	_, weights := themeFields(l.Themes, scored)
	sub.themes = parseThemeWeights(weights)
	sub.concepts = concepts(l.Title+"\n"+text, firstOr(sub.langs, ""))
	return sub
}

// other is the kind that meets kind.
func other(kind library.ListingKind) library.ListingKind {
	if kind == library.Need {
		return library.Offer
	}
	return library.Need
}

// Tuning of the candidate pools.
const (
	feedbackHits   = 3   // best text matches whose themes enrich the subject's
	feedbackWeight = 0.5 // how much their themes count against the subject's own
	feedbackMin    = 0.5 // text relevance a match needs to lend its themes
	// conceptFeedback scales the feedback on concepts against that on themes.
	conceptFeedback = 2
)

// candidates finds listings that could match: by the subject's own words
// (the lexical ranking); by the words related to them and those of the best
// first matches (the widened ranking); by its words translated into the
// network's other language (the bridge); and by its themes. It returns them with the subject's themes enriched by those
// of its closest matches in words (blind relevance feedback), which makes up
// for themes the inference missed in the subject's text.
//
// The searches that do not wait on one another run at the same time (the
// lexical one, the subject against itself and the bridge; then the widened
// one and the themes), and their hits are taken in that order, so that a
// match is found in the time of its longest chain of searches and scores
// the same as one search after the other.
func (s *Service) candidates(ctx context.Context, idx bleve.Index, feats *features, sub subject) (map[string]*candidate, profileOf, error) {
	out := map[string]*candidate{}
	enriched := profileOf{themes: sub.themes, concepts: sub.concepts}
	dfs := &feats.dfs
	fts := s.subjectTerms(ctx, idx, dfs, sub)
	enriched.own = fts
	words := plainWords(sub.text)
	lexQ := lexicalQuery(fts)
	var (
		wg                        sync.WaitGroup
		lexHits, trHits, wideHits []*bsearch.DocumentMatch
		self                      float64
		selfOK                    bool
		lexErr, trErr, wideErr    error
		tr                        []fieldTerms
	)
	if lexQ != nil {
		wg.Go(func() { lexHits, lexErr = s.pool(ctx, idx, sub, lexQ, false) })
		wg.Go(func() { self, selfOK = s.selfScore(ctx, idx, sub, lexicalQuery(ownFields(sub, fts))) })
	}
	wg.Go(func() {
		if tr = s.translations(ctx, idx, dfs, sub, words, fts); len(tr) > 0 {
			trHits, trErr = s.pool(ctx, idx, sub, lexicalQuery(tr), false)
		}
	})
	wg.Wait()
	if lexErr != nil {
		return nil, profileOf{}, lexErr
	}
	var bestIDs []string
	if lexQ != nil {
		if !selfOK {
			self = 1
			if len(lexHits) > 0 {
				self = lexHits[0].Score
			}
		}
		scale := textScale(self, lexHits)
		var best []*candidate
		for _, h := range lexHits {
			c, ok := feats.candidate(h.ID, other(sub.kind))
			if !ok {
				continue // indexed a moment ago; the table follows
			}
			c.text = math.Min(1, h.Score/scale)
			c.lex = h.Score / lexHits[0].Score
			out[c.ref.ID] = c
			if len(bestIDs) < feedbackDocs {
				bestIDs = append(bestIDs, h.ID)
			}
			if len(best) < feedbackHits && c.text >= feedbackMin {
				best = append(best, c)
			}
		}
		enriched = withFeedback(enriched, best)
		wg.Go(func() {
			extra := append(feedbackTermsOf(ctx, idx, dfs, bestIDs, fts), s.related(ctx, idx, dfs, words, fts)...)
			if q := lexicalQuery(extra); q != nil {
				wideHits, wideErr = s.pool(ctx, idx, sub, q, false)
			}
		})
	}
	var themeHits []*bsearch.DocumentMatch
	var themeErr error
	if len(enriched.themes) > 0 {
		n, _ := idx.DocCount()
		wg.Go(func() { themeHits, themeErr = s.themePool(ctx, idx, sub, enriched.themes, n >= exhaustiveBelow) })
	}
	wg.Wait()
	if wideErr != nil {
		return nil, profileOf{}, wideErr
	}
	rankAlso(feats, sub, wideHits, out, func(c *candidate, v float64) { c.wide = v })
	if len(tr) > 0 {
		if trErr != nil {
			return nil, profileOf{}, trErr
		}
		enriched.translated = tr
		rankAlso(feats, sub, trHits, out, func(c *candidate, v float64) { c.bridge = v })
	}
	if themeErr != nil {
		return nil, profileOf{}, themeErr
	}
	for _, h := range themeHits {
		if c, ok := feats.candidate(h.ID, other(sub.kind)); ok && out[c.ref.ID] == nil {
			out[c.ref.ID] = c
		}
	}
	return out, enriched, nil
}

// rankAlso adds to out the candidates another way of finding them found
// (hits), and sets each one's score by it (against the best) with set.
func rankAlso(feats *features, sub subject, hits []*bsearch.DocumentMatch, out map[string]*candidate, set func(*candidate, float64)) {
	for _, h := range hits {
		c := out[idOf(h.ID)]
		if c == nil {
			var ok bool
			if c, ok = feats.candidate(h.ID, other(sub.kind)); !ok {
				continue
			}
			out[c.ref.ID] = c
		}
		set(c, h.Score/hits[0].Score)
	}
}

// idOf is the object id of a document id.
func idOf(docID string) string {
	_, id := splitDocID(docID)
	return id
}

// ownFields are the subject's terms in its own kind's fields, to weigh the
// subject against itself.
func ownFields(sub subject, fts []fieldTerms) []fieldTerms {
	out := make([]fieldTerms, 0, len(fts))
	for _, ft := range fts {
		field, analyzer := textFieldFor(sub.kind.ObjectKind(), ft.lang)
		out = append(out, fieldTerms{field: field, analyzer: analyzer, lang: ft.lang, terms: ft.terms})
	}
	return out
}

// profileOf is what a listing is about: its themes and its concepts, and
// the words it was sought by, its own and translated.
type profileOf struct {
	themes, concepts map[string]float64
	own, translated  []fieldTerms
}

// withFeedback adds to the subject's themes those of its best text matches,
// weighted by their relevance (blind relevance feedback). Concepts are left
// alone: they already read every word, and feedback on them made matching
// worse on the evaluation set.
func withFeedback(own profileOf, best []*candidate) profileOf {
	if len(best) == 0 {
		return own
	}
	out := profileOf{themes: map[string]float64{}, concepts: own.concepts, own: own.own}
	for slug, w := range own.themes {
		out.themes[slug] = w
	}
	share := feedbackWeight / float64(len(best))
	for _, c := range best {
		for slug, w := range c.themes {
			if _, mine := own.themes[slug]; !mine {
				out.themes[slug] = min(1, out.themes[slug]+share*w*c.text)
			}
		}
	}
	return out
}

// exhaustiveBelow is the size of index under which the theme pool takes every
// listing sharing any theme; above it, only those sharing the surest one, so
// that a match does not score half the index.
const exhaustiveBelow = 5000

// themePool finds listings of the other kind sharing the subject's themes
// ws, best first. In a large index it takes those sharing the surest theme,
// and first tries those sharing the two surest: they are the best of the
// first (they match two of its clauses), and finding them reads a fraction
// of the listings the surest theme alone has (a tenth of the index, for a
// common theme). When fewer than a pool share both, it takes the first.
func (s *Service) themePool(ctx context.Context, idx bleve.Index, sub subject, ws map[string]float64, large bool) ([]*bsearch.DocumentMatch, error) {
	kind := other(sub.kind).ObjectKind()
	if !large {
		return s.pool(ctx, idx, sub, themesQuery(kind, ws, nil), true)
	}
	surest := surestThemes(ws, 2)
	if len(surest) == 2 {
		hits, err := s.pool(ctx, idx, sub, themesQuery(kind, ws, surest), true)
		if err != nil || len(hits) >= poolSize {
			return hits, err
		}
	}
	return s.pool(ctx, idx, sub, themesQuery(kind, ws, surest[:1]), true)
}

// surestThemes are the n themes of ws of most weight, ties by slug.
func surestThemes(ws map[string]float64, n int) []string {
	slugs := make([]string, 0, len(ws))
	for slug := range ws {
		slugs = append(slugs, slug)
	}
	slices.SortFunc(slugs, func(a, b string) int {
		if ws[a] != ws[b] {
			return cmp.Compare(ws[b], ws[a])
		}
		return strings.Compare(a, b)
	})
	return slugs[:min(n, len(slugs))]
}

// themesQuery finds listings of kind sharing the themes ws, scored by the
// weights of those they share; with required, only those that have all of
// required.
func themesQuery(kind library.ObjectKind, ws map[string]float64, required []string) query.Query {
	var should []query.Query
	for slug, w := range ws {
		t := termQuery(themesField(kind), slug)
		t.SetBoost(w)
		should = append(should, t)
	}
	if len(required) == 0 {
		return query.NewDisjunctionQuery(should)
	}
	var must []query.Query
	for _, slug := range required {
		must = append(must, termQuery(themesField(kind), slug))
	}
	return query.NewBooleanQuery(must, should, nil)
}

// pool runs q over the open listings of the other kind and of other
// organisations. Queries on the other kind's own fields need no filter on the
// kind; one on the any-language text does (filterKind).
func (s *Service) pool(ctx context.Context, idx bleve.Index, sub subject, q query.Query, kindFields bool) ([]*bsearch.DocumentMatch, error) {
	must := []query.Query{q}
	if !kindFields && !s.kindFieldText(sub) {
		must = append(must, termQuery(fKind, string(other(sub.kind))))
	}
	b := query.NewBooleanQuery(must, nil, []query.Query{notOpen(time.Now()), termQuery(fOrgID, sub.orgID)})
	req := bleve.NewSearchRequestOptions(b, poolSize, 0, false)
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: match candidates: %w", err)
	}
	return res.Hits, nil
}

// selfScore is how well the subject's own text matches its query, the scale
// of text relevance; false when the subject is not in the index (the best
// hit's then serves).
func (s *Service) selfScore(ctx context.Context, idx bleve.Index, sub subject, q query.Query) (float64, bool) {
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{
		query.NewDocIDQuery([]string{docID(sub.kind.ObjectKind(), sub.id)}), q}), 1, 0, false)
	if res, err := idx.SearchInContext(ctx, req); err == nil && len(res.Hits) == 1 {
		return res.Hits[0].Score, true
	}
	return 0, false
}

// candidateOf reads a listing from the stored fields of a hit.
func candidateOf(h *bsearch.DocumentMatch, kind library.ListingKind) *candidate {
	_, id := splitDocID(h.ID)
	c := &candidate{
		ref: ListingRef{Kind: string(kind), ID: id, APID: str(h.Fields[fAPID]), URL: str(h.Fields[fURL]),
			Title: str(h.Fields[fTitle]), orgID: str(h.Fields[fOrgID]),
			Org: OrgRef{Handle: str(h.Fields[fOrgHandle]), Name: str(h.Fields[fOrgName]), Node: str(h.Fields[fNode])}},
		themes:    parseThemeWeights(str(h.Fields[fThemeW])),
		concepts:  parseThemeWeights(str(h.Fields[fConceptW])),
		langs:     strs(h.Fields[fLang]),
		countries: strs(h.Fields[fCountry]),
		formats:   strs(h.Fields[fFormat]),
	}
	c.published, _ = time.Parse(publishedFormat, str(h.Fields[fPublished]))
	return c
}

// kindFieldText reports whether every language of the subject has its own
// analysis, so that its text is sought in the other kind's own fields.
func (s *Service) kindFieldText(sub subject) bool {
	for _, lang := range sub.langs {
		if !analysedLanguage(lang) {
			return false
		}
	}
	return len(sub.langs) > 0
}
