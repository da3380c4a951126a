package dump

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Format names the export format in its first line; Version is its version.
// A reader refuses a version it does not know. Version 1 is gzip'd JSON
// lines: a Header, then for each table a TableStart, its rows (one JSON
// array a row, in the order of the TableStart's columns) and a TableEnd,
// then a Trailer. A file that stops before its trailer is refused.
const (
	Format  = "commonplace-export"
	Version = 1
)

// Header is the first line of an export.
type Header struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	// Schema is how many migration steps of each component the node had run;
	// an import migrates the new database to the same steps before loading.
	Schema map[string]int `json:"schema"`
	// Omitted are the tables left behind, and Blanked the columns emptied.
	Omitted []string            `json:"omitted,omitempty"`
	Blanked map[string][]string `json:"blanked,omitempty"`
	// Rows counts each table's rows, for progress; each TableEnd counts again.
	Rows map[string]int64 `json:"rows"`
}

func (h Header) total() int64 {
	var n int64
	for _, r := range h.Rows {
		n += r
	}
	return n
}

// TableStart opens a table's rows.
type TableStart struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

// TableEnd closes a table's rows and counts them.
type TableEnd struct {
	End  string `json:"end"`
	Rows int64  `json:"rows"`
}

// Trailer is the last line: the export is complete.
type Trailer struct {
	Complete bool  `json:"complete"`
	Tables   int   `json:"tables"`
	Rows     int64 `json:"rows"`
}

// encodeValue turns a value read from the database into one JSON keeps:
// times as RFC 3339 in UTC, bytes as text when they are UTF-8, else as
// {"base64": …}.
func encodeValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return map[string]string{"base64": base64.StdEncoding.EncodeToString(x)}
	}
	return v
}

// kind is what a column holds, from its type in the target database.
type kind int

const (
	kindText kind = iota
	kindTime
	kindBool
	kindInt
	kindFloat
)

// kindOf reads a column type of SQLite (as declared) or PostgreSQL (as named by its catalogue).
func kindOf(typeName string) kind {
	t := strings.ToLower(typeName)
	switch {
	case strings.Contains(t, "time") || strings.Contains(t, "date"):
		return kindTime
	case strings.HasPrefix(t, "bool"):
		return kindBool
	case strings.Contains(t, "int") || t == "serial" || t == "bigserial":
		return kindInt
	case strings.Contains(t, "real") || strings.Contains(t, "float") || strings.Contains(t, "double") || strings.Contains(t, "numeric"):
		return kindFloat
	}
	return kindText
}

// convert turns a value, read from a database or decoded from an export's
// JSON, into the Go value the target's driver writes as the column's type.
// SQLite compares times as text, so they must be written by the driver, as
// the node writes them; and SQLite may hold a number in a text column, which
// PostgreSQL would refuse.
func convert(v any, k kind) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindTime:
		return toTime(v)
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case json.Number:
			return x.String() != "0", nil
		}
		return nil, fmt.Errorf("boolean %v: not true or false", v)
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case json.Number:
			return x.Int64()
		}
		return nil, fmt.Errorf("integer %v: not a number", v)
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case json.Number:
			return x.Float64()
		}
		return nil, fmt.Errorf("number %v: not a number", v)
	}
	return toText(v)
}

func toText(v any) (any, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case map[string]any:
		if b, ok := x["base64"].(string); ok {
			return base64.StdEncoding.DecodeString(b)
		}
	case json.Number:
		return x.String(), nil
	case int64, float64, bool:
		return fmt.Sprint(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	}
	return nil, fmt.Errorf("value %v: not text", v)
}

// timeLayouts are RFC 3339 (exports) and the layouts SQLite's driver writes and reads.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"}

func toTime(v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case string:
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, x); err == nil {
				return t.UTC(), nil
			}
		}
		return nil, fmt.Errorf("time %q: not RFC 3339", x)
	}
	return nil, fmt.Errorf("time %v: not text", v)
}
