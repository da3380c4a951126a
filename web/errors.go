package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// badRequest is an error whose message is safe to show as it is, with status 400.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func errBadRequest(format string, args ...any) error {
	return &badRequest{fmt.Sprintf(format, args...)}
}

// statusOf maps an error to the status and the message a client may see; the
// rest of the detail is logged once, by handleError.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	var ve *library.ValidationError
	var br *badRequest
	switch {
	case errors.As(err, &br):
		return http.StatusBadRequest, br.msg
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, ve.Error()
	case errors.As(err, &he):
		return he.Code, fmt.Sprint(he.Message)
	case errors.Is(err, library.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, library.ErrGone):
		return http.StatusGone, "deleted"
	case errors.Is(err, library.ErrForbidden):
		return http.StatusForbidden, "this belongs to another organisation"
	case errors.Is(err, library.ErrConflict):
		return http.StatusConflict, conflictMessage(err)
	case errors.Is(err, library.ErrInvalid):
		return http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, library.ErrBusy):
		return http.StatusServiceUnavailable, "the node is busy; try again in a few seconds"
	}
	return http.StatusInternalServerError, "internal error"
}

// conflictMessage keeps the part after the sentinel, which names what clashed.
func conflictMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, library.ErrConflict.Error()+": "); i >= 0 {
		return msg[i+len(library.ErrConflict.Error())+2:]
	}
	return "conflict"
}

// handleError is the one place errors become responses.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := statusOf(err)
	if code == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "2")
	}
	if code >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "error", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(code)
		return
	}
	if isAPI(c) {
		_ = c.JSON(code, map[string]string{"error": msg})
		return
	}
	s.render(c, code, "error", "Something went wrong", map[string]any{"Status": code, "Message": msg})
}

func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || strings.Contains(c.Request().Header.Get("Accept"), "json")
}

// decodeJSON reads a request body into v, refusing unknown fields and trailing data.
func decodeJSON(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errBadRequest("malformed JSON: more than one value in the body")
	}
	return nil
}

func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	var ve *library.ValidationError
	switch {
	case errors.As(err, &ve):
		return err
	case errors.Is(err, io.EOF):
		return errBadRequest("malformed JSON: the body is empty")
	case errors.As(err, &se):
		return errBadRequest("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		return errBadRequest("%s: expected %s, got %s", te.Field, te.Type, te.Value)
	case errors.As(err, &mbe):
		return errBadRequest("the body is larger than %d bytes", mbe.Limit)
	case strings.Contains(err.Error(), "parsing time"):
		return errBadRequest("a time is not in RFC 3339 form, like 2026-12-01T10:00:00Z: %v", err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errBadRequest("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return errBadRequest("malformed JSON: %v", err)
}
