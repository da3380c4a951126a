package themes

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestCounts(t *testing.T) {
	tests := []struct {
		kind Kind
		want int
	}{
		{KindTopic, 27},
		{KindGroup, 15},
		{KindFeature, 5},
		{KindElement, 10},
	}
	total := 0
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			if got := len(ByKind(tc.kind)); got != tc.want {
				t.Errorf("%d themes of kind %s, want %d", got, tc.kind, tc.want)
			}
		})
		total += tc.want
	}
	if got := len(All()); got != total {
		t.Errorf("All() has %d themes, want %d", got, total)
	}
}

func TestEveryTheme(t *testing.T) {
	seen := make(map[string]bool)
	for _, th := range All() {
		t.Run(th.Slug, func(t *testing.T) {
			if seen[th.Slug] {
				t.Errorf("duplicate slug")
			}
			seen[th.Slug] = true
			if !slugPattern.MatchString(th.Slug) {
				t.Errorf("slug is not lowercase-hyphenated")
			}
			for _, lang := range []string{"en", "fr"} {
				if th.Labels[lang] == "" || th.Description[lang] == "" {
					t.Errorf("missing %s label or description", lang)
				}
				if strings.Contains(th.Description[lang], "\n") {
					t.Errorf("%s description is not one line", lang)
				}
			}
			if th.Kind == KindTopic && len(Terms(th.Slug)) < 15 {
				t.Errorf("only %d terms; topics need rich synonyms", len(Terms(th.Slug)))
			}
			parent, ok := Lookup(th.Parent)
			if th.Kind == KindElement && (!ok || parent.Kind != KindFeature) {
				t.Errorf("parent %q is not a feature", th.Parent)
			}
			if th.Kind != KindElement && th.Parent != "" {
				t.Errorf("a %s has parent %q", th.Kind, th.Parent)
			}
		})
	}
}

func TestIRIRoundTrip(t *testing.T) {
	for _, th := range All() {
		got, ok := FromIRI(th.IRI())
		if !ok || got.Slug != th.Slug {
			t.Errorf("FromIRI(%q) = %q, %v", th.IRI(), got.Slug, ok)
		}
	}
	tests := []struct{ name, iri string }{
		{"empty", ""},
		{"bare slug", "housing"},
		{"other namespace", "https://example.org/ns/themes/housing"},
		{"unknown slug", Namespace + "gardening"},
		{"namespace only", Namespace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := FromIRI(tc.iri); ok {
				t.Errorf("FromIRI(%q) found a theme", tc.iri)
			}
		})
	}
}

func TestLookupAndValid(t *testing.T) {
	th, ok := Lookup("financial-management")
	if !ok || th.Kind != KindTopic || th.IRI() != Namespace+"financial-management" {
		t.Fatalf("Lookup(financial-management) = %+v, %v", th, ok)
	}
	for _, slug := range []string{"adults-autism", "citizenship-is-the-goal", "individualised-funding"} {
		if !Valid(slug) {
			t.Errorf("Valid(%q) = false", slug)
		}
	}
	for _, slug := range []string{"", "Housing", "housing ", "gardening"} {
		if Valid(slug) {
			t.Errorf("Valid(%q) = true", slug)
		}
	}
}

func TestLabel(t *testing.T) {
	th, _ := Lookup("housing")
	tests := []struct{ lang, want string }{
		{"en", "Housing"},
		{"fr", "Logement"},
		{"fr-CA", "Logement"},
		{"FR_be", "Logement"},
		{"", "Housing"},
		{"ja", "Housing"},
		{"en-GB", "Housing"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			if got := th.Label(tc.lang); got != tc.want {
				t.Errorf("Label(%q) = %q, want %q", tc.lang, got, tc.want)
			}
		})
	}
	if th.Describe("fr-CA") != th.Description["fr"] {
		t.Errorf("Describe(fr-CA) did not use the French description")
	}
}

func TestTerms(t *testing.T) {
	terms := Terms("financial-management")
	for _, want := range []string{"isf", "individual service fund", "personal budget", "direct payment", "fonds de services individualisés", "budget"} {
		if !slices.Contains(terms, want) {
			t.Errorf("Terms(financial-management) lacks %q", want)
		}
	}
	seen := make(map[string]bool)
	for _, term := range terms {
		if term != strings.ToLower(term) {
			t.Errorf("term %q is not lowercase", term)
		}
		if seen[term] {
			t.Errorf("term %q repeated", term)
		}
		seen[term] = true
	}
	if Terms("gardening") != nil {
		t.Errorf("Terms of an unknown slug should be nil")
	}
}

func TestAllIsACopy(t *testing.T) {
	all := All()
	all[0].Slug = "changed"
	if All()[0].Slug == "changed" {
		t.Errorf("All exposes the taxonomy's own slice")
	}
}

func TestEmbeddedTaxonomyIsWellFormed(t *testing.T) {
	if _, err := load(taxonomyJSON); err != nil {
		t.Fatalf("embedded taxonomy: %v", err)
	}
}

func TestLoadRejects(t *testing.T) {
	const el = `"kind":"element","labels":{"en":"E","fr":"E"},"description":{"en":"e","fr":"e"}`
	const ok = `"kind":"topic","labels":{"en":"T","fr":"T"},"description":{"en":"t","fr":"t"}`
	tests := []struct{ name, json string }{
		{"not json", `{"version":`},
		{"wrong version", `{"version":"0","themes":[]}`},
		{"bad slug", `{"version":"1","themes":[{"slug":"Bad Slug",` + ok + `}]}`},
		{"duplicate", `{"version":"1","themes":[{"slug":"a",` + ok + `},{"slug":"a",` + ok + `}]}`},
		{"unknown kind", `{"version":"1","themes":[{"slug":"a","kind":"mood","labels":{"en":"T","fr":"T"},"description":{"en":"t","fr":"t"}}]}`},
		{"no french", `{"version":"1","themes":[{"slug":"a","kind":"topic","labels":{"en":"T"},"description":{"en":"t","fr":"t"}}]}`},
		{"orphan element", `{"version":"1","themes":[{"slug":"e","parent":"nowhere",` + el + `}]}`},
		{"topic with parent", `{"version":"1","themes":[{"slug":"a","parent":"b",` + ok + `}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := load([]byte(tc.json)); !errors.Is(err, errMalformed) {
				t.Errorf("load gave %v, want errMalformed", err)
			}
		})
	}
	t.Run("panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Errorf("mustLoad did not panic on a malformed file")
			}
		}()
		mustLoad([]byte(`{}`))
	})
}
