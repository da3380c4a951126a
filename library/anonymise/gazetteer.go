package anonymise

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io"
	"sort"
	"strings"
)

// data holds the gazetteers built by internal/gen: sorted, lower-case,
// gzipped word lists, one entry per line.
//
//go:embed data/*.txt.gz
var data embed.FS

// wordList is a sorted list kept as one string and the offsets of its lines:
// a few megabytes of French word forms cost one allocation, not 350,000.
type wordList struct {
	text string
	offs []uint32 // start of each entry; entries end at the next '\n'
}

func loadList(name string) wordList {
	f, err := data.Open("data/" + name)
	if err != nil {
		panic("anonymise: missing embedded " + name) // a build defect, not a run-time condition
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		panic("anonymise: corrupt embedded " + name)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		panic("anonymise: corrupt embedded " + name)
	}
	l := wordList{text: buf.String()}
	for i := 0; i < len(l.text); {
		l.offs = append(l.offs, uint32(i))
		j := strings.IndexByte(l.text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return l
}

func (l wordList) entry(i int) string {
	s := l.text[l.offs[i]:]
	if j := strings.IndexByte(s, '\n'); j >= 0 {
		return s[:j]
	}
	return s
}

// has reports whether the lower-case word w is in the list.
func (l wordList) has(w string) bool {
	i := sort.Search(len(l.offs), func(i int) bool { return l.entry(i) >= w })
	return i < len(l.offs) && l.entry(i) == w
}

// language is the language a story is written in, which decides the
// dictionary used to tell ordinary capitalised words from names.
type language int

const (
	english language = iota
	french
)

// gazetteer holds every embedded list.
type gazetteer struct {
	given, surnames, places, proper wordList
	words                           [2]wordList
	towns                           wordList // "name\tCC admin\tpopulation\tp|x", see town
}

func loadGazetteer() *gazetteer {
	return &gazetteer{
		given:    loadList("given.txt.gz"),
		surnames: loadList("surnames.txt.gz"),
		places:   loadList("places.txt.gz"),
		proper:   loadList("proper.txt.gz"),
		towns:    loadList("towns.txt.gz"),
		words:    [2]wordList{loadList("words_en.txt.gz"), loadList("words_fr.txt.gz")},
	}
}

// isName reports whether w (lower case) is a known given name or surname.
func (g *gazetteer) isName(w string) bool { return g.given.has(w) || g.surnames.has(w) }

// isWord reports whether w (lower case) is an ordinary word of lang, or of
// English in any story, since French stories quote English service names.
func (g *gazetteer) isWord(w string, lang language) bool {
	return g.words[lang].has(w) || (lang != english && g.words[english].has(w))
}

// unknownWord reports whether a lower-case word is in no list: no word of
// lang, no name, no known place or proper noun, no acronym or kept word.
func (g *gazetteer) unknownWord(w string, lang language) bool {
	if rest, ok := elided(w); ok {
		w = rest
	}
	return len(w) >= 3 && !strings.HasSuffix(w, "shire") && !g.isWord(w, lang) && !g.isName(w) && !g.places.has(w) && !g.proper.has(w) &&
		!keepWords[w] && !functionWords[w] && !timeNames[w] && !isGaelicSurname(w) && !g.isTown(w)
}

var frenchMarkers = set("le", "la", "les", "des", "est", "et", "une", "avec", "dans", "pour", "qui",
	"elle", "il", "sa", "son", "ses", "au", "aux", "du", "pas", "sur", "à")
var englishMarkers = set("the", "and", "of", "to", "is", "was", "her", "his", "with", "she", "he",
	"for", "in", "that", "a", "it", "on", "they")

// detectLanguage counts common function words.
func (g *gazetteer) detectLanguage(text string) language {
	fr, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWordRune(r) }) {
		if frenchMarkers[w] {
			fr++
		}
		if englishMarkers[w] {
			en++
		}
	}
	if fr > en {
		return french
	}
	return english
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
