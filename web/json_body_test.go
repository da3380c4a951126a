package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// rawCall sends a body as it is, with the given Content-Type ("" for none);
// chunked sends it without a Content-Length.
func rawCall(t *testing.T, method, url, token, contentType string, body io.Reader, chunked bool) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, body)
	if chunked {
		req.ContentLength = -1
		req.Body = io.NopCloser(body)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil && len(raw) > 0 {
		t.Fatalf("%s %s: not JSON (%d): %s", method, url, res.StatusCode, raw)
	}
	return res.StatusCode, out
}

func TestAPIBodiesRefused(t *testing.T) {
	n := newTestNode(t)
	_, token := orgWithToken(t, n, "riverside")
	orgWithToken(t, n, "hillside")
	api := n.srv.URL + "/api/v1/offers"
	big := `{"title": "x", "body": "` + strings.Repeat("a", 2<<20) + `"}`
	for _, tc := range []struct {
		name, contentType, body string
		chunked                 bool
		status                  int
		want                    string
	}{
		{"text/plain", "text/plain", `{"title": "Plain"}`, false, 415, "application/json"},
		{"form", "application/x-www-form-urlencoded", `{"title": "Form"}`, false, 415, "application/json"},
		{"no content type", "", `{"title": "None"}`, false, 415, "application/json"},
		{"another charset", "application/json; charset=latin1", `{"title": "Latin"}`, false, 415, "application/json"},
		{"invalid UTF-8", "application/json", "{\"title\": \"caf\xe9\"}", false, 400, "title: is not valid UTF-8"},
		{"invalid UTF-8 in a key", "application/json", "{\"t\xffitle\": \"x\"}", false, 400, "is not valid UTF-8"},
		{"lone surrogate", "application/json", `{"title": "x", "body": "\ud800"}`, false, 400, "body: is not valid UTF-8"},
		{"NUL", "application/json", `{"title": "a\u0000b"}`, false, 400, "title: holds a NUL character"},
		{"NUL in a list", "application/json", `{"title": "x", "languages": ["en", "f\u0000r"]}`, false, 400, "languages[1]: holds a NUL character"},
		{"type error", "application/json", `{"title": 5}`, false, 400, "title: expected a string, got number"},
		{"type error in a list", "application/json", `{"title": "x", "languages": ["en", 5]}`, false, 400, "languages[1]: expected a string, got number"},
		{"too large", "application/json", big, false, 413, "larger than 1048576 bytes"},
		{"too large, chunked", "application/json", big, true, 413, "larger than 1048576 bytes"},
		{"another organisation", "application/json", `{"org": "hillside", "title": "Theirs"}`, false, 403, "org:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, res := rawCall(t, "POST", api, token, tc.contentType, strings.NewReader(tc.body), tc.chunked)
			msg, _ := res["error"].(string)
			if status != tc.status || !strings.Contains(msg, tc.want) {
				t.Errorf("%d %q, want %d with %q", status, msg, tc.status, tc.want)
			}
			if strings.Contains(msg, "ListingInput") || strings.Contains(msg, "code=") {
				t.Errorf("the message shows Go's or Echo's internals: %q", msg)
			}
		})
	}
	items, err := n.store.Listings(context.Background(), library.ListingQuery{Kind: library.Offer, Limit: 10})
	if err != nil || len(items) != 0 {
		t.Errorf("%d offers stored from refused bodies (%v)", len(items), err)
	}
	for _, body := range []string{`{"title": "Ours", "org": "riverside"}`, `{"title": "Café ☕ \ufffd"}`} {
		if status, res := rawCall(t, "POST", api, token, "application/json; charset=utf-8", strings.NewReader(body), false); status != http.StatusCreated {
			t.Errorf("%s: %d %v, want 201", body, status, res)
		}
	}
}

func TestOptionalJSONBody(t *testing.T) {
	e := echo.New()
	for _, tc := range []struct {
		name, contentType, body string
		host                    string
		fails                   bool
	}{
		{"empty, no content type", "", "", "", false},
		{"blank", "", "  \n", "", false},
		{"a host", "application/json", `{"host": "peer.example"}`, "peer.example", false},
		{"a host as text", "text/plain", `{"host": "peer.example"}`, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/v1/admin/federation/retry", strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			var v struct {
				Host string `json:"host"`
			}
			err := decodeOptionalJSON(e.NewContext(req, httptest.NewRecorder()), &v)
			if (err != nil) != tc.fails || v.Host != tc.host {
				t.Errorf("err %v, host %q", err, v.Host)
			}
		})
	}
}
