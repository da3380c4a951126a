package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/search"
)

// badRequest is an error whose message is safe to show as it is, with status 400.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func errBadRequest(format string, args ...any) error {
	return &badRequest{fmt.Sprintf(format, args...)}
}

// statusClientClosed is nginx's status for a request its client gave up on;
// it is never sent (no one is listening), only counted and logged.
const statusClientClosed = 499

// clientGone reports whether err comes from the client leaving: its request
// cancelled, or the connection reset or closed under a write.
func clientGone(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

// statusOf maps an error to the status and the message a client may see; the
// rest of the detail is logged once, by handleError.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	var ve *library.ValidationError
	var br *badRequest
	switch {
	case clientGone(err):
		return statusClientClosed, "the client closed the request"
	case errors.As(err, &br):
		return http.StatusBadRequest, br.msg
	case errors.Is(err, search.ErrQueryTooLong):
		return http.StatusBadRequest, "q: " + strings.TrimPrefix(err.Error(), "search: ")
	case errors.Is(err, search.ErrTimeout):
		return http.StatusServiceUnavailable, "the search took too long and was stopped (" + strings.TrimPrefix(err.Error(), "search: ") + "); try fewer words or a filter"
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
	var moved *movedError
	if errors.As(err, &moved) && !c.Response().Committed {
		_ = c.Redirect(http.StatusMovedPermanently, moved.to)
		return
	}
	code, msg := statusOf(err)
	if code == statusClientClosed {
		s.log.Debug("client closed the request", "method", c.Request().Method, "path", c.Request().URL.Path, "error", err)
		return
	}
	if c.Response().Committed {
		return
	}
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
