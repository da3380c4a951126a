// Command gen builds the lexicons that package lexicon embeds, from
// Debian's packages:
//
//   - wordnet-base (WordNet 3.0, Princeton University, the WordNet 3.0
//     licence: free to use, copy and distribute with its copyright notice,
//     which data/WORDNET-LICENSE keeps): for every single English word, the
//     other words of its three commonest senses, the words its two commonest
//     senses are a kind of (hypernyms), and the words derived from it;
//   - dict-freedict-fra-eng and dict-freedict-eng-fra (FreeDict 2022.04.21,
//     GNU GPL 2 or later, data/FREEDICT-LICENSE): French words and their
//     English translations, both ways, each dictionary also read backwards.
//
// The build never runs it: its output is committed. To regenerate, from the
// repository root:
//
//	apt-get install -y wordnet-base dict-freedict-fra-eng dict-freedict-eng-fra
//	go run ./themes/lexicon/internal/gen
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	wordnet := flag.String("wordnet", "/usr/share/wordnet", "folder of WordNet's index.* and data.* files")
	dictd := flag.String("dictd", "/usr/share/dictd", "folder of the FreeDict dictd files")
	out := flag.String("out", "themes/lexicon/data", "folder to write the lexicons to")
	flag.Parse()
	if err := run(*wordnet, *dictd, *out); err != nil {
		log.Fatal(err)
	}
}

func run(wordnet, dictd, out string) error {
	related, err := readWordNet(wordnet)
	if err != nil {
		return err
	}
	if err := write(filepath.Join(out, "wordnet_en.txt.gz"), related); err != nil {
		return err
	}
	fe, err := readDictd(filepath.Join(dictd, "freedict-fra-eng"))
	if err != nil {
		return err
	}
	ef, err := readDictd(filepath.Join(dictd, "freedict-eng-fra"))
	if err != nil {
		return err
	}
	// Each dictionary first in its own direction; eng-fra is the poorer of
	// the two, so English words take fra-eng's answers first.
	frEn, enFr := merge(fe, reverse(ef)), merge(reverse(fe), ef)
	if err := write(filepath.Join(out, "fr_en.txt.gz"), frEn); err != nil {
		return err
	}
	return write(filepath.Join(out, "en_fr.txt.gz"), enFr)
}

// write writes "word\trelated,related" lines, sorted, gzipped.
func write(path string, m map[string][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(zw)
	for _, k := range slices.Sorted(mapsKeys(m)) {
		if len(m[k]) > 0 {
			fmt.Fprintf(w, "%s\t%s\n", k, strings.Join(m[k], ","))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("%s: %d words", path, len(m))
	return f.Close()
}

func mapsKeys(m map[string][]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// synset is one WordNet sense: its words and its pointers.
type synset struct {
	words    []string
	hypernym []string // offsets of the synsets it is a kind of
	similar  []string // adjectives: offsets of similar senses
	derived  []derivation
}

// derivation is a lexical pointer from one word of a synset to one word of another.
type derivation struct {
	from   int // index of the word in this synset, from 0
	offset string
	pos    string
	to     int // index of the word in the target synset
}

// Limits of what is kept per word.
const (
	synonymSenses  = 3
	hypernymSenses = 2
	maxRelated     = 16
)

// readWordNet returns, for every single lower-case English word, its
// related words prefixed with their relation: "s:" synonym, "d:" derived,
// "h:" hypernym.
func readWordNet(dir string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, pos := range []string{"noun", "verb", "adj", "adv"} {
		data, err := readData(filepath.Join(dir, "data."+pos))
		if err != nil {
			return nil, err
		}
		idx, err := readIndex(filepath.Join(dir, "index."+pos))
		if err != nil {
			return nil, err
		}
		for _, e := range idx {
			for i, off := range e.offsets {
				ss, ok := data[off]
				if !ok {
					continue
				}
				if i < synonymSenses {
					addAll(out, e.lemma, "s:", ss.words)
					for _, sim := range ss.similar {
						addAll(out, e.lemma, "s:", data[sim].words)
					}
				}
				if i < hypernymSenses {
					for _, h := range ss.hypernym {
						addAll(out, e.lemma, "h:", data[h].words)
					}
				}
				for _, d := range ss.derived {
					if d.from < len(ss.words) && ss.words[d.from] == e.lemma {
						if t, ok := data[d.offset]; ok && d.to < len(t.words) {
							addAll(out, e.lemma, "d:", t.words[d.to:d.to+1])
						}
					}
				}
			}
		}
	}
	return out, nil
}

// addAll adds the single words of words, but word itself, to out[word].
func addAll(out map[string][]string, word, rel string, words []string) {
	if !single(word) {
		return
	}
	for _, w := range words {
		if w == word || !single(w) || len(out[word]) >= maxRelated {
			continue
		}
		v := rel + w
		if !slices.ContainsFunc(out[word], func(x string) bool { return x[2:] == w }) {
			out[word] = append(out[word], v)
		}
	}
}

// single reports whether w is one lower-case word of letters.
func single(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

// indexEntry is a lemma and its senses, commonest first.
type indexEntry struct {
	lemma   string
	offsets []string
}

func readIndex(path string) ([]indexEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []indexEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, " ") {
			continue // licence header
		}
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		nptr, _ := strconv.Atoi(f[3])
		nsense, _ := strconv.Atoi(f[2])
		start := 4 + nptr + 2
		if start+nsense > len(f) {
			continue
		}
		out = append(out, indexEntry{lemma: f[0], offsets: f[start : start+nsense]})
	}
	return out, sc.Err()
}

func readData(path string) (map[string]synset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]synset{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, " ") {
			continue
		}
		if i := strings.Index(line, " | "); i >= 0 {
			line = line[:i]
		}
		fs := strings.Fields(line)
		if len(fs) < 4 {
			continue
		}
		n, _ := strconv.ParseInt(fs[3], 16, 32)
		var ss synset
		p := 4
		for i := 0; i < int(n) && p+1 < len(fs); i++ {
			w := strings.ToLower(fs[p])
			if j := strings.IndexByte(w, '('); j > 0 { // adjective markers: (a), (p)
				w = w[:j]
			}
			ss.words = append(ss.words, w)
			p += 2
		}
		if p >= len(fs) {
			out[fs[0]] = ss
			continue
		}
		nptr, _ := strconv.Atoi(fs[p])
		p++
		for i := 0; i < nptr && p+3 < len(fs); i++ {
			sym, off, pos, st := fs[p], fs[p+1], fs[p+2], fs[p+3]
			p += 4
			switch {
			case sym == "@" || sym == "@i":
				ss.hypernym = append(ss.hypernym, off)
			case sym == "&":
				ss.similar = append(ss.similar, off)
			case sym == "+" && st != "0000":
				src, _ := strconv.ParseInt(st[:2], 16, 32)
				dst, _ := strconv.ParseInt(st[2:], 16, 32)
				if src > 0 && dst > 0 {
					ss.derived = append(ss.derived, derivation{from: int(src) - 1, offset: off, pos: pos, to: int(dst) - 1})
				}
			}
		}
		out[fs[0]] = ss
	}
	return out, sc.Err()
}

// readDictd reads a dictd dictionary (name.index and name.dict.dz) into
// headword -> translations.
func readDictd(name string) (map[string][]string, error) {
	z, err := os.Open(name + ".dict.dz")
	if err != nil {
		return nil, err
	}
	defer z.Close()
	zr, err := gzip.NewReader(z)
	if err != nil {
		return nil, err
	}
	var body strings.Builder
	if _, err := bufio.NewReader(zr).WriteTo(&body); err != nil {
		return nil, err
	}
	text := body.String()
	idx, err := os.ReadFile(name + ".index")
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(idx), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || strings.HasPrefix(f[0], "00database") {
			continue
		}
		off, size := b64(f[1]), b64(f[2])
		if off < 0 || size < 0 || off+size > len(text) {
			continue
		}
		head := strings.ToLower(strings.TrimSpace(f[0]))
		for _, tr := range translations(text[off : off+size]) {
			if !slices.Contains(out[head], tr) {
				out[head] = append(out[head], tr)
			}
		}
	}
	return out, nil
}

// b64 decodes dictd's base-64 numbers.
func b64(s string) int {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	n := 0
	for _, c := range s {
		i := strings.IndexRune(alphabet, c)
		if i < 0 {
			return -1
		}
		n = n*64 + i
	}
	return n
}

var (
	numbered = regexp.MustCompile(`^\d+\.\s*`)
	noted    = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]|<[^>]*>`)
)

// translations are the translations of one entry: every line but the
// first (the headword, its pronunciation and part of speech), split at
// commas and semicolons, notes in brackets left out.
func translations(entry string) []string {
	lines := strings.Split(entry, "\n")
	var out []string
	for _, l := range lines[1:] {
		l = numbered.ReplaceAllString(strings.TrimSpace(l), "")
		l = noted.ReplaceAllString(l, "")
		for _, t := range strings.FieldsFunc(l, func(r rune) bool { return r == ',' || r == ';' }) {
			t = strings.ToLower(strings.TrimSpace(t))
			t = strings.TrimPrefix(strings.TrimPrefix(t, "to "), "the ")
			if t != "" && len(strings.Fields(t)) <= 3 && !strings.ContainsAny(t, "\t\"") {
				out = append(out, t)
			}
		}
	}
	return out
}

// reverse reads a dictionary backwards: each translation of one word
// becomes a headword translated by the words it translates.
func reverse(m map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, k := range slices.Sorted(mapsKeys(m)) {
		for _, v := range m[k] {
			if !slices.Contains(out[v], k) {
				out[v] = append(out[v], k)
			}
		}
	}
	return out
}

// merge adds b's translations after a's.
func merge(a, b map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, vs := range a {
		out[k] = append(out[k], vs...)
	}
	for k, vs := range b {
		for _, v := range vs {
			if !slices.Contains(out[k], v) && len(out[k]) < maxRelated {
				out[k] = append(out[k], v)
			}
		}
	}
	return out
}
