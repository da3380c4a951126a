package federation

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// FuzzParseObject reads an ActivityStreams document with the raw-map
// reader. Properties: the depth guard agrees with the JSON's real depth; a
// parsed object encodes and parses back to itself; the accessors return
// only what the document holds (every IRI non-empty, times in UTC, public
// exactly when addressed to the Public collection).
func FuzzParseObject(f *testing.F) {
	for _, dir := range []string{"activities", "actors"} {
		for _, b := range seedFiles(f, dir) {
			f.Add(b)
		}
	}
	for _, b := range goldenFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if d, ok := jsonDepth(body); ok && jsonDepthOK(body, maxDepth) != (d <= maxDepth) {
			t.Fatalf("depth guard says %v for depth %d", jsonDepthOK(body, maxDepth), d)
		}
		if !jsonDepthOK(body, maxDepth) {
			return // the inbox refuses it before parsing
		}
		o, err := parseObject(body)
		if err != nil {
			return
		}
		again, err := parseObject(o.bytes())
		if err != nil || !reflect.DeepEqual(o, again) {
			t.Fatalf("round trip: %v", err)
		}
		checkAccessors(t, o)
		for _, inner := range o.objs("object") {
			checkAccessors(t, inner)
		}
	})
}

func checkAccessors(t *testing.T, o object) {
	t.Helper()
	for _, k := range []string{"id", "type", "actor", "object", "to", "cc", "attributedTo", "url", "inbox", "tag"} {
		for _, iri := range o.iris(k) {
			if iri == "" {
				t.Fatalf("empty IRI in %s", k)
			}
		}
		if s := o.str(k); s != "" && !containsValue(o.values(k), s) {
			t.Fatalf("str(%s) = %q is not among its values", k, s)
		}
	}
	for _, k := range []string{"published", "updated", "startTime", "endTime"} {
		if tm := o.time(k); tm != nil && tm.Location() != time.UTC {
			t.Fatalf("time(%s) is in %v", k, tm.Location())
		}
	}
	public := false
	for _, a := range o.addressed() {
		public = public || a == asPublic || a == "as:Public" || a == "Public"
	}
	if o.isPublic() != public {
		t.Fatalf("isPublic %v, addressed %v", o.isPublic(), o.addressed())
	}
	_ = o.langMap("contentMap")
	_, _ = o.boolean("indexable")
	_ = o.ext("kind")
}

func containsValue(vals []any, s string) bool {
	for _, v := range vals {
		if v == s {
			return true
		}
	}
	return false
}

// jsonDepth is the nesting depth of valid JSON, read token by token.
func jsonDepth(body []byte) (int, bool) {
	if !json.Valid(body) {
		return 0, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	depth, most := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return most, err.Error() == "EOF"
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			most = max(most, depth)
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}
