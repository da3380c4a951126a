package library

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/citizen-network/commonplace/themes"
)

// decodeStrict reads a body as the API does: unknown fields refused, one value only.
func decodeStrict(body []byte, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v) == nil && !dec.More()
}

// snapshot is a deep copy of v, to tell whether a failed apply changed it.
func snapshot(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return string(b)
}

// checkRefusal fails unless err is a validation error naming one of fields.
func checkRefusal(t *testing.T, err error, fields ...string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("refused with a %T, not a validation error: %v", err, err)
	}
	if !slices.Contains(fields, ve.Field) {
		t.Fatalf("refusal names %q, not a JSON field: %v", ve.Field, err)
	}
}

// checkTitle fails unless title is trimmed, present and within MaxTitle.
func checkTitle(t *testing.T, title string) {
	t.Helper()
	if title == "" || utf8.RuneCountInString(title) > MaxTitle {
		t.Fatalf("title of %d runes accepted", utf8.RuneCountInString(title))
	}
}

// checkLists fails on languages, countries or themes the library does not know.
func checkLists(t *testing.T, langs, countries, themeSlugs []string) {
	t.Helper()
	if len(langs) == 0 {
		t.Fatal("no language")
	}
	for _, c := range countries {
		if validCountry(c) != nil {
			t.Fatalf("country %q accepted", c)
		}
	}
	for _, s := range themeSlugs {
		if !themes.Valid(s) {
			t.Fatalf("theme %q accepted", s)
		}
	}
}
