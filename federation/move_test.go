package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestOrganizationMovesBetweenNodes (issue 15): riverside moves from node a to
// node b. Its offer, need, story and event go along under the same ids; an
// organisation on node c that followed it on a follows it on b without doing
// anything, its copies now come from b, and a new offer posted on b reaches
// it; a Mastodon-like follower receives the Move; a's old IRIs redirect to
// b, and a's actor says movedTo.
func TestOrganizationMovesBetweenNodes(t *testing.T) {
	a, b, c := newNode(t, "a"), newNode(t, "b"), newNode(t, "c")
	ctx := context.Background()
	org, token := a.orgToken("riverside")
	c.org("hillside", "Hillside Homes", "GB")
	if code, body := c.api("POST", "/api/v1/follows", map[string]string{"org": "hillside", "account": org.APID}); code != http.StatusAccepted {
		t.Fatalf("hillside follows riverside: %d %s", code, body)
	}
	d := newFediDouble(t)
	follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": d.actorID() + "#follows/1",
		"type": "Follow", "actor": d.actorID(), "object": org.APID}
	if code := d.post(a.URL+"/inbox", follow); code != http.StatusAccepted {
		t.Fatalf("the double's Follow answered %d", code)
	}
	eventually(t, 10*time.Second, "both follows accepted", func() bool {
		return d.find("Accept") != nil && followerCount(t, org.APID) == 2
	})

	offer := a.post(library.Offer, org, "Recruiting personal assistants with the person", "We share our interview guide.", "public", "personnel")
	need := a.post(library.Need, org, "Learning about microboards", "We want to learn how families set up a microboard.", "public")
	title, text := "A home of his own", "He left the ward and now lives in his own flat."
	story, err := a.store.CreateStory(ctx, org.ID, library.StoryInput{Title: &title, Body: &text})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour).UTC()
	code, ev := a.call("POST", "/api/v1/events", token, fmt.Sprintf(`{"title": "Support planning with families", "body": "An afternoon.",
		"start": %q, "end": %q, "timezone": "Europe/London", "online_url": "https://meet.example/x"}`,
		start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339)))
	if code != http.StatusCreated {
		t.Fatalf("event: %d %v", code, ev)
	}
	eventually(t, 10*time.Second, "c holds riverside's offer", func() bool { return c.remote(offer.APID) != nil })

	// Not before b names riverside@a in alsoKnownAs.
	newActor := b.URL + "/orgs/riverside"
	if code, body := a.api("POST", "/api/v1/admin/orgs/riverside/move", map[string]string{"to": newActor}); code != http.StatusUnprocessableEntity {
		t.Fatalf("a move to an actor that does not exist yet: %d %s, want 422", code, body)
	}
	code, raw := a.api("GET", "/api/v1/admin/orgs/riverside/archive", nil)
	var archive library.OrgArchive
	if code != http.StatusOK || json.Unmarshal(raw, &archive) != nil {
		t.Fatalf("archive: %d %s", code, raw)
	}
	if len(archive.Listings) != 2 || len(archive.Stories) != 1 || len(archive.Events) != 1 {
		t.Fatalf("archive holds %d listings, %d stories, %d events; want 2, 1, 1", len(archive.Listings), len(archive.Stories), len(archive.Events))
	}
	if _, err := b.store.ImportOrganization(ctx, &archive); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.ImportOrganization(ctx, &archive); err == nil {
		t.Fatal("the same archive imported twice")
	}
	if code, body := a.api("POST", "/api/v1/admin/orgs/riverside/move", map[string]string{"to": newActor}); code != http.StatusAccepted {
		t.Fatalf("move: %d %s", code, body)
	}

	moved := func(iri string) string { return library.MovedIRI(iri, newActor) }
	// b has every object, at its own IRIs with the same ids.
	for _, iri := range []string{offer.APID, need.APID, story.APID, ev["ap_id"].(string)} {
		if code, _ := getAS(t, moved(iri)); code != http.StatusOK {
			t.Errorf("%s on b: %d", moved(iri), code)
		}
	}
	// c follows riverside@b and holds b's copies, not a's.
	eventually(t, 15*time.Second, "c holds b's offer instead of a's", func() bool {
		return c.remote(moved(offer.APID)) != nil && c.remote(offer.APID) == nil
	})
	eventually(t, 15*time.Second, "b has c's follow", func() bool { return followerCount(t, newActor) == 1 })
	fresh := b.post(library.Offer, orgOn(t, b, "riverside"), "Circles of support for young adults", "How we start a circle.", "public")
	eventually(t, 15*time.Second, "c receives riverside's new offer from b", func() bool { return c.remote(fresh.APID) != nil })
	eventually(t, 15*time.Second, "c's search finds the offer at b, once", func() bool {
		hits := c.searchHits("interview guide")
		return len(hits) == 1 && hits[0].APID == moved(offer.APID)
	})
	// The Mastodon-like follower got the Move, naming b's actor.
	eventually(t, 10*time.Second, "the double receives the Move", func() bool { return d.find("Move") != nil })
	if m := d.find("Move"); m["actor"] != org.APID || m["object"] != org.APID || m["target"] != newActor {
		t.Errorf("Move: %v", m)
	}
	// a: the actor says movedTo; the pages and objects redirect to b.
	if _, actor := getAS(t, org.APID); actor["movedTo"] != newActor {
		t.Errorf("a's actor after the move: movedTo %v", actor["movedTo"])
	}
	if _, actor := getAS(t, newActor); !slices.Contains(toStrings(actor["alsoKnownAs"]), org.APID) {
		t.Errorf("b's actor: alsoKnownAs %v", actor["alsoKnownAs"])
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, iri := range []string{offer.APID, story.APID, ev["ap_id"].(string)} {
		for _, accept := range []string{"text/html", "application/activity+json"} {
			req, _ := http.NewRequest("GET", iri, nil)
			req.Header.Set("Accept", accept)
			res, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != moved(iri) {
				t.Errorf("%s (%s): %d Location %q, want 301 to %s", iri, accept, res.StatusCode, res.Header.Get("Location"), moved(iri))
			}
		}
	}
	eventually(t, 15*time.Second, "a no longer finds the moved offer", func() bool { return len(a.searchHits("interview guide")) == 0 })
}

// followerCount is the size of an actor's followers collection.
func followerCount(t *testing.T, actor string) int {
	_, col := getAS(t, actor+"/followers")
	n, _ := col["totalItems"].(float64)
	return int(n)
}

// getAS fetches an ActivityStreams document.
func getAS(t *testing.T, iri string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", iri, nil)
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// orgOn is a local organisation of n by handle.
func orgOn(t *testing.T, n *testNode, handle string) *library.Organization {
	t.Helper()
	o, err := n.store.OrganizationByHandle(context.Background(), handle)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return strings.Fields(fmt.Sprint(v))
}
