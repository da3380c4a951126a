package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
)

// brokenPipe is a response writer whose client has gone.
type brokenPipe struct{ *httptest.ResponseRecorder }

func (brokenPipe) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
}

func TestClientDisconnectsAreNotServerErrors(t *testing.T) {
	n := newTestNode(t)
	orgWithToken(t, n, "riverside")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := New(Config{BaseURL: n.srv.URL, Version: "test"}, n.store, log)

	gone, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		w    http.ResponseWriter
		req  *http.Request
	}{
		{"cancelled page", httptest.NewRecorder(), httptest.NewRequestWithContext(gone, "GET", "/orgs/riverside", nil)},
		{"cancelled API call", httptest.NewRecorder(), httptest.NewRequestWithContext(gone, "GET", "/api/v1/offers", nil)},
		{"broken pipe", brokenPipe{httptest.NewRecorder()}, httptest.NewRequest("GET", "/orgs/riverside", nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			s.Handler().ServeHTTP(tc.w, tc.req)
			if strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("logged as a server failure:\n%s", logs.String())
			}
		})
	}
	for _, err := range []error{context.Canceled, &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)},
		&net.OpError{Op: "write", Err: os.NewSyscallError("write", syscall.EPIPE)}} {
		if code, _ := statusOf(err); code != statusClientClosed {
			t.Errorf("%v: status %d, want %d", err, code, statusClientClosed)
		}
	}
	if code, _ := statusOf(errors.New("disk full")); code != http.StatusInternalServerError {
		t.Errorf("a real failure: %d", code)
	}
}
