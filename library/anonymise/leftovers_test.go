package anonymise

import (
	"strings"
	"testing"
)

func TestLeftovers(t *testing.T) {
	a := New()
	res := Result{
		Title: "A new start",
		Body: "Last year she moved into a flat of her own in Manchester. Her neighbour Zbigniewa helps " +
			"on Tuesdays, and the housing officer gave her reference HX4471B. She pays 1250 pounds a " +
			"month, from 2019 on, and since 14 March the support is hers. Twelve hours a week.",
	}
	got := map[string]string{}
	for _, l := range a.Leftovers(res) {
		got[l.Text] = l.Why
	}
	for text, why := range map[string]string{"Zbigniewa": WhyName, "HX4471B": WhyCode, "1250": WhyNumber, "14": WhyDate} {
		if got[text] != why {
			t.Errorf("%q: got %q, want %q", text, got[text], why)
		}
	}
	for _, ordinary := range []string{"Manchester", "Tuesdays", "2019", "Twelve", "Last", "March", "She"} {
		if why, ok := got[ordinary]; ok {
			t.Errorf("%q flagged: %s", ordinary, why)
		}
	}
}

// TestLeftoversSkipOwnNames: the fictional names the anonymiser writes in
// are not shown to the author as leftovers.
func TestLeftoversSkipOwnNames(t *testing.T) {
	a := New()
	res := a.Anonymise(Input{Title: "Moving on", Body: "Siobhan Okonkwo-Barrett moved to a flat. Siobhan chose her staff."})
	for _, l := range a.Leftovers(res) {
		if strings.Contains(res.Body, l.Text) && l.Why == WhyName {
			for _, red := range res.Redactions {
				if strings.Contains(red.Replacement, l.Text) {
					t.Errorf("the pseudonym %q is shown as a leftover", l.Text)
				}
			}
		}
	}
}
