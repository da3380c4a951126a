// Package lexicon holds the lexical data that matching and theme inference
// read to bridge words: English words related by WordNet (synonyms, words
// derived from one another, and the words a word is a kind of), and French
// and English translations from FreeDict. Both are assembled at generate
// time from Debian's packages (internal/gen) and embedded; their licences
// are in data/. Lookups are by lower-case word; the tables are loaded on the
// first lookup and are read-only after, so they are safe for concurrent use.
package lexicon

import (
	"compress/gzip"
	"embed"
	"encoding/binary"
	"io"
	"sort"
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

// table is one embedded lexicon: every line "word\tvalue,value", sorted by
// word, held as one string and found by binary search over the offsets of
// its lines: a map of the words took as much memory again as the text.
type table struct {
	once  sync.Once
	file  string
	text  string
	lines []uint32 // offset of each line, in the order of their words
}

var (
	wordnet = &table{file: "data/wordnet_en.txt.gz"}
	frEn    = &table{file: "data/fr_en.txt.gz"}
	enFr    = &table{file: "data/en_fr.txt.gz"}
)

// values returns the values of word, or nil.
func (t *table) values(word string) []string {
	t.once.Do(t.load)
	// The last line of the word, as a map filled line by line would keep.
	i := sort.Search(len(t.lines), func(i int) bool { return t.key(i) > word })
	if i == 0 || t.key(i-1) != word {
		return nil
	}
	at := int(t.lines[i-1]) + len(word) + 1
	end := strings.IndexByte(t.text[at:], '\n')
	if end < 0 {
		end = len(t.text) - at
	}
	return strings.Split(t.text[at:at+end], ",")
}

// key is the word of the i-th line.
func (t *table) key(i int) string {
	line := t.text[t.lines[i]:]
	if end := strings.IndexByte(line, '\t'); end >= 0 {
		return line[:end]
	}
	return line
}

// load reads the table into a string of its exact size (gzip records it
// at the end of the file), and notes where each line of a word starts.
func (t *table) load() {
	f, err := data.Open(t.file)
	if err != nil {
		return // the file is embedded: only a broken build gets here
	}
	defer f.Close()
	st, err := f.Stat()
	ra, ok := f.(io.ReaderAt)
	var size [4]byte
	if err != nil || !ok || st.Size() < 4 {
		return
	}
	if _, err := ra.ReadAt(size[:], st.Size()-4); err != nil {
		return
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return
	}
	var sb strings.Builder
	sb.Grow(int(binary.LittleEndian.Uint32(size[:])))
	if _, err := io.Copy(&sb, zr); err != nil {
		return
	}
	t.text = sb.String()
	t.lines = make([]uint32, 0, strings.Count(t.text, "\n")+1)
	for at := 0; at < len(t.text); {
		end := strings.IndexByte(t.text[at:], '\n')
		if end < 0 {
			end = len(t.text) - at
		}
		if tab := strings.IndexByte(t.text[at:at+end], '\t'); tab > 0 {
			t.lines = append(t.lines, uint32(at))
		}
		at += end + 1
	}
	if !sort.SliceIsSorted(t.lines, func(i, j int) bool { return t.key(i) < t.key(j) }) {
		sort.SliceStable(t.lines, func(i, j int) bool { return t.key(i) < t.key(j) })
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
