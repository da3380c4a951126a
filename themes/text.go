package themes

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldTable maps accented and ligature letters of the Latin alphabet to plain
// ASCII, so that "é", "É" and "e" match alike; other scripts pass through.
var foldTable = func() map[rune]string {
	groups := map[string]string{
		"a": "àáâãäåāą", "c": "çćč", "e": "èéêëēėęě", "i": "ìíîïī", "n": "ñń",
		"o": "òóôõöøō", "u": "ùúûüūů", "y": "ýÿ", "s": "śšș", "z": "źżž",
		"l": "ł", "d": "đď", "t": "ťț", "r": "ř", "g": "ğ",
		"ae": "æ", "oe": "œ", "ss": "ß",
	}
	m := make(map[rune]string)
	for plain, accented := range groups {
		for _, r := range accented {
			m[r] = plain
		}
	}
	return m
}()

// glue words carry no meaning of their own and vary freely inside a phrase
// ("fonds de services" / "fonds des services", "their own home" / "his own
// home"), so they are dropped from both the terms and the text.
var glue = func() map[string]bool {
	words := strings.Fields(`
		the a an of their his her our my your its this these
		le la les un une des du de leur leurs son sa ses notre nos votre vos mon ma mes ce cet cette ces
		el los las una del su sus der die das den dem ein eine einen het een van`)
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}()

// normalise appends to dst the text lowercased, with accents folded and every
// run of characters other than letters and digits turned into one space.
func normalise(dst []byte, s string) []byte {
	space := true
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			dst = append(dst, byte(r))
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			dst = append(dst, byte(r+'a'-'A'))
		case r >= utf8.RuneSelf && unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if f, ok := foldTable[r]; ok {
				dst = append(dst, f...)
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		default:
			if !space {
				dst = append(dst, ' ')
			}
			space = true
			continue
		}
		space = false
	}
	return dst
}

// eachStem calls fn with the stem of every meaningful word of a normalised
// text, in order. Stems are slices of norm, which eachStem rewrites in place.
func eachStem(norm []byte, fn func(stem []byte)) {
	for len(norm) > 0 {
		i := bytes.IndexByte(norm, ' ')
		if i < 0 {
			i = len(norm)
		}
		word := norm[:i]
		norm = norm[min(i+1, len(norm)):]
		if len(word) < 2 || glue[string(word)] {
			continue
		}
		fn(stem(word))
	}
}

// stems returns the stems of s; it is the slow, allocating form of eachStem
// used when building the index.
func stems(s string) []string {
	var out []string
	eachStem(normalise(nil, s), func(st []byte) { out = append(out, string(st)) })
	return out
}

// suffixes are stripped at most once per word, longest first, when at least
// keep letters remain. The stemmer only needs to send a word and its usual
// variants in English and French ("recruiting", "recruitment", "recrutement",
// "recrutez", "recrutent") to the same key; it never has to produce a real root. The
// minimum lengths keep short words apart: "donation" is not "don", "care" not "car".
var suffixes = []struct {
	suf      string
	keep     int
	collapse bool // planning -> plann -> plan
}{
	{"ement", 4, false}, {"ation", 5, false}, {"ment", 4, false}, {"ent", 5, false}, {"ing", 4, true},
	{"ate", 4, false}, {"ed", 4, true}, {"er", 4, false}, {"ez", 4, false},
	{"ee", 4, false}, {"e", 4, false},
}

// stem reduces a lowercase ASCII-folded word to its key, rewriting it in place.
func stem(w []byte) []byte {
	if len(w) <= 3 {
		return w
	}
	for i := 0; i+1 < len(w); i++ { // organize -> organise
		if w[i] == 'i' && w[i+1] == 'z' {
			w[i+1] = 's'
		}
	}
	w = stripPlural(w)
	for _, s := range suffixes {
		if len(w)-len(s.suf) >= s.keep && string(w[len(w)-len(s.suf):]) == s.suf {
			w = w[:len(w)-len(s.suf)]
			if n := len(w); s.collapse && w[n-1] == w[n-2] && strings.IndexByte("aeioulfsz", w[n-1]) < 0 {
				w = w[:n-1]
			}
			break
		}
	}
	return w
}

// stripPlural removes English and French plural endings.
func stripPlural(w []byte) []byte {
	n := len(w)
	switch {
	case n > 4 && string(w[n-3:]) == "ies":
		w[n-3] = 'y'
		return w[:n-2]
	case n > 4 && string(w[n-3:]) == "aux":
		w[n-2] = 'l'
		return w[:n-1]
	case w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i':
		return w[:n-1]
	}
	return w
}
