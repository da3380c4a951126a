package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	bleveDoc "github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/citizen-network/commonplace/library"
)

// TestBleveDocumentAsMapping holds the documents that bleveDocument makes
// equal to those Bleve makes of the same map through the mapping: the same
// fields, values, options and analysed words, for every kind of object.
func TestBleveDocumentAsMapping(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store)
	ctx := context.Background()
	a := newOrg(t, store, "alpha", "GB")
	b := newOrg(t, store, "beta", "FR")
	post(t, store, library.Offer, a, listing{title: "Recruiting support workers who fit", body: "We've matched 1,200 staff to people; ask us about values-based interviews.",
		countries: []string{"GB", "IE"}, formats: []string{"online", "visit"}})
	post(t, store, library.Need, b, listing{title: "Budgets individuels", body: "Nous voulons apprendre à gérer des budgets individuels, avec les familles.",
		langs: []string{"fr", "en"}, themes: []string{"individualised-funding"}})
	post(t, store, library.Need, b, listing{title: "Kazi za msaada", body: "Tunataka kujifunza kuhusu makazi.", langs: []string{"sw"}})
	l := post(t, store, library.Offer, b, listing{title: "Ervaring met wonen", body: "Wij delen onze ervaring met wonen en huurcontracten.", langs: []string{"nl"}})
	soon := time.Now().Add(time.Hour)
	if _, err := store.UpdateListing(ctx, library.Offer, l.ID, library.ListingInput{ExpiresAt: library.OptionalTime{Set: true, Time: &soon}}); err != nil {
		t.Fatal(err)
	}
	title, body := "A home of her own", "After twenty years in a group home, she chose her flat."
	if _, err := store.CreateStory(ctx, a.ID, library.StoryInput{Title: &title, Body: &body}); err != nil {
		t.Fatal(err)
	}
	etitle, ebody := "Workshop on tenancies", "An online workshop about tenancies and landlords."
	start, end, online := time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339), time.Now().Add(50*time.Hour).UTC().Format(time.RFC3339), "https://meet.example/x"
	tz := "Europe/London"
	if _, err := store.CreateEvent(ctx, a.ID, library.EventInput{Title: &etitle, Body: &ebody, Start: &start, End: &end, Timezone: &tz, OnlineURL: &online}); err != nil {
		t.Fatal(err)
	}
	m := buildMapping()
	checked := map[library.ObjectKind]int{}
	for _, src := range sources() {
		docs, err := src.load(ctx, svc, store.DB())
		if err != nil {
			t.Fatal(err)
		}
		for id, d := range docs {
			id = docID(src.kind, id)
			d = withFacets(d)
			got, err := bleveDocument(id, d)
			if err != nil {
				t.Fatal(err)
			}
			want := bleveDoc.NewDocument(id)
			if err := m.MapDocument(want, plainDocument(d)); err != nil {
				t.Fatal(err)
			}
			if g, w := describe(got), describe(want); !slices.Equal(g, w) {
				t.Errorf("%s:\n got only %q\nwant only %q", id, without(g, w), without(w, g))
			}
			checked[src.kind]++
		}
	}
	for _, kind := range []library.ObjectKind{library.KindOrganization, library.KindOffer, library.KindNeed, library.KindStory, library.KindEvent} {
		if checked[kind] == 0 {
			t.Errorf("no %s checked", kind)
		}
	}
}

// TestBleveDocumentRefusesUnknown holds that a field outside the mapping, or
// a value of a type the mapping cannot index, is an error.
func TestBleveDocumentRefusesUnknown(t *testing.T) {
	for _, d := range []document{{"no_such_field": "x"}, {fStatus: 3}, {fStatus: time.Now()}, {fExpires: "tomorrow"}} {
		if _, err := bleveDocument("offer:1", d); err == nil {
			t.Errorf("%v: no error", d)
		}
	}
}

// plainDocument is d with analysed texts as plain strings, as Bleve's
// mapping reads a map.
func plainDocument(d document) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		if a, ok := v.(analysed); ok {
			v = a.text
		}
		out[k] = v
	}
	return out
}

// describe analyses doc's fields as the index does and writes down, sorted,
// what the index keeps of them: for each field name, its options and its
// words and length over all its values (the index merges the values of a
// list); for each stored value, its position in its list and its bytes.
func describe(doc *bleveDoc.Document) []string {
	type indexed struct {
		opts   index.FieldIndexingOptions
		typ    byte
		length int
		bytes  uint64
		words  map[string]int
	}
	byName := map[string]*indexed{}
	var out []string
	doc.VisitFields(func(f index.Field) {
		value := string(f.Value()) // analysis may lowercase it in place
		if f.Options().IsIndexed() {
			f.Analyze()
		}
		if f.Options().IsStored() {
			out = append(out, fmt.Sprintf("stored %s%v %q", f.Name(), f.ArrayPositions(), value))
		}
		in := byName[f.Name()]
		if in == nil {
			in = &indexed{opts: f.Options(), typ: f.EncodedFieldType(), words: map[string]int{}}
			byName[f.Name()] = in
		}
		if in.opts != f.Options() || in.typ != f.EncodedFieldType() {
			out = append(out, fmt.Sprintf("%s: values of different options or types", f.Name()))
		}
		in.length += f.AnalyzedLength()
		in.bytes += f.NumPlainTextBytes()
		for term, tf := range f.AnalyzedTokenFrequencies() {
			if len(tf.Locations) > 0 {
				out = append(out, fmt.Sprintf("%s: locations of %q", f.Name(), term))
			}
			in.words[term] += tf.Frequency()
		}
	})
	for name, in := range byName {
		words := make([]string, 0, len(in.words))
		for term, n := range in.words {
			words = append(words, fmt.Sprintf("%s×%d", term, n))
		}
		slices.Sort(words)
		out = append(out, fmt.Sprintf("field %s opts=%d type=%c length=%d bytes=%d words=%v", name, in.opts, in.typ, in.length, in.bytes, words))
	}
	slices.SortFunc(out, cmp.Compare)
	return append(out, fmt.Sprint("indexed=", doc.Indexed()))
}

// without is what a holds that b does not.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
