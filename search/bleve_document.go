package search

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
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
	keyword  bool // its analysis keeps each value whole
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
			spec := fieldSpec{datetime: fm.Type == "datetime", keyword: fm.Analyzer == keyword.Name, options: fm.Options()}
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
			if spec.keyword && !spec.options.IsStored() {
				if len(x) > 0 {
					doc.AddField(newKeywords(name, spec.options, x))
				}
				continue
			}
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

// addText adds a text field, analysed by a; a keyword is one word, and
// needs no analysis.
func (spec fieldSpec) addText(doc *bleveDoc.Document, name string, positions []uint64, text string, a analysis.Analyzer) error {
	switch {
	case spec.datetime:
		return fmt.Errorf("a time is expected")
	case spec.keyword && positions == nil:
		doc.AddField(newKeywords(name, spec.options, []string{text}))
	case spec.options.IncludeTermVectors():
		doc.AddField(bleveDoc.NewTextFieldCustom(name, positions, []byte(text), spec.options, a))
	default:
		doc.AddField(&analysedText{name: name, positions: positions, options: spec.options, value: []byte(text), analyzer: a})
	}
	return nil
}

// analysedText is a text analysed into words, as Bleve's text field without
// term vectors, whose words it counts in one allocation rather than one a
// word: the counts of the texts were a fifth of the garbage of a rebuild.
type analysedText struct {
	name      string
	positions []uint64
	options   index.FieldIndexingOptions
	value     []byte
	analyzer  analysis.Analyzer
	words     index.TokenFrequencies
	length    int
}

// Analyze finds the words of the text and counts them. Analysis may change
// the bytes it reads, so a stored text is analysed from a copy.
func (f *analysedText) Analyze() {
	text := f.value
	if f.options.IsStored() {
		text = slices.Clone(text)
	}
	tokens := f.analyzer.Analyze(text)
	f.length = len(tokens)
	f.words = countWords(len(tokens), func(i int) []byte { return tokens[i].Term }, f.options)
}

// countWords counts n words, the i-th of them term(i), into one allocation
// (unless the field skips counts, as Bleve does).
func countWords(n int, term func(i int) []byte, options index.FieldIndexingOptions) index.TokenFrequencies {
	words := make(index.TokenFrequencies, n)
	freqs := make([]index.TokenFreq, n)
	for i := range n {
		t := term(i)
		tf, ok := words[string(t)]
		if !ok {
			tf = &freqs[i]
			tf.Term = t
			words[string(t)] = tf
		}
		if !options.SkipFreqNorm() {
			tf.SetFrequency(tf.Frequency() + 1)
		}
	}
	return words
}

func (f *analysedText) Name() string                                     { return f.name }
func (f *analysedText) ArrayPositions() []uint64                         { return f.positions }
func (f *analysedText) Options() index.FieldIndexingOptions              { return f.options }
func (f *analysedText) Value() []byte                                    { return f.value }
func (f *analysedText) NumPlainTextBytes() uint64                        { return uint64(len(f.value)) }
func (f *analysedText) EncodedFieldType() byte                           { return 't' }
func (f *analysedText) AnalyzedLength() int                              { return f.length }
func (f *analysedText) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.words }

// Size is about what the field holds in memory, for Bleve's statistics.
func (f *analysedText) Size() int { return 96 + len(f.name) + 2*len(f.value) + len(f.words)*sizeOfWord }

// keywords is a field of exact values, each of them one word of the field,
// as the keyword analysis makes it: a single value, or the values of a list
// that is not stored. The index merges the values of a list into one field
// anyway, unless it stores them one by one; made as one, with its words
// counted, it costs less.
type keywords struct {
	name    string
	options index.FieldIndexingOptions
	value   []byte
	words   index.TokenFrequencies
	length  int
	bytes   uint64
}

// newKeywords is the field of the values (one at least).
func newKeywords(name string, options index.FieldIndexingOptions, values []string) *keywords {
	terms := make([][]byte, len(values))
	var bytes uint64
	for i, v := range values {
		terms[i] = []byte(v)
		bytes += uint64(len(v))
	}
	words := countWords(len(terms), func(i int) []byte { return terms[i] }, options)
	return &keywords{name: name, options: options, value: terms[0], words: words, length: len(values), bytes: bytes}
}

func (f *keywords) Name() string                                     { return f.name }
func (f *keywords) ArrayPositions() []uint64                         { return nil }
func (f *keywords) Options() index.FieldIndexingOptions              { return f.options }
func (f *keywords) Analyze()                                         {}
func (f *keywords) Value() []byte                                    { return f.value }
func (f *keywords) NumPlainTextBytes() uint64                        { return f.bytes }
func (f *keywords) EncodedFieldType() byte                           { return 't' }
func (f *keywords) AnalyzedLength() int                              { return f.length }
func (f *keywords) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.words }

// Size is about what the field holds in memory, for Bleve's statistics.
func (f *keywords) Size() int { return 64 + len(f.name) + int(f.bytes) + len(f.words)*sizeOfWord }

// sizeOfWord is about the memory of a counted word besides its bytes: its
// entry in the map and its count. Bleve measures the size of every document
// it analyses, for its statistics only; walking every word's map entry to
// measure it exactly cost 2% of a rebuild.
const sizeOfWord = 96
