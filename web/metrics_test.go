package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

// TestMetricsNeedAToken: /metrics answers only the metrics token or a
// coordinator API token, the way Prometheus' authorization setting sends them.
func TestMetricsNeedAToken(t *testing.T) {
	ctx := context.Background()
	n := newTestNode(t)
	srv := New(Config{BaseURL: n.srv.URL, Version: "test", MetricsToken: "s3cret-metrics"}, n.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	admin, err := n.store.CreateAPIToken(ctx, "", true, "prometheus")
	if err != nil {
		t.Fatal(err)
	}
	org, err := n.store.CreateOrganization(ctx, library.OrganizationInput{Handle: "riverside", Name: "Riverside", Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	staff, err := n.store.CreateAPIToken(ctx, org.ID, false, "staff")
	if err != nil {
		t.Fatal(err)
	}
	srv.LoginRefused("wrong_password")
	tests := []struct {
		name  string
		auth  string
		want  int
		error string
	}{
		{"anonymous", "", http.StatusUnauthorized, "metrics need a token"},
		{"wrong token", "Bearer nope", http.StatusUnauthorized, "not valid"},
		{"basic auth", "Basic cHJvbTpwYXNz", http.StatusUnauthorized, "metrics need a token"},
		{"organisation token", "Bearer " + staff, http.StatusForbidden, "coordinator"},
		{"metrics token", "Bearer s3cret-metrics", http.StatusOK, ""},
		{"coordinator token", "Bearer " + admin, http.StatusOK, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want != http.StatusOK {
				var body struct{ Error string }
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || !strings.Contains(body.Error, tc.error) {
					t.Errorf("body %q, want a JSON error naming %q", rec.Body, tc.error)
				}
				if strings.Contains(rec.Body.String(), "go_goroutines") {
					t.Error("figures given away")
				}
				return
			}
			if !strings.Contains(rec.Body.String(), `commonplace_logins_refused_total{reason="wrong_password"} 1`) {
				t.Errorf("no refused login counted in %.300s", rec.Body)
			}
		})
	}
}
