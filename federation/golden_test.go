package federation_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/federation")

// fetchAS GETs a URL as a server would and returns the status and JSON.
func fetchAS(t *testing.T, iri string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", iri, nil)
	req.Header.Set("Accept", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/activity+json") {
		// GoToSocial refuses anything but activity+json or ld+json with the profile.
		t.Fatalf("%s answered Content-Type %q", iri, ct)
	}
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

var (
	ulidPattern = regexp.MustCompile(`[0-9a-hjkmnp-tv-z]{26}`)
	datePattern = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)
	pemPattern  = regexp.MustCompile(`-----BEGIN PUBLIC KEY-----[^"]*-----END PUBLIC KEY-----\\n`)
)

// golden compares a document, with its node URL, ids, dates and key made
// stable, to testdata/federation/name.json.
func golden(t *testing.T, n *testNode, name string, doc map[string]any) {
	t.Helper()
	ctx := doc["@context"]
	require(t, name+": @context declares ActivityStreams, security and our namespace",
		hasString(ctx, "https://www.w3.org/ns/activitystreams") && hasString(ctx, "https://w3id.org/security/v1") &&
			strings.Contains(compactJSON(ctx), `"commonplace":"https://commonplace.citizen-network.org/ns#"`))
	doc["@context"] = "the fixed context of jsonld.go (other mappings add terms to it)"
	defer func() { doc["@context"] = ctx }()
	b, _ := json.MarshalIndent(doc, "", "  ")
	s := strings.ReplaceAll(string(b), n.URL, "https://node.example")
	s = ulidPattern.ReplaceAllString(s, "ID")
	s = datePattern.ReplaceAllString(s, "2026-01-01T00:00:00Z")
	s = pemPattern.ReplaceAllString(s, "PEM")
	path := filepath.Join("..", "testdata", "federation", name+".json")
	if *update {
		if err := os.WriteFile(path, []byte(s+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if strings.TrimSpace(string(want)) != strings.TrimSpace(s) {
		t.Errorf("%s differs from %s:\n%s", name, path, s)
	}
}

// require fails when a document lacks what a server's documentation requires.
func require(t *testing.T, what string, ok bool) {
	t.Helper()
	if !ok {
		t.Errorf("requirement not met: %s", what)
	}
}

func compactJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func str(v any) string { s, _ := v.(string); return s }

func hasString(v any, want string) bool {
	switch x := v.(type) {
	case string:
		return x == want
	case []any:
		for _, e := range x {
			if e == want {
				return true
			}
		}
	}
	return false
}

// TestDocumentsAsMastodonAndGoToSocialRequire checks the actor, an offer's
// Note, its Create and a Tombstone against Mastodon's and GoToSocial's
// federation documentation, and against golden files.
func TestDocumentsAsMastodonAndGoToSocialRequire(t *testing.T) {
	n := newNode(t, "a")
	org := n.org("riverside", "Riverside Support", "GB")
	in := "We recruit personal assistants **with** the person.\n\nAsk us for our interview guide."
	offer := n.post(library.Offer, org, "Recruiting staff together with the person", in, "public", "personnel", "staff-matching")

	code, actor := fetchAS(t, org.APID)
	require(t, "actor answers 200", code == 200)
	// Mastodon (spec/activitypub, Profile federation): preferredUsername must map back to a WebFinger acct: URI.
	require(t, "preferredUsername is the handle", actor["preferredUsername"] == "riverside")
	// ActivityPub and GoToSocial (actors.md): inbox and outbox; Mastodon delivers to endpoints.sharedInbox when present.
	require(t, "inbox", actor["inbox"] == org.APID+"/inbox")
	require(t, "outbox", actor["outbox"] == org.APID+"/outbox")
	require(t, "followers and following", actor["followers"] == org.APID+"/followers" && actor["following"] == org.APID+"/following")
	ep, _ := actor["endpoints"].(map[string]any)
	require(t, "endpoints.sharedInbox", ep["sharedInbox"] == n.URL+"/inbox")
	// Mastodon (spec/security): publicKey with id, owner = actor, publicKeyPem; keyId ...#main-key.
	pk, _ := actor["publicKey"].(map[string]any)
	require(t, "publicKey.id is #main-key", pk["id"] == org.APID+"#main-key")
	require(t, "publicKey.owner is the actor", pk["owner"] == org.APID)
	require(t, "publicKeyPem", strings.HasPrefix(str(pk["publicKeyPem"]), "-----BEGIN PUBLIC KEY-----"))
	// Mastodon (discoverable) and FEP-5feb (indexable): present and true by default.
	require(t, "discoverable and indexable", actor["discoverable"] == true && actor["indexable"] == true)
	require(t, "@context names ActivityStreams and security", hasString(actor["@context"], "https://www.w3.org/ns/activitystreams") &&
		hasString(actor["@context"], "https://w3id.org/security/v1"))
	golden(t, n, "actor", actor)

	code, note := fetchAS(t, offer.APID)
	require(t, "note answers 200", code == 200)
	// Mastodon renders Note (and Question) natively; content is HTML kept as p, a, span, br.
	require(t, "type Note", note["type"] == "Note")
	require(t, "content leads with the title", strings.Contains(str(note["content"]), "Recruiting staff together with the person"))
	cm, _ := note["contentMap"].(map[string]any)
	// GoToSocial (posts.md): contentMap whose value equals content gives the language.
	require(t, "contentMap matches content", cm["en"] == note["content"])
	require(t, "attributedTo is the actor", note["attributedTo"] == org.APID)
	require(t, "public: to Public", hasString(note["to"], "https://www.w3.org/ns/activitystreams#Public"))
	require(t, "cc the followers", hasString(note["cc"], org.APID+"/followers"))
	require(t, "published", str(note["published"]) != "")
	// Mastodon and GoToSocial: hashtags as Hashtag in tag, name starting with #.
	tags, _ := note["tag"].([]any)
	tag0, _ := func() (map[string]any, bool) {
		if len(tags) == 0 {
			return nil, false
		}
		m, ok := tags[0].(map[string]any)
		return m, ok
	}()
	require(t, "Hashtag tags", len(tags) == 2 && tag0["type"] == "Hashtag" && strings.HasPrefix(str(tag0["name"]), "#"))
	require(t, "no summary (Mastodon shows it as a content warning)", note["summary"] == nil)
	require(t, "extension: kind", note["commonplace:kind"] == "offer")
	// FEP-5feb's indexable on the object too: the author's consent, per object.
	require(t, "indexable on the object", note["indexable"] == true)
	golden(t, n, "note", note)

	_, page := fetchAS(t, org.APID+"/outbox?page=true")
	items, _ := page["orderedItems"].([]any)
	create, _ := func() (map[string]any, bool) {
		if len(items) == 0 {
			return nil, false
		}
		m, ok := items[0].(map[string]any)
		return m, ok
	}()
	require(t, "outbox page holds a Create", create["type"] == "Create")
	obj, _ := create["object"].(map[string]any)
	// Mastodon: the Create's actor must be the object's author; addressing as the object's.
	require(t, "Create actor is the author", create["actor"] == org.APID && obj["attributedTo"] == org.APID)
	require(t, "Create embeds the Note", obj["id"] == offer.APID && obj["type"] == "Note")
	require(t, "Create addressed as the Note", hasString(create["to"], "https://www.w3.org/ns/activitystreams#Public"))
	create["@context"] = page["@context"]
	golden(t, n, "create", create)

	if err := n.store.DeleteListing(context.Background(), library.Offer, offer.ID); err != nil {
		t.Fatal(err)
	}
	code, tomb := fetchAS(t, offer.APID)
	// ActivityPub 7.3: a deleted object answers 410 Gone with a Tombstone.
	require(t, "410 Gone", code == http.StatusGone)
	require(t, "Tombstone with formerType and deleted", tomb["type"] == "Tombstone" && tomb["formerType"] == "Note" &&
		tomb["id"] == offer.APID && str(tomb["deleted"]) != "")
	if d, err := time.Parse(time.RFC3339, str(tomb["deleted"])); err != nil || time.Since(d) > time.Minute {
		t.Errorf("deleted is not the time of deletion: %v", tomb["deleted"])
	}
	golden(t, n, "tombstone", tomb)
}
