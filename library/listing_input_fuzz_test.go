package library

import (
	"slices"
	"testing"
	"time"
	"unicode/utf8"
)

const validListingJSON = `{"title":"Peer support for new staff","body":"We pair **new** support workers with experienced ones.",
"themes":[],"languages":["en","fr"],"countries":["GB","ca"],"formats":["online","mentoring"],"status":"open",
"expires_at":"2099-01-01T00:00:00Z","visibility":"network"}`

var listingFields = []string{"title", "body", "themes", "languages", "countries", "formats", "status", "expires_at", "visibility"}

// FuzzListingInput decodes an API body as an offer or need and applies it,
// as a creation and as an update. Properties: a refusal names a JSON field
// and leaves the listing as it was; an accepted listing has a title, a body
// within MaxBody, known lists and choices, an expiry in the future, and safe HTML.
func FuzzListingInput(f *testing.F) {
	f.Add([]byte(validListingJSON))
	f.Add([]byte(`{"title":"  ","countries":["QQ"],"formats":["telepathy"],"expires_at":"2001-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"title":"x","body":"[x](javascript:alert(1)) <img src=x onerror=alert(1)>","expires_at":null}`))
	f.Add([]byte(`{"title":1}`))
	var base Listing
	var in ListingInput
	if !decodeStrict([]byte(validListingJSON), &in) || in.apply(&base, "en", true) != nil {
		f.Fatal("the valid listing does not apply")
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in ListingInput
		if !decodeStrict(body, &in) {
			return
		}
		for _, creating := range []bool{true, false} {
			l := base
			if creating {
				l = Listing{}
			}
			before := snapshot(t, l)
			if err := in.apply(&l, "en", creating); err != nil {
				checkRefusal(t, err, listingFields...)
				if snapshot(t, l) != before {
					t.Fatal("a refused input changed the listing")
				}
				continue
			}
			checkTitle(t, l.Title)
			checkLists(t, l.Languages, l.Countries, l.Themes)
			checkSafeHTML(t, "listing", l.ContentHTML)
			switch {
			case utf8.RuneCountInString(l.Body) > MaxBody:
				t.Fatalf("body of %d runes", utf8.RuneCountInString(l.Body))
			case in.ExpiresAt.Time != nil && l.ExpiresAt != nil && !l.ExpiresAt.After(time.Now().Add(-time.Minute)):
				t.Fatalf("expiry %v in the past", l.ExpiresAt)
			case l.Status != "" && !slices.Contains(Statuses, l.Status), l.Visibility != "" && !slices.Contains(Visibilities, l.Visibility):
				t.Fatalf("choices %q %q", l.Status, l.Visibility)
			}
			for _, fm := range l.Formats {
				if !slices.Contains(Formats, fm) {
					t.Fatalf("format %q", fm)
				}
			}
		}
	})
}
