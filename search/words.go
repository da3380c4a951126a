package search

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// wordsName is the tokenizer of the any-language analysis.
const wordsName = "commonplace_words"

func init() {
	must(registry.RegisterTokenizer(wordsName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return words{}, nil
	}))
}

// unicodeWords is Bleve's Unicode tokenizer, which words falls back on.
var unicodeWords = unicodetok.NewUnicodeTokenizer()

// words finds words exactly as Bleve's "unicode" tokenizer does (UAX #29 word
// boundaries, by github.com/blevesearch/segment v0.9.1), but reads ASCII
// texts, most of them, itself: Bleve's runs a large state machine over every
// byte and allocates as it goes. A text with any byte beyond ASCII goes to
// Bleve's tokenizer, so that every other script is Bleve's by construction.
//
// On ASCII, segment's word breaking comes to this. The word characters are
// letters (ALetter: A-Z, a-z), digits (Numeric: 0-9) and '_' (ExtendNumLet);
// any run of them, in any order, is one word. A word goes on across one ':'
// (MidLetter) between two letters, one ',' or ';' (MidNum) between two
// digits, and one '.' (MidNumLet) or apostrophe (Single_Quote) between two
// letters or two digits; not between a letter and a digit, nor next to '_',
// nor two in a row: "a.b", "can't", "3.5", "1,000" and "x1.2y" are one word,
// "a.1", "1.a", "a_.b" and "a..b" are two. The word is the longest such run
// from where it starts, so a trailing mark ("end.") is not part of it. Every
// other byte, '"' included, is a segment of its own, and so are "\r\n" and
// each of '\r', '\n', '\v' and '\f'; Bleve drops those segments (type None).
// A word with no letters but a digit ("42", "1,000", "_1", "1_") is Numeric,
// any other ("abc", "a1", "_") AlphaNumeric. Positions count the words only,
// from 1; Start and End are byte offsets; Term is input[Start:End], not a
// copy.
type words struct{}

// Classes of the bytes: the word characters, as bits that the mid table
// below shares.
const (
	wordLetter = 1 << iota
	wordDigit
	wordJoiner // '_'
)

// wordClass is the class of each byte, 0 for those that end a word.
// wordMid is, for the characters that may join two word characters, the
// class of the characters they may join: letters, digits or both.
var wordClass, wordMid [256]uint8

func init() {
	for b := 'a'; b <= 'z'; b++ {
		wordClass[b] = wordLetter
		wordClass[b-'a'+'A'] = wordLetter
	}
	for b := '0'; b <= '9'; b++ {
		wordClass[b] = wordDigit
	}
	wordClass['_'] = wordJoiner
	wordMid[':'] = wordLetter
	wordMid[','] = wordDigit
	wordMid[';'] = wordDigit
	wordMid['.'] = wordLetter | wordDigit
	wordMid['\''] = wordLetter | wordDigit
}

// Tokenize returns the words of input, as Bleve's unicode tokenizer does.
func (words) Tokenize(input []byte) analysis.TokenStream {
	// Count the runs of word characters, at least as many as the words (a
	// mid character joins two runs), and check that the text is ASCII.
	runs := 0
	var prev uint8
	for _, b := range input {
		if b >= utf8.RuneSelf {
			return unicodeWords.Tokenize(input)
		}
		in := wordClass[b]
		if in != 0 && prev == 0 {
			runs++
		}
		prev = in
	}
	if runs == 0 {
		return analysis.TokenStream{}
	}
	tokens := make([]analysis.Token, runs)
	k := 0
	n := len(input)
	for i := 0; i < n; {
		class := wordClass[input[i]]
		if class == 0 {
			i++
			continue
		}
		start, seen := i, class
		for i++; i < n; i++ {
			c := wordClass[input[i]]
			if c == 0 {
				// A mid character between two letters or two digits.
				if i+1 < n && wordMid[input[i]]&class&wordClass[input[i+1]] != 0 {
					i++
					c = class // the same as the next
				} else {
					break
				}
			}
			class = c
			seen |= c
		}
		typ := analysis.AlphaNumeric
		if seen&(wordLetter|wordDigit) == wordDigit {
			typ = analysis.Numeric
		}
		t := &tokens[k]
		k++
		t.Term, t.Start, t.End, t.Position, t.Type = input[start:i], start, i, k, typ
	}
	out := make(analysis.TokenStream, k)
	for i := range out {
		out[i] = &tokens[i]
	}
	return out
}
