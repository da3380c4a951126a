package federation

import (
	"encoding/json"
	"errors"
	"time"
)

// object is incoming ActivityStreams JSON. Its accessors accept what servers
// really send: a single value or an array, an IRI or an embedded object.
type object map[string]any

// asPublic is the special collection meaning "everyone".
const asPublic = "https://www.w3.org/ns/activitystreams#Public"

// parseObject decodes a JSON object.
func parseObject(body []byte) (object, error) {
	var o object
	if err := json.Unmarshal(body, &o); err != nil {
		return nil, err
	}
	if o == nil {
		return nil, errors.New("not a JSON object")
	}
	return o, nil
}

// values returns the key's values as a list, whether it held one or many.
func (o object) values(key string) []any {
	switch v := o[key].(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// str returns the first string value of key.
func (o object) str(key string) string {
	for _, v := range o.values(key) {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return ""
}

// id is the object's identifier.
func (o object) id() string {
	if s := o.str("id"); s != "" {
		return s
	}
	return o.str("@id")
}

// typ is the object's first type.
func (o object) typ() string {
	if s := o.str("type"); s != "" {
		return s
	}
	return o.str("@type")
}

// hasType reports whether any of the object's types is t.
func (o object) hasType(t string) bool {
	for _, v := range o.values("type") {
		if v == t {
			return true
		}
	}
	return false
}

// iriOf returns an IRI from a string or from an embedded object's id or href.
func iriOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		o := object(x)
		if id := o.id(); id != "" {
			return id
		}
		return o.str("href")
	}
	return ""
}

// iri returns the first IRI of key.
func (o object) iri(key string) string {
	for _, v := range o.values(key) {
		if s := iriOf(v); s != "" {
			return s
		}
	}
	return ""
}

// iris returns every IRI of key.
func (o object) iris(key string) []string {
	var out []string
	for _, v := range o.values(key) {
		if s := iriOf(v); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// obj returns the first embedded object of key.
func (o object) obj(key string) (object, bool) {
	for _, v := range o.values(key) {
		if m, ok := v.(map[string]any); ok {
			return object(m), true
		}
	}
	return nil, false
}

// objs returns every embedded object of key.
func (o object) objs(key string) []object {
	var out []object
	for _, v := range o.values(key) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, object(m))
		}
	}
	return out
}

// strs returns every string value of key.
func (o object) strs(key string) []string {
	var out []string
	for _, v := range o.values(key) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// langMap returns a language map such as contentMap.
func (o object) langMap(key string) map[string]string {
	m, _ := o[key].(map[string]any)
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// boolean returns a boolean property and whether it was present.
func (o object) boolean(key string) (bool, bool) {
	b, ok := o[key].(bool)
	return b, ok
}

// time returns a date-time property, or nil.
func (o object) time(key string) *time.Time {
	s := o.str(key)
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			utc := t.UTC()
			return &utc
		}
	}
	return nil
}

// addressed returns every IRI the object is addressed to.
func (o object) addressed() []string {
	var out []string
	for _, k := range []string{"to", "cc", "bto", "bcc", "audience"} {
		out = append(out, o.iris(k)...)
	}
	return out
}

// isPublic reports whether the object is addressed to everyone. Some servers
// shorten the Public collection to "as:Public" or "Public".
func (o object) isPublic() bool {
	for _, a := range o.addressed() {
		if a == asPublic || a == "as:Public" || a == "Public" {
			return true
		}
	}
	return false
}

// objectIRI returns the IRI of an activity's object, embedded or not.
func (o object) objectIRI() string { return o.iri("object") }

// jsonDepthOK reports whether the JSON text nests at most limit levels, so that
// a hostile body cannot make the decoder recurse without end.
func jsonDepthOK(body []byte, limit int) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range body {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > limit {
				return false
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return true
}
