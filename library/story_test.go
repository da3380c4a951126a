package library

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library/anonymise"
)

func TestStoryIsAnonymisedOnEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	org := newTestOrg(t, s, "riverside")
	st, err := s.CreateStory(ctx, org.ID, StoryInput{
		Title:   ptr("How Grainne Ni Bhriain got her own front door"),
		Summary: ptr("Grainne Ni Bhriain left a long-stay hospital."),
		Body:    ptr("Grainne Ni Bhriain moved to 27 Harbour Road with support from her brother. Call 07700 900812."),
	})
	if err != nil {
		t.Fatal(err)
	}
	all := st.Title + st.Summary + st.Body
	for _, raw := range []string{"Grainne", "Bhriain", "27 Harbour Road", "07700 900812"} {
		if strings.Contains(all, raw) {
			t.Errorf("stored story contains %q: %s", raw, all)
		}
	}
	if len(st.Pseudonyms) != 1 || !strings.Contains(st.Summary, st.Pseudonyms[0]) || !strings.Contains(st.Body, st.Pseudonyms[0]) {
		t.Fatalf("one fictional name across summary and body: %v\n%s\n%s", st.Pseudonyms, st.Summary, st.Body)
	}
	// An edit keeps the fictional name and anonymises the new text.
	name := st.Pseudonyms[0]
	body := st.Body + " Later " + name + " met Tomasz Wojcik, who lives at 3 Elm Row."
	upd, err := s.UpdateStory(ctx, st.ID, StoryInput{Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(upd.Body, name) || strings.Contains(upd.Body, "Wojcik") || strings.Contains(upd.Body, "3 Elm Row") {
		t.Fatalf("after edit: %s", upd.Body)
	}
	if err := s.DeleteStory(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Story(ctx, st.ID); !errors.Is(err, ErrGone) {
		t.Fatalf("deleted story: %v", err)
	}
}

func TestStoryPreviewStoresNothingAndReportsFields(t *testing.T) {
	s := newTestStore(t)
	p, err := s.PreviewStory(StoryInput{Title: ptr("Amir's move"), Summary: ptr("Amir Haddad moved."), Body: ptr("Write to amir@example.org.")})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, r := range p.Redactions {
		fields[r.Field] = true
		if r.Field == "body" && r.Original == "amir@example.org" && string([]rune("Write to amir@example.org.")[r.Start:r.End]) != r.Original {
			t.Errorf("body offsets %d-%d do not point at %q", r.Start, r.End, r.Original)
		}
	}
	if !fields["title"] || !fields["summary"] || !fields["body"] {
		t.Errorf("redactions by field: %v", fields)
	}
	items, _ := s.Stories(context.Background(), StoryQuery{})
	if len(items) != 0 {
		t.Fatal("a preview stored a story")
	}
	if _, err := s.PreviewStory(StoryInput{Title: ptr(" ")}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty title: %v", err)
	}
	_, err = s.CreateStory(context.Background(), newTestOrg(t, s, "x").ID, StoryInput{Title: ptr("t"), Groups: &[]string{"housing"}})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "groups" {
		t.Fatalf("a topic given as a group: %v", err)
	}
	_ = anonymise.KindName
}
