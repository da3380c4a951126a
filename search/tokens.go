package search

import (
	"maps"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Analysing text is most of the cost of indexing, and texts are analysed
// again for concepts and for matching: the two helpers here do what Bleve's
// letter tokenizer and stemmers do, at less cost.

// lettersName is the tokenizer of the languages' analyses.
const lettersName = "commonplace_letters"

// letters finds runs of letters, exactly as Bleve's "letter" tokenizer does,
// but allocates for the words of the text rather than a buffer of 1,024
// tokens for every text, which made a fifth of the garbage of indexing.
type letters struct{}

// Tokenize returns the runs of letters of input. Like Bleve's, it stops at
// the first byte that is not UTF-8.
func (letters) Tokenize(input []byte) analysis.TokenStream {
	tokens := make([]analysis.Token, 0, len(input)/6+1)
	offset, start, end := 0, 0, 0
	for r, size := utf8.DecodeRune(input); r != utf8.RuneError; r, size = utf8.DecodeRune(input[offset:]) {
		if unicode.IsLetter(r) {
			end = offset + size
		} else {
			tokens = appendToken(tokens, input, start, end)
			start = offset + size
			end = start
		}
		offset += size
	}
	tokens = appendToken(tokens, input, start, end)
	out := make(analysis.TokenStream, len(tokens))
	for i := range tokens {
		out[i] = &tokens[i]
	}
	return out
}

// appendToken adds input[start:end] as the next token, when it is not empty.
func appendToken(tokens []analysis.Token, input []byte, start, end int) []analysis.Token {
	if end <= start {
		return tokens
	}
	return append(tokens, analysis.Token{Term: input[start:end], Start: start, End: end,
		Position: len(tokens) + 1, Type: analysis.AlphaNumeric})
}

// maxStems bounds the words a stemCache remembers.
const maxStems = 50000

// stemCache remembers the stems of the words a stemmer has seen: a few
// thousand words make up most of any text. A stem depends on the word alone,
// so the result is the stemmer's. Every writer of the index looks up every
// word: the stems are read from a map that never changes, without a lock
// (a lock, or a sync.Map, cost more than stemming), and new ones wait in a
// small map until there are enough of them to make a new one.
type stemCache struct {
	stemmer analysis.TokenFilter
	frozen  atomic.Pointer[map[string][]byte] // never modified, nor are the stems
	mu      sync.Mutex
	fresh   map[string][]byte // stems not yet in frozen
}

// Filter stems the tokens, from the cache when it can.
func (c *stemCache) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if t.KeyWord {
			c.stemmer.Filter(analysis.TokenStream{t})
			continue
		}
		if stem, ok := c.lookup(t.Term); ok {
			t.Term = stem
			continue
		}
		word := string(t.Term)
		c.stemmer.Filter(analysis.TokenStream{t})
		c.remember(word, t.Term)
	}
	return in
}

// lookup returns the stem of word, if the cache has it.
func (c *stemCache) lookup(word []byte) ([]byte, bool) {
	if m := c.frozen.Load(); m != nil {
		if stem, ok := (*m)[string(word)]; ok {
			return stem, true
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	stem, ok := c.fresh[string(word)]
	return stem, ok
}

// remember files a stem, and makes a new frozen map once the fresh stems
// number an eighth of the frozen ones, so that the copying stays in
// proportion to the stems.
func (c *stemCache) remember(word string, stem []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	frozen := map[string][]byte{}
	if m := c.frozen.Load(); m != nil {
		frozen = *m
	}
	if len(frozen)+len(c.fresh) >= maxStems {
		return
	}
	if c.fresh == nil {
		c.fresh = map[string][]byte{}
	}
	c.fresh[word] = stem
	if len(c.fresh) >= max(64, len(frozen)/8) {
		next := make(map[string][]byte, len(frozen)+len(c.fresh))
		maps.Copy(next, frozen)
		maps.Copy(next, c.fresh)
		c.frozen.Store(&next)
		clear(c.fresh)
	}
}
