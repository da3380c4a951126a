package anonymise

import (
	"strings"
	"testing"
)

// addressCases are streets, flats, postcodes and links written as people of
// several countries write them.
var addressCases = []struct {
	name    string
	body    string
	removed []string
	keep    []string
}{
	{"street word first, number last", "Elle vit avenue Jean Materne 112, boîte 3, 5100 Jambes, près de la gare.",
		[]string{"avenue Jean Materne 112, boîte 3", "5100"}, []string{"près de la gare"}},
	{"Catalan street and floor", "Viu al Carrer de Verdi 73, 2º 1ª, 08012 Barcelona.",
		[]string{"Carrer de Verdi 73", "2º 1ª", "08012"}, []string{"Barcelona"}},
	{"Nordic compound street", "Hun bor i Vestfjordgata 21, 8300 Svolvær.",
		[]string{"Vestfjordgata 21", "8300"}, nil},
	{"Swiss Grand-Rue and prefixed postcode", "domicile Grand-Rue 18, CH-1337 Vallorbe",
		[]string{"Grand-Rue 18", "CH-1337"}, nil},
	{"French streets without a number", "un café près de la place du Marché, puis rang Saint-Joseph.",
		[]string{"place du Marché", "rang Saint-Joseph"}, []string{"un café"}},
	{"English streets without a number", "Priya went door-to-door along King Street and Perrott Street; the High Street stayed.",
		[]string{"King Street", "Perrott Street"}, []string{"High Street"}},
	{"Irish estate", "The bungalow at 7 Knockbawn Lawns was the third.",
		[]string{"7 Knockbawn Lawns"}, nil},
	{"years before names stay", "In 2019 Sarah moved; 1500 Christmas cards were sent in 2021.",
		nil, []string{"2019", "1500 Christmas", "2021"}},
	{"links without a scheme", "See linktr.ee/taylasplants and constancefavre-illustration.ch for her work.",
		[]string{"linktr.ee/taylasplants", "constancefavre-illustration.ch"}, nil},
	{"a handle's host is no link", "Follow @rosa@mastodon.art and @ben@social.coop.",
		[]string{"@rosa@mastodon.art", "@ben@social.coop"}, nil},
	{"a missing space is no link", "She came home.He said e.g. no.",
		nil, []string{"home.He", "e.g"}},
	{"French number with bis, postcode after", "Il vit au 12 bis, impasse des Lilas, 45800, avec Kévin.",
		[]string{"12 bis, impasse des Lilas", "45800"}, []string{"avec"}},
	{"inside a French address", "résidence Les Pins, bâtiment C, appartement 12, puis au 4e étage, escalier B.",
		[]string{"résidence Les Pins, bâtiment C, appartement 12", "4e étage, escalier B"}, []string{"puis"}},
	{"Nigerian number prefix, block and estate", "He lives at No. 7, Adeola Street, then Block 12, Flat 3, Abesan Estate.",
		[]string{"No. 7, Adeola Street", "Block 12", "Flat 3", "Abesan Estate"}, []string{"He lives at"}},
	{"Indian flat, building and PIN", "She lives in Flat 302, Sai Krupa Apartments, Karve Road, Pune 411038.",
		[]string{"Flat 302", "Sai Krupa Apartments", "411038"}, []string{"Pune"}},
	{"Gaelic house name", "A house came up: Teach Bán, two miles away.",
		[]string{"Teach Bán"}, []string{"two miles"}},
	{"rang as an English verb", "Bec rang Greenleaf Nurseries and I rang Sandra.",
		nil, []string{"rang"}},
	{"a street by its abbreviation", "He works on W. Grant Rd. with friends, near Elm St.",
		[]string{"W. Grant Rd.", "Elm St."}, []string{"with friends"}},
	{"a building after a flat, and the street after it", "She lives in Apartment 12, The Maltings, Mill Lane, and at Flat 14, Gloucester House, Rye Hill Park, SE15 3JN.",
		[]string{"The Maltings", "Mill Lane", "Gloucester House", "Rye Hill Park"}, []string{"She lives in"}},
	{"a town after a flat stays", "He moved to 88 Centre Street, Apt 3B, Boston, MA 02130.",
		[]string{"88 Centre Street, Apt 3B"}, []string{"Boston"}},
	{"Indian door number and locality", "Door No. 14, Second Cross Street, Kamaraj Nagar, Chennai 600020.",
		[]string{"Door No. 14", "Second Cross Street", "Kamaraj Nagar", "600020"}, []string{"Chennai"}},
	{"a street with a direction after it", "She works at a café on Cowbridge Road East, near the bridge.",
		[]string{"Cowbridge Road East"}, []string{"near the bridge"}},
	{"Spanish floor and door", "Vive en Calle Mayor 23, bajo izquierda, 46120 Alboraia.",
		[]string{"Calle Mayor 23, bajo izquierda", "46120"}, nil},
	{"a Dutch postcode that looks like a time", "Hoogstraat 212-A, 5615 PM Eindhoven.",
		[]string{"5615 PM"}, []string{"Eindhoven"}},
	{"a lone short number sign stays", "She was the #1 fan.", nil, []string{"#1 fan"}},
	{"Norse street and Irish house", "Her café is on Water Skellgate; they live at Ard na Gréine, Rushbrooke.",
		[]string{"Water Skellgate", "Ard na Gréine"}, []string{"Her café is on"}},
	{"a numbered Gaelic street", "She lives at 7 Cnoc na Cille, Balallan.", []string{"7 Cnoc na Cille"}, nil},
	{"a square behind which", "The shed meets behind Mirrabooka Square on Tuesdays.", []string{"Mirrabooka Square"}, []string{"on Tuesdays"}},
	{"place as a word stays", "the hospital is a place I used to live",
		nil, []string{"a place I used"}},
}

func TestAddresses(t *testing.T) {
	for _, tc := range addressCases {
		t.Run(tc.name, func(t *testing.T) {
			res := testAnonymiser(t).Anonymise(Input{Body: tc.body})
			got := map[string]bool{}
			for _, r := range res.Redactions {
				got[r.Original] = true
			}
			for _, s := range tc.removed {
				if !got[s] {
					t.Errorf("%q not removed: %q", s, res.Body)
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
