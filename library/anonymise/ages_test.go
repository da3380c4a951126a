package anonymise

import (
	"strings"
	"testing"
)

func TestAges(t *testing.T) {
	cases := []struct {
		name, text, gone, want string
	}{
		{"child in words", "He has lived there since he was seven, he said.", "seven", "since he was a child"},
		{"turned", "When she turned four, the family moved.", "four", "When she was a child"},
		{"adverb", "She is now forty-three.", "forty-three", "now in her forties"},
		{"ordinal birthday", "By his 85th birthday he was walking.", "85th", "By his birthday"},
		{"ordinal in words", "For her eighteenth birthday she flew.", "eighteenth", "her birthday"},
		{"bracket after name", "Her flatmate Kevin Tran (24) works nights; he cooks.", "24", "(in his twenties)"},
		{"list", "Her two lads, aged 12 and 15, came too.", "15", "of school age"},
		{"this year", "The owner, who is 70 this year, said yes; he laughed.", "70", "in his seventies"},
		{"dash", "He is — thirty-six, he'll tell you — autistic.", "thirty-six", "in his thirties"},
		{"a five-year-old", "Isla is a five-year-old with Down's syndrome; she sings.", "five", "is a child with"},
		{"yo", "Her son, a 14yo, plays; she drives.", "14yo", "in her teens"},
		{"quatre-vingts", "Mme Roux, âgée de quatre-vingt-sept ans, rentre chez elle.", "quatre-vingt-sept", "plus de soixante-dix ans"},
		{"soixante-dix", "Il a soixante-douze ans et il jardine.", "soixante-douze", "plus de soixante-dix ans"},
		{"anniversaire", "Pour son 80e anniversaire, elle a dansé.", "80e", "son anniversaire"},
		{"since", "Since 18 she has lived alone.", "18", "Since her teens she"},
		{"short figure keeps its verb", "Her son is 15, she says.", "15", "Her son is in her teens"},
		{"list in words", "Her youngest two are seven and nine and come after school.", "seven", "are of school age and come"},
		{"ordinal alone", "On his 30th, his brother drove in.", "30th", "On his birthday, his brother"},
		{"big ordinal alone", "Wilf, who celebrates his sixtieth in June, grows leeks.", "sixtieth", "his birthday in June"},
		{"first person", `"He's better than me, and I'm 81."`, "81", "I'm in"},
		{"first in stays", "It was her first in years.", "", "her first in years"},
		{"possessive after the age", "When Hazel was fifty-two her sister moved.", "fifty-two", "in her fifties her sister"},
		{"ordinal before and", "She drove up for his 60th and the shed cooked.", "60th", "his birthday and"},
		{"a one-year-old", "Her son, a one-year-old, naps; she works.", "one-year-old", "a child"},
		{"ordinal year", "He is in his 45th year and still drives.", "45th", "in his forties and"},
		{"count kept", "There was one, and there were two. It is five to six.", "", "There was one"},
		{"time kept", "We met at four in the morning.", "", "at four in the morning"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := testAnonymiser(t).Anonymise(Input{Body: tc.text})
			if tc.gone != "" && strings.Contains(res.Body, tc.gone) {
				t.Errorf("%q still in %q", tc.gone, res.Body)
			}
			if !strings.Contains(res.Body, tc.want) {
				t.Errorf("got %q, want it to contain %q", res.Body, tc.want)
			}
		})
	}
}
