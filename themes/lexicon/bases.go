package lexicon

import "strings"

// englishSuffixes are WordNet's rules of detachment ("morphy"): an ending
// and what replaces it, for nouns, verbs and adjectives.
var englishSuffixes = [][2]string{
	{"ies", "y"}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"},
	{"men", "man"}, {"s", ""}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""},
	{"ing", "e"}, {"ing", ""}, {"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"},
}

// englishBases are word and the forms it may be an inflection of, word first.
func englishBases(word string) []string {
	out := []string{word}
	for _, s := range englishSuffixes {
		if strings.HasSuffix(word, s[0]) && len(word) > len(s[0])+2 {
			out = append(out, word[:len(word)-len(s[0])]+s[1])
		}
	}
	// British spellings WordNet lists in American form only.
	if strings.Contains(word, "our") {
		out = append(out, strings.Replace(word, "our", "or", 1))
	}
	if strings.HasSuffix(word, "ise") || strings.HasSuffix(word, "isation") {
		out = append(out, strings.Replace(word, "is", "iz", 1))
	}
	return out
}

// frenchSuffixes are common French endings of plurals, feminines and verb
// forms, and what the dictionary form ends in.
var frenchSuffixes = [][2]string{
	{"aux", "al"}, {"euses", "eur"}, {"euse", "eur"}, {"rices", "eur"}, {"rice", "eur"},
	{"ées", "er"}, {"és", "er"}, {"ée", "er"}, {"é", "er"}, {"ons", "er"}, {"ez", "er"},
	{"ent", "er"}, {"ait", "er"}, {"aient", "er"}, {"ant", "er"}, {"es", "er"}, {"e", "er"},
	{"es", "e"}, {"s", ""},
	{"x", ""}, {"e", ""}, {"ives", "if"}, {"ive", "if"}, {"elles", "el"}, {"elle", "el"},
}

// frenchBases are word and the dictionary forms it may be a form of, word first.
func frenchBases(word string) []string {
	out := []string{word}
	for _, s := range frenchSuffixes {
		if strings.HasSuffix(word, s[0]) && len(word) > len(s[0])+2 {
			out = append(out, word[:len(word)-len(s[0])]+s[1])
		}
	}
	return out
}
