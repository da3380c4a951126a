// Package themes is the shared vocabulary of Commonplace: the learning topics
// organisations offer and ask about, the groups of people they support, and
// the features and elements of personalised support, each with a stable slug
// and IRI so that federated servers agree on what an offer or a need is about.
package themes

import (
	"slices"
	"strings"
)

// Version is the taxonomy version; it changes whenever a slug or IRI changes,
// so that peers can tell whether they speak the same vocabulary.
const Version = "1"

// Namespace is the IRI base of every theme; a theme's IRI is Namespace + slug.
const Namespace = "https://commonplace.citizen-network.org/ns/themes/"

// Kind says which list of the taxonomy a theme belongs to.
type Kind string

// The kinds of theme.
const (
	KindTopic   Kind = "topic"   // a learning topic: what is offered or wanted
	KindGroup   Kind = "group"   // a group of people supported
	KindFeature Kind = "feature" // one of the five features of personalised support
	KindElement Kind = "element" // a practical element of one feature
)

// Theme is one entry of the taxonomy. Its maps are shared with the taxonomy
// and must be treated as read-only.
type Theme struct {
	Slug        string              // stable, lowercase and hyphenated
	Kind        Kind                // which list it belongs to
	Labels      map[string]string   // display name by language ("en", "fr", ...)
	Description map[string]string   // one line by language
	Synonyms    map[string][]string // words and phrases by language meaning this theme
	Parent      string              // for elements, the slug of their feature; else ""
}

// IRI returns the theme's identifier as used in federated activities.
func (t Theme) IRI() string {
	return Namespace + t.Slug
}

// Label returns the theme's name in lang, a BCP 47 tag such as "fr" or
// "fr-CA", falling back to English when that language is missing.
func (t Theme) Label(lang string) string {
	return pick(t.Labels, lang)
}

// Describe returns the theme's one-line description in lang, falling back to
// English like Label.
func (t Theme) Describe(lang string) string {
	return pick(t.Description, lang)
}

// pick returns m[lang], trying the full tag, then its primary language, then "en".
func pick(m map[string]string, lang string) string {
	tag := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	if s, ok := m[tag]; ok && tag != "" {
		return s
	}
	if base, _, found := strings.Cut(tag, "-"); found {
		if s, ok := m[base]; ok {
			return s
		}
	}
	return m["en"]
}

// All returns every theme: topics, then groups, features and elements, each in
// the order of the taxonomy file. The slice is the caller's to keep.
func All() []Theme {
	return slices.Clone(taxonomy.themes)
}

// ByKind returns the themes of kind k in taxonomy order.
func ByKind(k Kind) []Theme {
	var out []Theme
	for _, t := range taxonomy.themes {
		if t.Kind == k {
			out = append(out, t)
		}
	}
	return out
}

// Lookup returns the theme with this slug.
func Lookup(slug string) (Theme, bool) {
	i, ok := taxonomy.bySlug[slug]
	if !ok {
		return Theme{}, false
	}
	return taxonomy.themes[i], true
}

// FromIRI returns the theme identified by iri, which must start with Namespace.
func FromIRI(iri string) (Theme, bool) {
	slug, ok := strings.CutPrefix(iri, Namespace)
	if !ok {
		return Theme{}, false
	}
	return Lookup(slug)
}

// Valid reports whether slug names a theme of the current taxonomy.
func Valid(slug string) bool {
	_, ok := taxonomy.bySlug[slug]
	return ok
}

// Terms returns the theme's labels and synonyms in every language, lowercased
// and without duplicates, for expanding search queries; nil for an unknown slug.
func Terms(slug string) []string {
	t, ok := Lookup(slug)
	if !ok {
		return nil
	}
	seen := make(map[string]bool)
	var out []string
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, lang := range sortedKeys(t.Labels) {
		add(t.Labels[lang])
	}
	for _, lang := range sortedKeys(t.Synonyms) {
		for _, s := range t.Synonyms[lang] {
			add(s)
		}
	}
	return out
}

// sortedKeys returns the keys of m with "en" and "fr" first, then the rest
// alphabetically, so that output built from maps is deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		switch k {
		case "en":
			return 0
		case "fr":
			return 1
		}
		return 2
	}
	slices.SortFunc(keys, func(a, b string) int {
		if r := rank(a) - rank(b); r != 0 {
			return r
		}
		return strings.Compare(a, b)
	})
	return keys
}
