package anonymise

import (
	"strings"
	"sync"
	"testing"
)

// names returns the originals redacted as names.
func names(res Result) map[string]string {
	out := map[string]string{}
	for _, r := range res.Redactions {
		if r.Kind == KindName {
			out[r.Original] = r.Replacement
		}
	}
	return out
}

// nameCases are the name detector's cases: what must go and what must stay.
var nameCases = []struct {
	name  string
	body  string
	names []string // must be redacted as names
	keep  []string // must stay
}{
	{"full name and parts", "Aisha Khan moved in May. Aisha likes baking; Khan is her family name.",
		[]string{"Aisha Khan", "Aisha", "Khan"}, []string{"May"}},
	{"apostrophe and hyphen", "Declan O'Neill met Mary-Jane at the centre.",
		[]string{"Declan O'Neill", "Mary-Jane"}, nil},
	{"titles", "Mr Okafor, Mrs Begum, Dr Patel, Pastor Adebayo and Sister Agnes came.",
		[]string{"Okafor", "Begum", "Patel", "Adebayo", "Agnes"}, []string{"Mr ", "Dr ", "Sister "}},
	{"many cultures", "Priya Raman, Chinedu Okonkwo, Wei Chen, Katarzyna Nowak, Youssef Haddad, " +
		"María José Hernández and Jean-François Côté met Siobhán and Tomasz.",
		[]string{"Priya Raman", "Chinedu Okonkwo", "Wei Chen", "Katarzyna Nowak", "Youssef Haddad",
			"María José Hernández", "Jean-François Côté", "Siobhán", "Tomasz"}, nil},
	{"Dutch particles", "Her aunt, Marloes van der Berg, helped.",
		[]string{"Marloes van der Berg"}, nil},
	{"Irish particles, capitalised", "Grainne Ni Bhriain moved to Cork with Seán Ó Súilleabháin.",
		[]string{"Grainne Ni Bhriain", "Seán Ó Súilleabháin"}, nil},
	{"places, roles and diagnoses stay", "Her sister moved from Glasgow to Toronto. The council " +
		"and a support worker in Scotland helped; she has autism and Down syndrome.",
		nil, []string{"Glasgow", "Toronto", "Scotland", "sister", "council", "support worker", "autism", "Down syndrome"}},
	{"ordinary capitalised words stay", "On Monday we met. Christmas came. Hope was hard to find. Will it work?",
		nil, []string{"Monday", "Christmas", "Hope", "Will it work"}},
	{"ambiguous first words with a verb", "Will said yes. Grace moved to Leeds.",
		[]string{"Will", "Grace"}, []string{"Leeds"}},
	{"ambiguous names mid-sentence", "She met Rose and Grace at the café.",
		[]string{"Rose", "Grace"}, nil},
	{"unknown name next to a known one", "Chiamaka Obiageli-Nwankwo joined.",
		[]string{"Chiamaka Obiageli-Nwankwo"}, nil},
	{"eponymous conditions stay", "He has Williams syndrome and she has Rett syndrome.",
		nil, []string{"Williams syndrome", "Rett syndrome"}},
}

func TestNames(t *testing.T) {
	for _, tc := range nameCases {
		t.Run(tc.name, func(t *testing.T) {
			res := testAnonymiser(t).Anonymise(Input{Body: tc.body})
			got := names(res)
			for _, n := range tc.names {
				if _, ok := got[n]; !ok {
					t.Errorf("%q not redacted as a name; names: %v", n, got)
				}
			}
			for _, k := range tc.keep {
				if !strings.Contains(res.Body, k) {
					t.Errorf("%q removed: %q", k, res.Body)
				}
			}
		})
	}
}

func TestConsistentFictionalNames(t *testing.T) {
	res := testAnonymiser(t).Anonymise(Input{
		Title: "Chinedu's new home",
		Body:  "Chinedu Okafor moved out. Mr Okafor says Chinedu is happy. Later Okafor laughed. Farah visited Chinedu.",
	})
	var chinedu, farah string
	for _, r := range res.Redactions {
		switch r.Original {
		case "Chinedu", "Chinedu Okafor", "Okafor":
			if chinedu == "" {
				chinedu = r.Replacement
			}
			if r.Replacement != chinedu {
				t.Errorf("%s (%s) became %q, earlier %q", r.Original, r.Field, r.Replacement, chinedu)
			}
		case "Farah":
			farah = r.Replacement
		}
	}
	if chinedu == "" || farah == "" || chinedu == farah {
		t.Errorf("want two different fictional names, got %q and %q", chinedu, farah)
	}
	if !strings.HasPrefix(res.Title, chinedu+"'s") || !strings.Contains(res.Body, "Mr "+chinedu) {
		t.Errorf("title %q, body %q", res.Title, res.Body)
	}
}

func TestFictionalNameNeverAnOriginalWord(t *testing.T) {
	a := testAnonymiser(t)
	// A story naming every fictional name but one: the one left must be chosen.
	pool := a.fictional
	body := "Zanele Dlamini met " + strings.Join(pool[1:], ", ") + "."
	res := a.Anonymise(Input{Body: body})
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(body, func(r rune) bool { return !isWordRune(r) }) {
		words[w] = true
	}
	for _, r := range res.Redactions {
		if r.Kind == KindName && words[strings.Fields(r.Replacement)[0]] {
			t.Errorf("fictional %q for %q appears in the original", r.Replacement, r.Original)
		}
	}
	if got := names(res)["Zanele Dlamini"]; got != pool[0] {
		t.Errorf("Zanele Dlamini became %q, want the only free name %q", got, pool[0])
	}
}

func TestEveryOccurrenceReplaced(t *testing.T) {
	res := testAnonymiser(t).Anonymise(Input{
		Title: "Grace and 07700 900123",
		Body:  "Her friend Grace rang from 07700 900123. Grace kept the number 07700 900123.",
	})
	for _, s := range []string{"Grace", "07700 900123"} {
		if strings.Contains(res.Title+res.Body, s) {
			t.Errorf("%q left in %q / %q", s, res.Title, res.Body)
		}
	}
}

func TestKeepAndAdd(t *testing.T) {
	in := Input{
		Body: "Aisha Khan loves the Rosewood Choir and her dog Biscuit. Hope House helped.",
		Add:  []Addition{{Text: "Rosewood Choir", Kind: KindCustom}, {Text: "Biscuit", Kind: KindName}},
		Keep: []string{"aisha khan"},
	}
	res := testAnonymiser(t).Anonymise(in)
	if !strings.Contains(res.Body, "Aisha Khan") {
		t.Errorf("kept name removed: %q", res.Body)
	}
	if strings.Contains(res.Body, "Rosewood") || !strings.Contains(res.Body, "[detail removed]") {
		t.Errorf("added text not removed: %q", res.Body)
	}
	if strings.Contains(res.Body, "Biscuit") || names(res)["Biscuit"] == "" {
		t.Errorf("added name not given a fictional name: %q", res.Body)
	}
}

func TestOffsetsInRunes(t *testing.T) {
	in := Input{Title: "Zoë’s café 🎉 with Siobhán", Body: "Née à Montréal 🎉, Siobhán Ní Bhriain: siobhan@example.ie, 07700 900123."}
	res := testAnonymiser(t).Anonymise(in)
	if len(res.Redactions) < 4 {
		t.Fatalf("too few redactions: %+v", res.Redactions)
	}
	checkOffsets(t, in.Title, in.Body, res.Redactions)
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"age, village and rare condition", "Isla is a 7-year-old girl from a small fishing village. She has Rett syndrome.", true},
		{"age and distinctive event", "He is 32 and was the first person in his county to win the case; the local paper covered it.", true},
		{"age alone", "She is 42, and she loves the sea.", false},
		{"nothing specific", "A family in a city found support that worked.", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := testAnonymiser(t).Anonymise(Input{Body: tc.body}).Warnings
			if got := len(ws) > 0; got != tc.want {
				t.Fatalf("warnings %+v, want some: %v", ws, tc.want)
			}
			if tc.want && (ws[0].Code != "combination_risk" || !strings.Contains(ws[0].Message, "exact age")) {
				t.Errorf("warning %+v", ws[0])
			}
		})
	}
}

func TestDeterministicAndConcurrent(t *testing.T) {
	a := testAnonymiser(t)
	in := Input{Title: "Declan's story", Body: "Declan O'Neill (born 2 May 1982) lives at 8 Shore Road, BT40 1AB."}
	want := a.Anonymise(in)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := a.Anonymise(in); got.Body != want.Body || got.Title != want.Title {
				t.Errorf("got %q, want %q", got.Body, want.Body)
			}
		}()
	}
	wg.Wait()
}
