package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

// TestConsentForms withdraws consent from an offer's page and from the
// organisation's page, as staff would, and checks what others see.
func TestConsentForms(t *testing.T) {
	n := newTestNode(t)
	owner := newStaff(t, n, "riverside", "sam@riverside.example")
	other := newStaff(t, n, "hillside", "kim@hillside.example")
	_, _, res := owner.submit("/offers/new", "/offers", url.Values{"title": {"Risk enablement"}, "languages": {"en"}})
	page := res.Request.URL.Path

	_, body := owner.get(page)
	if !strings.Contains(body, `action="`+page+`/consent"`) || !strings.Contains(body, `name="indexable" checked`) {
		t.Fatalf("the owner's offer page has no ticked consent form:\n%s", body)
	}
	if _, body := other.get(page); strings.Contains(body, "/consent") {
		t.Errorf("another organisation sees the consent form")
	}
	if status, _, _ := other.submit(page, page+"/consent", url.Values{}); status != http.StatusForbidden {
		t.Errorf("another organisation withdrew consent: %d", status)
	}
	status, body, _ := owner.submit(page, page+"/consent", url.Values{}) // the box unticked
	if status != http.StatusOK || strings.Contains(body, `name="indexable" checked`) {
		t.Fatalf("after withdrawing: %d, box still ticked", status)
	}

	_, body = owner.get("/orgs/riverside")
	if !strings.Contains(body, `action="/orgs/riverside/consent"`) || !strings.Contains(body, "Risk enablement") {
		t.Fatalf("the organisation page does not list the withdrawn offer:\n%s", body)
	}
	if _, body := other.get("/orgs/riverside"); strings.Contains(body, "Consent beyond this node") {
		t.Errorf("another organisation sees riverside's consent")
	}
	status, body, _ = owner.submit("/orgs/riverside", "/orgs/riverside/consent", url.Values{"indexable": {"on"}})
	if status != http.StatusOK || !strings.Contains(body, `id="consent-indexable" name="indexable" checked`) ||
		strings.Contains(body, `id="consent-discoverable" name="discoverable" checked`) {
		t.Fatalf("organisation consent form: %d\n%s", status, body)
	}
	org, err := n.store.OrganizationByHandle(t.Context(), "riverside")
	if err != nil || !org.Indexable || org.Discoverable {
		t.Errorf("stored consent: %+v %v", org, err)
	}
}

// TestConsentFormOnStoryAndEvent: the same form sits on a story's and an
// event's page for their organisation's staff.
func TestConsentFormOnStoryAndEvent(t *testing.T) {
	n := newTestNode(t)
	owner := newStaff(t, n, "riverside", "sam@riverside.example")
	org, err := n.store.OrganizationByHandle(t.Context(), "riverside")
	if err != nil {
		t.Fatal(err)
	}
	title, body := "A home of one's own", "After years in a ward, a flat with support chosen by the person."
	st, err := n.store.CreateStory(t.Context(), org.ID, library.StoryInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	start, end, zone := "2031-06-01T10:00:00Z", "2031-06-01T12:00:00Z", "Europe/London"
	ev, err := n.store.CreateEvent(t.Context(), org.ID, library.EventInput{Title: &title, Start: &start, End: &end,
		Timezone: &zone, OnlineURL: ptrTo("https://meet.example/x")})
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/stories/" + st.ID, "/events/" + ev.ID} {
		_, html := owner.get(page)
		if !strings.Contains(html, `action="`+page+`/consent"`) {
			t.Errorf("%s: no consent form", page)
			continue
		}
		if status, html, _ := owner.submit(page, page+"/consent", url.Values{}); status != http.StatusOK || strings.Contains(html, `name="indexable" checked`) {
			t.Errorf("%s: withdrawing gave %d, box still ticked", page, status)
		}
	}
}
