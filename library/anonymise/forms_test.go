package anonymise

import (
	"strings"
	"testing"
)

// formCases check that every form of a found name goes, and that small
// places no list knows are generalised after a word of place.
var formCases = []struct {
	name, body string
	gone       []string
	keep       []string
}{
	{"lower case in a message", `Priya Raman helped. Her text: "hi priya, tell oluwaseun im ok". Oluwaseun laughed.`,
		[]string{"priya", "oluwaseun"}, []string{"tell"}},
	{"capitals in a note", "Mehdi Benali came. NOTE: MEHDI ATE WELL.", []string{"MEHDI"}, []string{"ATE WELL"}},
	{"initials", "Frank Dunmore moved in. F. had chips; later Frank signed it F.", []string{"F."}, []string{"had chips"}},
	{"nickname by prefix", "Fenna de Groot paints. Her friend calls her Fen at the club.", []string{"Fen "}, nil},
	{"a title before a name", "An apprenticeship with Madam Adeyinka, a tailor.", []string{"Adeyinka"}, []string{"tailor"}},
	{"unknown village after in", "He grew up in Cullivoe and later moved near Ballinkerrin.", []string{"Cullivoe", "Ballinkerrin"}, []string{"grew up"}},
	{"unknown place of two words", "He grew up in Te Awamutu with his koro.", []string{"Te Awamutu"}, nil},
	{"a person after to is no town", "If a parent wants to speak to Marcus, he's happy.", nil, []string{"a village"}},
	{"a surname that is also a word", "Her job coach, Thierry Baud, and Geneviève Paradis came.",
		[]string{"Baud", "Paradis"}, []string{"job coach"}},
	{"counties stay", "They moved to Perthshire.", nil, []string{"Perthshire"}},
}

func TestNameFormsAndSmallPlaces(t *testing.T) {
	for _, tc := range formCases {
		t.Run(tc.name, func(t *testing.T) {
			res := testAnonymiser(t).Anonymise(Input{Body: tc.body})
			for _, g := range tc.gone {
				if strings.Contains(res.Body, g) {
					t.Errorf("%q still in %q", g, res.Body)
				}
			}
			for _, k := range tc.keep {
				if strings.Contains(k, "village") {
					if strings.Contains(res.Body, k) {
						t.Errorf("%q in %q", k, res.Body)
					}
				} else if !strings.Contains(res.Body, k) {
					t.Errorf("%q removed: %q", k, res.Body)
				}
			}
		})
	}
}
