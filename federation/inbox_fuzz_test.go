package federation

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/citizen-network/commonplace/library"
)

// FuzzInboundActivity takes a body the way the inbox does (depth guard,
// parse, id/type/actor), then reads it as every mapping and as an actor
// would, up to the database. Properties: titles are never empty or longer
// than the library allows; bodies from Markdown sources are bounded;
// countries, links and numbers are in range; an accepted actor document
// names its inbox and key on its own host and carries a usable key.
func FuzzInboundActivity(f *testing.F) {
	for _, dir := range []string{"activities", "actors"} {
		for _, b := range seedFiles(f, dir) {
			f.Add(b)
		}
	}
	for _, b := range goldenFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > maxBody || !jsonDepthOK(body, maxDepth) {
			return
		}
		a, err := parseObject(body)
		if err != nil {
			return
		}
		checkActorDocument(t, a)
		objects := append([]object{a}, a.objs("object")...)
		for _, o := range objects {
			_ = recognise(o)
			checkMappedFields(t, o)
		}
	})
}

// checkMappedFields checks what storeListing, storeEvent and storeStory
// would hand to the library.
func checkMappedFields(t *testing.T, o object) {
	t.Helper()
	title := listingTitle(o)
	if title == "" || utf8.RuneCountInString(title) > library.MaxTitle {
		t.Fatalf("title of %d runes: %q", utf8.RuneCountInString(title), title)
	}
	body, _ := listingBody(o)
	if src, ok := o.obj("source"); ok && src.str("mediaType") == "text/markdown" && utf8.RuneCountInString(body) > library.MaxBody {
		t.Fatalf("Markdown body of %d runes", utf8.RuneCountInString(body))
	}
	p := remotePlace(o)
	if c := p.Country; c != "" && (c != strings.ToUpper(c) || len(c) > 6) {
		t.Fatalf("country %q", c)
	}
	if l := onlineLink(o); l != "" && !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
		t.Fatalf("online link %q", l)
	}
	for _, k := range []string{"maximumAttendeeCapacity", "participantCount", "remainingAttendeeCapacity"} {
		if n := intValue(o[k]); n < 0 || n > library.MaxCapacity {
			t.Fatalf("%s read as %d", k, n)
		}
	}
	for _, l := range filterList(o.ext("languages"), langTag.MatchString) {
		if !langTag.MatchString(l) {
			t.Fatalf("language %q", l)
		}
	}
	_ = objectVersion(o)
	_ = objectIndexable(o)
}

// checkActorDocument checks actorFromDocument and orgFromActor.
func checkActorDocument(t *testing.T, o object) {
	t.Helper()
	a, err := actorFromDocument(o)
	if err != nil {
		return
	}
	switch {
	case a.ID == "" || a.Domain == "" || a.Domain != hostOf(a.ID):
		t.Fatalf("actor %q on domain %q", a.ID, a.Domain)
	case hostOf(a.Inbox) != a.Domain || hostOf(a.KeyID) != a.Domain:
		t.Fatalf("inbox %q or key %q off %s", a.Inbox, a.KeyID, a.Domain)
	case a.SharedInbox != "" && hostOf(a.SharedInbox) != a.Domain:
		t.Fatalf("shared inbox %q off %s", a.SharedInbox, a.Domain)
	case a.pub == nil || a.pub.N.Sign() <= 0:
		t.Fatal("actor accepted without a usable key")
	case !json.Valid([]byte(a.Document)):
		t.Fatal("stored document is not JSON")
	}
	org := orgFromActor(a)
	if org.Name == "" || (org.URL != a.ID && hostOf(org.URL) != a.Domain) {
		t.Fatalf("organisation %q at %q for %s", org.Name, org.URL, a.ID)
	}
	if c := org.Country; c != "" && (len(c) != 2 || c != strings.ToUpper(c)) {
		t.Fatalf("country %q", c)
	}
}
