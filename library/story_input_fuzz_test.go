package library

import (
	"testing"
	"unicode/utf8"
)

const validStoryJSON = `{"title":"Coming home from hospital","summary":"How Aisha Khan got home.",
"body":"Aisha Khan (born 14 March 1989) left the Royal Infirmary on a Tuesday. Her support worker, Tom, met her at Flat 2, 47 Kelvin Crescent, G12 8QT.",
"languages":["en"],"countries":["GB"],"visibility":"public","keep":["Tuesday"]}`

var storyFields = []string{"title", "body", "summary", "themes", "groups", "features", "countries", "languages", "visibility"}

// FuzzStoryInput decodes an API body as a story, previews it and applies it
// as the store does (anonymised before anything else sees it). Properties:
// every redaction's offsets select its original in the field it names
// (summary and body go through the anonymiser together, so this checks the
// split); a refusal names a JSON field and changes nothing; an accepted
// story has a title, known lists, and safe HTML.
func FuzzStoryInput(f *testing.F) {
	f.Add([]byte(validStoryJSON))
	f.Add([]byte(`{"title":"x","summary":"Call Mr Okafor on 07700 900123.","body":"Grace moved to 123 rue Saint-Denis, Montréal H2X 3K8."}`))
	f.Add([]byte(`{"title":" ","groups":["nobody"],"features":["x"],"add":[{"text":"Riverside","kind":"place"}]}`))
	f.Add([]byte(`{"title":"t","body":"<script>alert(1)</script> [x](javascript:alert(1))"}`))
	s := &Store{cfg: Config{DefaultLanguage: "en"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in StoryInput
		if !decodeStrict(body, &in) {
			return
		}
		if p, err := s.PreviewStory(in); err == nil {
			checkStoryOffsets(t, in, p)
		} else {
			checkRefusal(t, err, storyFields...)
		}
		st := &Story{Themes: []string{}, Languages: []string{}, Countries: []string{}}
		before := snapshot(t, st)
		if err := s.applyStory(st, in); err != nil {
			checkRefusal(t, err, storyFields...)
			if snapshot(t, st) != before {
				t.Fatal("a refused input changed the story")
			}
			return
		}
		if in.Title != nil {
			checkTitle(t, st.Title)
		}
		checkLists(t, st.Languages, st.Countries, st.Themes)
		checkSafeHTML(t, "story", st.ContentHTML)
	})
}

// checkStoryOffsets checks that each redaction's rune offsets select its
// Original in the raw field it names.
func checkStoryOffsets(t *testing.T, in StoryInput, p StoryPreview) {
	t.Helper()
	fields := map[string]string{"title": derefOr(in.Title, ""), "summary": derefOr(in.Summary, ""), "body": derefOr(in.Body, "")}
	for _, r := range p.Redactions {
		text, ok := fields[r.Field]
		if !ok {
			t.Fatalf("redaction in unknown field %q", r.Field)
		}
		runes := []rune(text)
		if r.Start < 0 || r.End > len(runes) || r.Start >= r.End {
			t.Fatalf("%s redaction %q at %d-%d of %d runes", r.Field, r.Original, r.Start, r.End, len(runes))
		}
		if got := string(runes[r.Start:r.End]); got != r.Original && utf8.ValidString(text) {
			t.Fatalf("%s offsets %d-%d select %q, want %q", r.Field, r.Start, r.End, got, r.Original)
		}
	}
}
