package federation_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestStoryCarriedAsArticle: an anonymised story reaches a peer as an Article
// with every field, and its deletion follows.
func TestStoryCarriedAsArticle(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	org := a.org("riverside", "Riverside Support", "GB")
	a.peer(b)
	ctx := context.Background()
	title, body := "A home of his own", "Callum Fraser left the ward and now lives in Paisley. Call 07700 900123."
	st, err := a.store.CreateStory(ctx, org.ID, library.StoryInput{
		Title: &title, Body: &body, Groups: &[]string{"adults-learning-disabilities"}, Countries: &[]string{"GB-SCT"},
		Features: &[]string{"citizenship-is-the-goal"},
	})
	if err != nil {
		t.Fatal(err)
	}
	remote := func() *library.Story {
		items, err := b.store.Stories(ctx, library.StoryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range items {
			if items[i].APID == st.APID {
				return &items[i]
			}
		}
		return nil
	}
	eventually(t, 10*time.Second, "story at b", func() bool { return remote() != nil })
	got := remote()
	switch {
	case got.Local || got.Title != st.Title || got.Body != st.Body || got.Org == nil || got.Org.Domain != a.host():
		t.Fatalf("fields not recovered: %+v", got)
	case !slices.Equal(got.Themes, st.Themes) || !slices.Equal(got.Groups, st.Groups) || !slices.Equal(got.Features, st.Features):
		t.Fatalf("themes, groups or features lost: %v %v %v, want %v %v %v", got.Themes, got.Groups, got.Features, st.Themes, st.Groups, st.Features)
	case !slices.Equal(got.Countries, []string{"GB-SCT"}) || strings.Contains(got.Body, "Callum") || strings.Contains(got.Body, "07700"):
		t.Fatalf("countries or anonymisation: %+v", got)
	}
	req, _ := http.NewRequest("GET", st.APID, nil)
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/activity+json") {
		t.Fatalf("GET the Article: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if err := a.store.DeleteStory(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "delete at b", func() bool { return remote() == nil })
}
