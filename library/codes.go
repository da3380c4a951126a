package library

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/biter777/countries"
	"golang.org/x/text/language"
)

var subdivisionPattern = regexp.MustCompile(`^[A-Z0-9]{1,3}$`)

// validCountry accepts an ISO 3166-1 alpha-2 code ("GB") or an ISO 3166-2
// region ("GB-SCT", "CA-QC"); code must already be upper case.
func validCountry(code string) error {
	cc, sub, hasSub := strings.Cut(code, "-")
	if len(cc) != 2 || countries.ByName(cc) == countries.Unknown || countries.ByName(cc).Alpha2() != cc {
		return fmt.Errorf("unknown country code %q (use ISO 3166, like GB or CA-QC)", code)
	}
	if hasSub && !subdivisionPattern.MatchString(sub) {
		return fmt.Errorf("unknown region code %q (use ISO 3166-2, like GB-SCT)", code)
	}
	return nil
}

// normaliseCountries upper-cases, checks and de-duplicates country and region codes.
func normaliseCountries(field string, in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, c := range in {
		c = strings.ToUpper(strings.TrimSpace(c))
		if err := validCountry(c); err != nil {
			return nil, Invalid(field, "%v", err)
		}
		out = appendUnique(out, c)
	}
	return out, nil
}

// normaliseLanguages checks BCP 47 tags and returns them in canonical form.
func normaliseLanguages(field string, in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, l := range in {
		tag, err := language.Parse(strings.TrimSpace(l))
		if err != nil || strings.TrimSpace(l) == "" {
			return nil, Invalid(field, "unknown language code %q (use BCP 47, like en or fr-CA)", l)
		}
		out = appendUnique(out, tag.String())
	}
	return out, nil
}

// oneOf checks every value against the allowed set.
func oneOf(field string, in []string, allowed ...string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, v := range in {
		v = strings.ToLower(strings.TrimSpace(v))
		ok := false
		for _, a := range allowed {
			ok = ok || v == a
		}
		if !ok {
			return nil, Invalid(field, "unknown value %q (one of %s)", v, strings.Join(allowed, ", "))
		}
		out = appendUnique(out, v)
	}
	return out, nil
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// LanguageBase is the primary language subtag of a BCP 47 tag ("fr" for "fr-CA").
func LanguageBase(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return strings.ToLower(tag)
	}
	b, _ := t.Base()
	return b.String()
}
