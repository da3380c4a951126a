package search

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/citizen-network/commonplace/library"
)

// textFieldFor is the field a kind's text in lang is searched in: its own
// analysis when the language has one, else the any-language field (which
// holds every kind).
func textFieldFor(kind library.ObjectKind, lang string) (field, analyzer string) {
	p := primaryLanguage(lang)
	if analysedLanguage(p) {
		return langField(kind, p), analyzerName(p)
	}
	return fText, fallbackAnalyzer
}

// analyzerFor is the analyzer of a language.
func analyzerFor(lang string) string {
	if p := primaryLanguage(lang); analysedLanguage(p) {
		return analyzerName(p)
	}
	return fallbackAnalyzer
}

// weightedTerm is a word of a text with its weight for finding similar texts.
type weightedTerm struct {
	term   string
	weight float64
}

// boilerplate are the words every need and every offer uses ("we want to
// learn", "we can share", "people we support"): they say nothing about what
// a listing is about, so they never make two listings alike. They stay
// searchable; they are only left out of the words a match is sought by.
var boilerplate = strings.Fields(`
	want wants wanted learn learning share sharing shared help helps helping helped
	support supports supported supporting people person organisation organisations
	organization organizations would like can could us we our know how what who
	others other everyone everybody anyone someone something need needs needed
	offer offers happy glad way ways really real also many much more most make
	get good new time times year years one two three four five able use used
	veut voulons souhaitons souhaite cherchons chercher apprendre partager
	partageons aider aidons personne personnes nous notre nos comment autres
	expérience plusieurs beaucoup aussi faire peut pouvons idées`)

// boilerplateByAnalyzer caches the analysed boilerplate of each analyzer.
var boilerplateByAnalyzer sync.Map

// boilerplateTerms is the boilerplate as analyzer turns it into terms.
func boilerplateTerms(name string, a analysis.Analyzer) map[string]bool {
	if v, ok := boilerplateByAnalyzer.Load(name); ok {
		return v.(map[string]bool)
	}
	out := map[string]bool{}
	for _, tok := range a.Analyze([]byte(strings.Join(boilerplate, " "))) {
		out[string(tok.Term)] = true
	}
	boilerplateByAnalyzer.Store(name, out)
	return out
}

// docFreqs returns how many documents hold each term in field, and under ""
// the number of documents; on any failure it returns what it has.
func docFreqs(ctx context.Context, idx bleve.Index, field string, terms map[string]int) map[string]uint64 {
	out := map[string]uint64{}
	r, err := openReader(idx)
	if err != nil {
		return out
	}
	defer r.Close()
	if n, err := r.DocCount(); err == nil {
		out[""] = n
	}
	for term := range terms {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			continue
		}
		out[term] = tfr.Count()
		_ = tfr.Close()
	}
	return out
}

// idf is the rarity of a term held by d of total documents (BM25's form,
// never negative).
func idf(total float64, d uint64) float64 {
	return math.Log(1 + (total-float64(d)+0.5)/(float64(d)+0.5))
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// errIndexClosed is what a reader of an index closed meanwhile (by a swap
// after a rebuild, or at shutdown) gets.
var errIndexClosed = errors.New("search: index closed")

// openReader opens a reader of idx's current snapshot. Scorch hands out a
// nil snapshot once the index is closed, which would panic on first use.
func openReader(idx bleve.Index) (bindex.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok && snap == nil {
		return nil, errIndexClosed
	}
	return r, nil
}
