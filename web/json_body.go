package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// decodeJSON reads an API request's body into v: application/json, valid
// UTF-8 without NUL, one value, no unknown fields.
func decodeJSON(c echo.Context, v any) error {
	body, err := readJSON(c, false)
	if err != nil {
		return err
	}
	return decodeBody(body, v)
}

// decodeOptionalJSON is decodeJSON for a body that may be left out.
func decodeOptionalJSON(c echo.Context, v any) error {
	body, err := readJSON(c, true)
	if err != nil || len(body) == 0 {
		return err
	}
	return decodeBody(body, v)
}

// readJSON reads and checks the body; an optional body may be empty (and then
// needs no Content-Type).
func readJSON(c echo.Context, optional bool) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, jsonError(nil, err)
	}
	if optional && len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if mt, params, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" ||
		(params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType,
			fmt.Sprintf("the body must be JSON, sent with Content-Type: application/json (not %q)", ct))
	}
	if err := checkStrings(body); err != nil {
		return nil, err
	}
	return body, nil
}

func decodeBody(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	if dec.More() {
		return errBadRequest("malformed JSON: more than one value in the body")
	}
	return nil
}

// checkStrings refuses keys and strings that are not valid UTF-8 (which
// encoding/json would silently replace) or that hold NUL, naming the field.
func checkStrings(body []byte) error {
	return walkJSON(body, func(path string, tok json.Token, raw []byte, _ int64) error {
		s, ok := tok.(string)
		if !ok {
			return nil
		}
		field := path
		if field == "" {
			field = "the body"
		}
		switch {
		case !utf8.Valid(raw) || replaced(s, raw):
			return errBadRequest("%s: is not valid UTF-8", field)
		case strings.ContainsRune(s, 0):
			return errBadRequest("%s: holds a NUL character", field)
		}
		return nil
	})
}

// replaced reports whether decoding put in U+FFFD that the raw text did not
// hold, as it does for an escaped lone surrogate ("\ud800").
func replaced(s string, raw []byte) bool {
	n := strings.Count(s, "\uFFFD")
	if n == 0 {
		return false
	}
	return n > bytes.Count(raw, []byte("\uFFFD"))+bytes.Count(bytes.ToLower(raw), []byte(`\ufffd`))
}

// jsonFrame is an object or array being walked.
type jsonFrame struct {
	object  bool
	key     string
	index   int
	wantKey bool
}

// walkJSON calls fn for every key and value with its path ("title",
// "location.name", "languages[1]"), its raw bytes and where they end. Malformed JSON ends the
// walk silently: decoding reports it better.
func walkJSON(body []byte, fn func(path string, tok json.Token, raw []byte, end int64) error) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*jsonFrame
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		end := dec.InputOffset()
		raw := body[prev:end]
		prev = end
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			valueDone(stack)
			continue
		}
		if top != nil && top.object && top.wantKey {
			top.key, top.wantKey = fmt.Sprint(tok), false
			if err := fn(jsonPath(stack), tok, raw, end); err != nil {
				return err
			}
			continue
		}
		if err := fn(jsonPath(stack), tok, raw, end); err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &jsonFrame{object: true, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &jsonFrame{})
		default:
			valueDone(stack)
		}
	}
}

// valueDone moves the innermost container past a finished value.
func valueDone(stack []*jsonFrame) {
	if len(stack) == 0 {
		return
	}
	if top := stack[len(stack)-1]; top.object {
		top.wantKey = true
	} else {
		top.index++
	}
}

func jsonPath(stack []*jsonFrame) string {
	var b strings.Builder
	for _, f := range stack {
		switch {
		case f.object && f.key != "":
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		case !f.object:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		}
	}
	return b.String()
}

// pathAt is the path of the value that ends at offset in body.
func pathAt(body []byte, offset int64) string {
	var at string
	errFound := errors.New("found")
	_ = walkJSON(body, func(path string, _ json.Token, _ []byte, end int64) error {
		if end >= offset {
			at = path
			return errFound
		}
		return nil
	})
	return at
}

func jsonError(body []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	var he *echo.HTTPError
	var ve *library.ValidationError
	switch {
	case errors.As(err, &ve):
		return err
	case errors.As(err, &mbe):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", mbe.Limit))
	case errors.As(err, &he):
		return err
	case errors.Is(err, io.EOF):
		return errBadRequest("malformed JSON: the body is empty")
	case errors.As(err, &se):
		return errBadRequest("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		field := pathAt(body, te.Offset)
		if field == "" {
			field = "the body"
		}
		return errBadRequest("%s: expected %s, got %s", field, jsonKind(te.Type), te.Value)
	case strings.Contains(err.Error(), "parsing time"):
		return errBadRequest("a time is not in RFC 3339 form, like 2026-12-01T10:00:00Z: %v", err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errBadRequest("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return errBadRequest("malformed JSON: %v", err)
}

// jsonKind names a Go type as JSON does.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	if t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64 {
		return "a number"
	}
	return "another type"
}
