// Package lexicon holds the lexical data that matching and theme inference
// read to bridge words: English words related by WordNet (synonyms, words
// derived from one another, and the words a word is a kind of), and French
// and English translations from FreeDict. Both are assembled at generate
// time from Debian's packages (internal/gen) and embedded; their licences
// are in data/. Lookups are by lower-case word; the tables are loaded on the
// first lookup and are read-only after, so they are safe for concurrent use.
package lexicon

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"io"
	"strings"
	"sync"
)

//go:embed data/*.txt.gz
var data embed.FS

// Relation is how a word relates to another.
type Relation byte

// The relations WordNet gives.
const (
	Synonym  Relation = 's' // a word of the same sense
	Derived  Relation = 'd' // derived from it, or it from the other ("recruit", "recruitment")
	Hypernym Relation = 'h' // what it is a kind of ("personnel" for "staff")
)

// Related is a word related to another, and how.
type Related struct {
	Word     string
	Relation Relation
}

// table is one embedded lexicon: every line "word\tvalue,value", held as
// one string and found by the offset of its values.
type table struct {
	once  sync.Once
	file  string
	text  string
	index map[string]uint32
}

var (
	wordnet = &table{file: "data/wordnet_en.txt.gz"}
	frEn    = &table{file: "data/fr_en.txt.gz"}
	enFr    = &table{file: "data/en_fr.txt.gz"}
)

// values returns the values of word, or nil.
func (t *table) values(word string) []string {
	t.once.Do(t.load)
	at, ok := t.index[word]
	if !ok {
		return nil
	}
	end := strings.IndexByte(t.text[at:], '\n')
	if end < 0 {
		end = len(t.text) - int(at)
	}
	return strings.Split(t.text[at:int(at)+end], ",")
}

func (t *table) load() {
	t.index = map[string]uint32{}
	f, err := data.Open(t.file)
	if err != nil {
		return // the file is embedded: only a broken build gets here
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, bufio.NewReader(zr)); err != nil {
		return
	}
	t.text = buf.String()
	for at := 0; at < len(t.text); {
		end := strings.IndexByte(t.text[at:], '\n')
		if end < 0 {
			end = len(t.text) - at
		}
		line := t.text[at : at+end]
		if tab := strings.IndexByte(line, '\t'); tab > 0 {
			t.index[line[:tab]] = uint32(at + tab + 1)
		}
		at += end + 1
	}
}

// RelatedWords returns the English words WordNet relates to word, in its
// order (commonest sense first), trying word's base forms when word itself
// is not listed ("staffing" as "staff").
func RelatedWords(word string) []Related {
	for _, w := range englishBases(strings.ToLower(word)) {
		if vs := wordnet.values(w); vs != nil {
			out := make([]Related, 0, len(vs))
			for _, v := range vs {
				if len(v) > 2 && v[1] == ':' {
					out = append(out, Related{Word: v[2:], Relation: Relation(v[0])})
				}
			}
			return out
		}
	}
	return nil
}

// Translate returns the translations of word from one language to the
// other ("fr" to "en", or "en" to "fr"), trying its base forms when the
// word itself is not listed; nil for another pair or an unknown word.
func Translate(word, from, to string) []string {
	word = strings.ToLower(word)
	switch {
	case from == "fr" && to == "en":
		for _, w := range frenchBases(word) {
			if vs := frEn.values(w); vs != nil {
				return vs
			}
		}
	case from == "en" && to == "fr":
		for _, w := range englishBases(word) {
			if vs := enFr.values(w); vs != nil {
				return vs
			}
		}
	}
	return nil
}

// Languages are the languages Translate bridges.
var Languages = []string{"en", "fr"}
