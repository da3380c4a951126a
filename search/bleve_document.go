package search

import (
	"fmt"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveDoc "github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// Documents go into the index as Bleve documents made here from the field
// mappings of buildMapping, rather than by Bleve's walk of a map by
// reflection (mapping.MapDocument): the same fields with the same options
// and analysis (a test holds the two equal) at less cost, and a text that
// was analysed already, for its concepts, is not analysed again.

// analysed is a text with its words as the analyzer of its field makes them.
type analysed struct {
	text   string
	tokens analysis.TokenStream
}

// fixedTokens is the analyzer of an analysed text: it returns its words.
type fixedTokens analysis.TokenStream

// Analyze returns the words analysed beforehand.
func (f fixedTokens) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(f) }

// fieldSpec is how a field of the mapping is indexed.
type fieldSpec struct {
	datetime bool
	options  index.FieldIndexingOptions
	analyzer analysis.Analyzer
}

// fieldSpecs are the fields of buildMapping by name, with their analyzers
// from the cache that concepts use.
var fieldSpecs = sync.OnceValues(func() (map[string]fieldSpec, error) {
	m := buildMapping()
	out := map[string]fieldSpec{}
	for name, sub := range m.DefaultMapping.Properties {
		for _, fm := range sub.Fields {
			spec := fieldSpec{datetime: fm.Type == "datetime", options: fm.Options()}
			if fm.Type == "text" {
				an := fm.Analyzer
				if an == "" {
					an = m.DefaultAnalyzer
				}
				a, err := analyzers.AnalyzerNamed(an)
				if err != nil {
					return nil, fmt.Errorf("search: analyzer of field %s: %w", name, err)
				}
				spec.analyzer = a
			}
			out[name] = spec
		}
	}
	return out, nil
})

// bleveDocument is the Bleve document of d: a field for each string, for
// each item of a list of strings (at its position in the list), for each
// time and each analysed text.
func bleveDocument(id string, d document) (*bleveDoc.Document, error) {
	specs, err := fieldSpecs()
	if err != nil {
		return nil, err
	}
	doc := bleveDoc.NewDocument(id)
	for name, v := range d {
		spec, ok := specs[name]
		if !ok {
			return nil, fmt.Errorf("search: field %s of %s is not in the mapping", name, id)
		}
		switch x := v.(type) {
		case nil:
		case string:
			err = spec.addText(doc, name, nil, x, spec.analyzer)
		case []string:
			for i, s := range x {
				if err = spec.addText(doc, name, []uint64{uint64(i)}, s, spec.analyzer); err != nil {
					break
				}
			}
		case analysed:
			err = spec.addText(doc, name, nil, x.text, fixedTokens(x.tokens))
		case time.Time:
			if !spec.datetime {
				return nil, fmt.Errorf("search: field %s of %s is not a time", name, id)
			}
			var f *bleveDoc.DateTimeField
			f, err = bleveDoc.NewDateTimeFieldWithIndexingOptions(name, nil, x, time.RFC3339, spec.options)
			if err == nil {
				doc.AddField(f)
			}
		default:
			return nil, fmt.Errorf("search: field %s of %s has a value of type %T", name, id, v)
		}
		if err != nil {
			return nil, fmt.Errorf("search: field %s of %s: %w", name, id, err)
		}
	}
	doc.SetIndexed()
	return doc, nil
}

// addText adds a text field, analysed by a.
func (spec fieldSpec) addText(doc *bleveDoc.Document, name string, positions []uint64, text string, a analysis.Analyzer) error {
	if spec.datetime {
		return fmt.Errorf("a time is expected")
	}
	doc.AddField(bleveDoc.NewTextFieldCustom(name, positions, []byte(text), spec.options, a))
	return nil
}
