package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestStoryReviewAndPublish(t *testing.T) {
	n := newTestNode(t)
	b := newStaff(t, n, "riverside", "sam@riverside.example")
	fields := url.Values{
		"title":      {"A home of his own"},
		"body":       {"Callum Fraser left the ward in May. His mum phoned 07700 900123 every day. Callum now lives in Paisley."},
		"countries":  {"GB-SCT"},
		"languages":  {"en"},
		"visibility": {"public"},
	}
	status, body, _ := b.submit("/stories/new", "/stories/review", fields)
	if status != http.StatusOK || !strings.Contains(body, `<mark title="name">`) || !strings.Contains(body, `<mark title="phone">`) {
		t.Fatalf("review: %d\n%s", status, body)
	}
	if !strings.Contains(body, `name="keep" value="Callum Fraser"`) {
		t.Fatalf("review lists no undo for the name:\n%s", body)
	}
	// Paisley is a town below city size, so the anonymiser generalises it;
	// the author says it is fine to name it, and asks to remove "the ward".
	if !strings.Contains(body, `name="keep" value="Paisley"`) {
		t.Fatalf("review lists no undo for the town:\n%s", body)
	}
	fields.Set("keep", "Paisley")
	fields.Set("add", "the ward")
	status, body, res := b.submit("/stories/new", "/stories", fields)
	if status != http.StatusOK || !strings.HasPrefix(res.Request.URL.Path, "/stories/") {
		t.Fatalf("publish: %d", status)
	}
	for _, raw := range []string{"Callum", "Fraser", "07700 900123", "the ward"} {
		if strings.Contains(body, raw) {
			t.Errorf("the published page shows %q", raw)
		}
	}
	if !strings.Contains(body, "Paisley") {
		t.Error("the town the author kept was removed")
	}
}

// TestStoryReviewShowsLeftovers: what the anonymiser kept but still looks
// specific is listed on the review page, for the author to decide.
func TestStoryReviewShowsLeftovers(t *testing.T) {
	n := newTestNode(t)
	b := newStaff(t, n, "riverside", "sam@riverside.example")
	fields := url.Values{
		"title":     {"Choosing a home"},
		"body":      {"The housing officer gave him reference HX4471B and he now pays 1250 pounds a month."},
		"languages": {"en"},
	}
	status, body, _ := b.submit("/stories/new", "/stories/review", fields)
	if status != http.StatusOK || !strings.Contains(body, "Still looks specific") ||
		!strings.Contains(body, "<mark>1250</mark> (body): a number") {
		t.Fatalf("review: %d\n%s", status, body)
	}
}
