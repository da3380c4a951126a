package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// wordsDiff describes the first difference between the words tokenizer's
// tokens of text and Bleve's unicode tokenizer's, or is "".
func wordsDiff(bleve analysis.Tokenizer, text string) string {
	input := []byte(text)
	got, want := words{}.Tokenize(input), bleve.Tokenize(input)
	if len(got) != len(want) {
		return fmt.Sprintf("%q: %d tokens %s, Bleve's %d %s", text, len(got), showTokens(got), len(want), showTokens(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !bytes.Equal(g.Term, w.Term) || g.Start != w.Start || g.End != w.End ||
			g.Position != w.Position || g.Type != w.Type || g.KeyWord != w.KeyWord {
			return fmt.Sprintf("%q: token %d = %s, Bleve's %s (all %s, Bleve's %s)",
				text, i, showToken(g), showToken(w), showTokens(got), showTokens(want))
		}
		// Terms are the input's bytes, not copies, as Bleve's are.
		if len(g.Term) == 0 || &g.Term[0] != &input[g.Start] || cap(g.Term) != cap(w.Term) {
			return fmt.Sprintf("%q: token %d is not input[%d:%d]", text, i, g.Start, g.End)
		}
	}
	return ""
}

func showToken(t *analysis.Token) string {
	return fmt.Sprintf("{%q %d-%d @%d type %d}", t.Term, t.Start, t.End, t.Position, t.Type)
}

func showTokens(ts analysis.TokenStream) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = showToken(t)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// wordsCases are the edge cases of UAX #29 on ASCII, and a few beyond.
var wordsCases = []struct {
	text string
	want []string // the terms, where the case checks them by hand too
}{
	{"", nil},
	{" ", nil},
	{"a", []string{"a"}},
	{"a.b", []string{"a.b"}},
	{"3.5", []string{"3.5"}},
	{"a:b", []string{"a:b"}},
	{"1:2", []string{"1", "2"}},
	{"can't", []string{"can't"}},
	{"1'000", []string{"1'000"}},
	{"_", []string{"_"}},
	{"__", []string{"__"}},
	{"a_", []string{"a_"}},
	{"_a", []string{"_a"}},
	{"_1", []string{"_1"}},
	{"1_", []string{"1_"}},
	{"1_a", []string{"1_a"}},
	{"a_1", []string{"a_1"}},
	{"1,000", []string{"1,000"}},
	{"1;000", []string{"1;000"}},
	{"a,b", []string{"a", "b"}},
	{"a;b", []string{"a", "b"}},
	{"1,000.50", []string{"1,000.50"}},
	{"1,,000", []string{"1", "000"}},
	{"a'", []string{"a"}},
	{"'a", []string{"a"}},
	{"'a'", []string{"a"}},
	{"a''b", []string{"a", "b"}},
	{"a..b", []string{"a", "b"}},
	{"a.:b", []string{"a", "b"}},
	{"1.a", []string{"1", "a"}},
	{"a.1", []string{"a", "1"}},
	{"a1.b", []string{"a1", "b"}},
	{"a1.2", []string{"a1.2"}},
	{"1a.b", []string{"1a.b"}},
	{"x1.2y", []string{"x1.2y"}},
	{"a.b1.2c", []string{"a.b1.2c"}},
	{"a_.b", []string{"a_", "b"}},
	{"a._b", []string{"a", "_b"}},
	{"1_.2", []string{"1_", "2"}},
	{"a.b.c.d", []string{"a.b.c.d"}},
	{"e.g.", []string{"e.g"}},
	{"end.", []string{"end"}},
	{"end...", []string{"end"}},
	{"3.", []string{"3"}},
	{".5", []string{"5"}},
	{"a\"b", []string{"a", "b"}},
	{"a-b", []string{"a", "b"}},
	{"a/b", []string{"a", "b"}},
	{"a\r\nb", []string{"a", "b"}},
	{"a\rb\nc\vd\fe\tf", []string{"a", "b", "c", "d", "e", "f"}},
	{"a\x00b\x7fc", []string{"a", "b", "c"}},
	{"Hello, World! It's 9:30 on 2024-01-02; pay $1,234.56 (or 7.5%).", nil},
	{"john.smith@example.org http://example.com/a_b?c=d&e=f#g", nil},
	{"  leading and trailing  ", nil},
	// Beyond ASCII, Bleve's.
	{"café", nil},
	{"naïve façade", nil},
	{"Straße 12", nil},
	{"中文字 and 日本語のテキスト", nil},
	{"emoji 👍 here", nil},
	{"curly ’quote’ don’t", nil},
	{"not utf-8 \xff here", nil},
	{"\xc3", nil},
}

func TestWordsTokenizeAsBleve(t *testing.T) {
	bleve := unicodetok.NewUnicodeTokenizer()
	for _, tc := range wordsCases {
		if d := wordsDiff(bleve, tc.text); d != "" {
			t.Error(d)
			continue
		}
		if tc.want == nil && tc.text != "" && tc.text != " " {
			continue
		}
		got := words{}.Tokenize([]byte(tc.text))
		terms := make([]string, len(got))
		for i, tok := range got {
			terms[i] = string(tok.Term)
		}
		if strings.Join(terms, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: terms %q, want %q", tc.text, terms, tc.want)
		}
	}
}

func TestWordsTypes(t *testing.T) {
	for text, want := range map[string]analysis.TokenType{
		"abc": analysis.AlphaNumeric, "a1": analysis.AlphaNumeric, "1a": analysis.AlphaNumeric,
		"_": analysis.AlphaNumeric, "a_": analysis.AlphaNumeric,
		"42": analysis.Numeric, "1,000.5": analysis.Numeric, "_1": analysis.Numeric, "1_": analysis.Numeric,
		"1_2": analysis.Numeric,
	} {
		got := words{}.Tokenize([]byte(text))
		if len(got) != 1 || got[0].Type != want {
			t.Errorf("%q: %s, want one token of type %d", text, showTokens(got), want)
		}
	}
}

// TestWordsShortStrings tries every string of up to 5 characters of an
// alphabet with one character of each class that matters.
func TestWordsShortStrings(t *testing.T) {
	const alphabet = "aZ1_.,;:'\" \r\n"
	bleve := unicodetok.NewUnicodeTokenizer()
	maxLen := 5
	if testing.Short() {
		maxLen = 4
	}
	buf := make([]byte, 0, maxLen)
	var try func() bool
	try = func() bool {
		if d := wordsDiff(bleve, string(buf)); d != "" {
			t.Error(d)
			return false
		}
		if len(buf) == maxLen {
			return true
		}
		for i := range len(alphabet) {
			buf = append(buf, alphabet[i])
			ok := try()
			buf = buf[:len(buf)-1]
			if !ok {
				return false
			}
		}
		return true
	}
	try()
}

// TestWordsRandomStrings compares the tokenizers on random strings of the
// characters that decide where words end, and a few beyond ASCII.
func TestWordsRandomStrings(t *testing.T) {
	const (
		letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		digits  = "0123456789"
		marks   = " \n\r\t\v\f_.,:;'\"-/()!?"
	)
	beyond := []string{"é", "ß", "中", "👍", "’", "\u00ad", "\xff"}
	bleve := unicodetok.NewUnicodeTokenizer()
	r := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	n, ascii := 200000, 0
	if testing.Short() {
		n = 20000
	}
	for range n {
		sb.Reset()
		for range r.IntN(41) {
			switch k := r.IntN(100); {
			case k < 35:
				sb.WriteByte(letters[r.IntN(len(letters))])
			case k < 55:
				sb.WriteByte(digits[r.IntN(len(digits))])
			case k < 99:
				sb.WriteByte(marks[r.IntN(len(marks))])
			default:
				sb.WriteString(beyond[r.IntN(len(beyond))])
			}
		}
		text := sb.String()
		if isASCII([]byte(text)) {
			ascii++
		}
		if d := wordsDiff(bleve, text); d != "" {
			t.Fatal(d)
		}
	}
	if ascii < n/2 || ascii == n {
		t.Errorf("%d of %d strings are ASCII", ascii, n)
	}
}

// TestWordsRealText compares the tokenizers on the labelled listings and the
// stories, as they are and with what is beyond ASCII replaced, so that the
// ASCII reading sees them too.
func TestWordsRealText(t *testing.T) {
	var texts []string
	for _, name := range []string{"offers.json", "needs.json", "holdout_needs.json"} {
		var listings []evalListing
		readJSON(t, name, &listings)
		for _, l := range listings {
			texts = append(texts, l.Title, l.Body, l.Title+"\n\n"+l.Body)
		}
	}
	stories, err := filepath.Glob(filepath.Join("..", "testdata", "stories", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range stories {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	for _, tc := range tokenTexts {
		texts = append(texts, tc.text)
	}
	if len(texts) < 100 {
		t.Fatalf("only %d texts", len(texts))
	}
	bleve := unicodetok.NewUnicodeTokenizer()
	ascii := 0
	for _, text := range texts {
		for _, text := range []string{text, toASCII(text)} {
			if isASCII([]byte(text)) {
				ascii++
			}
			if d := wordsDiff(bleve, text); d != "" {
				t.Error(d)
			}
		}
	}
	if ascii < len(texts) {
		t.Errorf("only %d of %d texts are ASCII", ascii, 2*len(texts))
	}
}

func TestWordsRegistered(t *testing.T) {
	tok, err := registry.NewCache().TokenizerNamed(wordsName)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tok.(words); !ok {
		t.Errorf("%s is a %T", wordsName, tok)
	}
}

// toASCII replaces the runes of s beyond ASCII with ASCII punctuation.
func toASCII(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < utf8.RuneSelf:
			return r
		case r == '‘' || r == '’':
			return '\''
		case r == '“' || r == '”':
			return '"'
		case r == '–' || r == '—':
			return '-'
		}
		return ' '
	}, s)
}

// wordsBenchText is some 500 bytes of ASCII prose.
const wordsBenchText = "Over five years we rebuilt the way we hire support workers. " +
	"Candidates spend time with the person they would support before any formal interview, " +
	"and a family member sits on every panel. Our job adverts describe the person and their " +
	"life, not a list of tasks. We can share our interview questions, scoring sheets and what " +
	"we learned about getting new people to stay past their first year: 87% of 2,350 staff " +
	"hired since 2019 are still with us, at a cost of 1.5 days' pay each. Email hr@example.org " +
	"or see the e.g. 'recruitment_pack' (v2.1) for details."

func BenchmarkWordsTokenizer(b *testing.B) {
	input := []byte(wordsBenchText)
	for _, bc := range []struct {
		name string
		tok  analysis.Tokenizer
	}{{"words", words{}}, {"bleve", unicodetok.NewUnicodeTokenizer()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			for b.Loop() {
				bc.tok.Tokenize(input)
			}
		})
	}
}
