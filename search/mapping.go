package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

// mappingVersion changes whenever the mapping, the analysis or what goes into a
// document changes; a node whose index was built with another version rebuilds it.
const mappingVersion = 11

// versionKey is where the index keeps the version it was built with.
var versionKey = []byte("commonplace_mapping_version")

// indexVersion is the full version string: the mapping's and the taxonomy's,
// since documents carry inferred themes.
func indexVersion() string {
	return fmt.Sprintf("mapping=%d themes=%s", mappingVersion, themes.Version)
}

// Field names of an index document.
const (
	fKind       = "kind"
	fAPID       = "ap_id"
	fURL        = "url"
	fTitle      = "title" // stored only: the title is searched as part of text
	fText       = "text"  // title and body, any language
	fThemes     = "themes"
	fThemeW     = "theme_weights"   // "slug=0.83 slug2=0.41", stored only
	fConceptW   = "concept_weights" // "slug=0.512 …", the strongest concepts (see concepts.go)
	fLang       = "lang"
	fCountry    = "country"
	fFormat     = "format"
	fFacets     = "facets" // the values of every facet, see facets.go
	fOrgID      = "org_id"
	fOrg        = "org" // the organisation's address: handle, or handle@domain
	fOrgHandle  = "org_handle"
	fOrgName    = "org_name"
	fNode       = "node"
	fStatus     = "status"
	fExpires    = "expires"
	fPublished  = "published"
	fVisibility = "visibility"
	// An organisation's document says what it has open, for reciprocity.
	fOffersAbout = "offers_about" // "slug slug2", stored only
	fNeedsAbout  = "needs_about"
)

// langField is the field of a kind's text analysed in lang ("text_offer_en").
// The kind is in the field's name so that matching, which looks for one kind,
// needs no filter on the kind: a filter on so common a value walks most of
// the index.
func langField(kind library.ObjectKind, lang string) string {
	return "text_" + string(kind) + "_" + lang
}

// themesField is the field of a kind's themes, for the same reason.
func themesField(kind library.ObjectKind) string { return "themes_" + string(kind) }

// buildMapping describes the one index of a node: keyword fields for filters and
// facets, stored fields for showing a hit without reading the database, and the
// text once for any language plus once per language it is written in.
func buildMapping() *mapping.IndexMappingImpl {
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fFacets, keywordField(false, true))
	for _, f := range []string{fThemes, fLang, fCountry, fFormat, fOrgID, fNode} { // filters shown with a hit
		doc.AddFieldMappingsAt(f, keywordField(true, false))
	}
	for _, f := range []string{fKind, fOrg, fStatus, fVisibility} { // filters only
		doc.AddFieldMappingsAt(f, keywordField(false, false))
	}
	for _, f := range []string{fAPID, fURL, fTitle, fOrgHandle, fOrgName, fThemeW, fConceptW, fOffersAbout, fNeedsAbout} {
		doc.AddFieldMappingsAt(f, storedOnly())
	}
	doc.AddFieldMappingsAt(fText, textField(fallbackAnalyzer, true))
	for _, src := range sources() {
		for lang := range languages {
			doc.AddFieldMappingsAt(langField(src.kind, lang), textField(analyzerName(lang), false))
		}
		doc.AddFieldMappingsAt(themesField(src.kind), keywordField(false, false))
	}
	// Only what expires has an expiry; the publication time is a keyword
	// written to sort like a time, which indexes one term instead of a
	// date's many.
	expires := bleve.NewDateTimeFieldMapping()
	expires.Store, expires.DocValues = false, false
	doc.AddFieldMappingsAt(fExpires, expires)
	doc.AddFieldMappingsAt(fPublished, keywordField(true, true))
	// Every query names its fields: Bleve's composite "_all" field would only
	// cost indexing time.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = fallbackAnalyzer
	// Not BM25: Bleve v2.5.7 derives its average field length from the size
	// of the term dictionaries, which depends on the segments, so scores (and
	// matches) changed with the timing of indexing.
	m.ScoringModel = index.TFIDFScoring
	m.StoreDynamic, m.IndexDynamic, m.DocValuesDynamic = false, false, false
	return m
}

// keywordField is an exact value, kept whole, usable as a filter; a facet
// needs its doc values, a hit shows it when it is stored.
func keywordField(store, facet bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Analyzer = keyword.Name
	f.Store = store
	f.DocValues = facet
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	return f
}

// storedOnly is shown with a hit but never searched.
func storedOnly() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Index, f.Store = false, true
	f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false
	return f
}

// textField is searched text; a stored one is read for the snippets
// (snippet.go), which need no term vectors.
func textField(analyzer string, stored bool) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = stored
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}
