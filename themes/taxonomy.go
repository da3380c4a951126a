package themes

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
)

// taxonomyJSON is the data file; it lives beside the code so that a change of
// vocabulary is reviewed like a change of code and ships inside the binary.
//
//go:embed taxonomy.json
var taxonomyJSON []byte

// taxonomy is parsed once at start-up and never modified afterwards.
var taxonomy = mustLoad(taxonomyJSON)

// errMalformed marks a taxonomy file that cannot be used.
var errMalformed = errors.New("themes: malformed taxonomy")

// fileTheme is one theme as written in taxonomy.json. Strong and weak terms
// are synonyms too; they only change how much a match counts in Infer.
type fileTheme struct {
	Slug        string              `json:"slug"`
	Kind        Kind                `json:"kind"`
	Parent      string              `json:"parent,omitempty"`
	Labels      map[string]string   `json:"labels"`
	Description map[string]string   `json:"description"`
	Synonyms    map[string][]string `json:"synonyms,omitempty"`
	Strong      map[string][]string `json:"strong,omitempty"`
	Weak        map[string][]string `json:"weak,omitempty"`
}

// file is the whole of taxonomy.json.
type file struct {
	Version string      `json:"version"`
	Themes  []fileTheme `json:"themes"`
}

// catalogue is the loaded taxonomy with its lookup tables and inference index.
type catalogue struct {
	themes []Theme
	bySlug map[string]int
	index  *index
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// mustLoad parses the embedded taxonomy; a broken file is a build mistake, so
// it panics rather than letting the server start with no vocabulary.
func mustLoad(data []byte) *catalogue {
	c, err := load(data)
	if err != nil {
		panic(err)
	}
	return c
}

// load parses and checks a taxonomy file and builds its lookup tables.
func load(data []byte) (*catalogue, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %v", errMalformed, err)
	}
	if err := check(f); err != nil {
		return nil, err
	}
	c := &catalogue{bySlug: make(map[string]int, len(f.Themes))}
	for i, ft := range f.Themes {
		c.themes = append(c.themes, ft.theme())
		c.bySlug[ft.Slug] = i
	}
	c.index = buildIndex(f.Themes)
	return c, nil
}

// theme converts a file entry to the exported form, folding strong and weak
// terms into the synonyms.
func (ft fileTheme) theme() Theme {
	syn := make(map[string][]string)
	for _, m := range []map[string][]string{ft.Strong, ft.Synonyms, ft.Weak} {
		for lang, terms := range m {
			syn[lang] = append(syn[lang], terms...)
		}
	}
	return Theme{
		Slug:        ft.Slug,
		Kind:        ft.Kind,
		Labels:      ft.Labels,
		Description: ft.Description,
		Synonyms:    syn,
		Parent:      ft.Parent,
	}
}

// check enforces what the rest of the package relies on: a matching version,
// unique well-formed slugs, known kinds, English and French text, and elements
// attached to an existing feature.
func check(f file) error {
	if f.Version != Version {
		return fmt.Errorf("%w: version %q, code expects %q", errMalformed, f.Version, Version)
	}
	kinds := make(map[string]Kind, len(f.Themes))
	for _, ft := range f.Themes {
		if !slugPattern.MatchString(ft.Slug) {
			return fmt.Errorf("%w: bad slug %q", errMalformed, ft.Slug)
		}
		if _, dup := kinds[ft.Slug]; dup {
			return fmt.Errorf("%w: duplicate slug %q", errMalformed, ft.Slug)
		}
		kinds[ft.Slug] = ft.Kind
		if err := ft.checkFields(); err != nil {
			return fmt.Errorf("%w: %s: %v", errMalformed, ft.Slug, err)
		}
	}
	for _, ft := range f.Themes {
		if ft.Kind == KindElement && kinds[ft.Parent] != KindFeature {
			return fmt.Errorf("%w: %s: parent %q is not a feature", errMalformed, ft.Slug, ft.Parent)
		}
	}
	return nil
}

// checkFields checks one entry on its own.
func (ft fileTheme) checkFields() error {
	switch ft.Kind {
	case KindTopic, KindGroup, KindFeature:
		if ft.Parent != "" {
			return errors.New("only elements have a parent")
		}
	case KindElement:
	default:
		return fmt.Errorf("unknown kind %q", ft.Kind)
	}
	for _, lang := range []string{"en", "fr"} {
		if ft.Labels[lang] == "" {
			return fmt.Errorf("no %s label", lang)
		}
		if ft.Description[lang] == "" {
			return fmt.Errorf("no %s description", lang)
		}
	}
	return nil
}
