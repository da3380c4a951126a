package anonymise

import (
	"strings"
	"testing"
)

// removedKinds anonymises body and returns, for each original text
// redacted, its kind.
func removedKinds(t *testing.T, body string) map[string]Kind {
	t.Helper()
	got := map[string]Kind{}
	for _, r := range testAnonymiser(t).Anonymise(Input{Body: body}).Redactions {
		got[r.Original] = r.Kind
	}
	return got
}

// detectorCases pair sample text with what must be removed, and as what.
var detectorCases = []struct {
	name string
	body string
	want map[string]Kind // originals that must be removed, with their kind
	keep []string        // text that must stay
}{
	{"email", "Write to aisha.khan+isf@example.org today.",
		map[string]Kind{"aisha.khan+isf@example.org": KindEmail}, nil},
	{"UK mobile", "Call 07700 900123 or 07700900456.",
		map[string]Kind{"07700 900123": KindPhone, "07700900456": KindPhone}, nil},
	{"UK international", "From abroad: +44 7700 900123.",
		map[string]Kind{"+44 7700 900123": KindPhone}, nil},
	{"UK landlines", "London 020 7946 0958, Harrogate (01632) 960 001.",
		map[string]Kind{"020 7946 0958": KindPhone, "(01632) 960 001": KindPhone, "Harrogate": KindPlace}, []string{"London"}},
	{"international dashes", "Her cousin in Lyon: +33 6-12-34-56-78.",
		map[string]Kind{"+33 6-12-34-56-78": KindPhone}, []string{"Lyon"}},
	{"North American", "Ring 613-555-0143 or (416) 555 0199.",
		map[string]Kind{"613-555-0143": KindPhone, "(416) 555 0199": KindPhone}, nil},
	{"counts and years stay", "In 2019, 12345 people and 250 staff took part over 3 years.",
		nil, []string{"2019", "12345", "250"}},
	{"UK postcodes", "She lives near SW1A 1AA and works by M1 1AE.",
		map[string]Kind{"SW1A 1AA": KindPostcode, "M1 1AE": KindPostcode}, nil},
	{"Canadian postcode", "Ottawa, ON K1A 0B1.",
		map[string]Kind{"K1A 0B1": KindPostcode}, []string{"Ottawa"}},
	{"ZIP in address context", "Springfield, IL 62704 and ZIP+4 12345-6789.",
		map[string]Kind{"62704": KindPostcode, "12345-6789": KindPostcode}, []string{"Springfield"}},
	{"Dutch and Irish postcodes", "3511 NR Utrecht; Dublin D02 X285.",
		map[string]Kind{"3511 NR": KindPostcode, "D02 X285": KindPostcode}, []string{"Utrecht", "Dublin"}},
	{"street addresses", "He moved to 14 Acacia Avenue, then Flat 3, 22 Mill Road.",
		map[string]Kind{"14 Acacia Avenue": KindAddress, "Flat 3, 22 Mill Road": KindAddress}, nil},
	{"flat and French street", "Her flat is Apt 4B; the office is at 123 rue Saint-Denis.",
		map[string]Kind{"Apt 4B": KindAddress, "123 rue Saint-Denis": KindAddress}, nil},
	{"date of birth", "He was born on 14 March 1989 in Glasgow.",
		map[string]Kind{"14 March 1989": KindDateOfBirth}, []string{"Glasgow"}},
	{"DOB label", "DOB: 02/07/2012.",
		map[string]Kind{"02/07/2012": KindDateOfBirth}, nil},
	{"French birth", "Elle est née le 3 mars 1995 à Québec.",
		map[string]Kind{"3 mars 1995": KindDateOfBirth}, []string{"Québec"}},
	{"event dates are generalised", "On 3 June 2021 she moved into her flat.",
		map[string]Kind{"On 3 June 2021": KindDate}, []string{"flat"}},
	{"relative dates stay", "Six months later she moved into her flat.",
		nil, []string{"Six months later"}},
	{"NHS number", "NHS number 943 476 5919.",
		map[string]Kind{"943 476 5919": KindIDNumber}, nil},
	{"NI number", "NI number QQ 12 34 56 C.",
		map[string]Kind{"QQ 12 34 56 C": KindIDNumber}, nil},
	{"SSN", "SSN 123-45-6789.",
		map[string]Kind{"123-45-6789": KindIDNumber}, nil},
	{"SIN", "SIN 046 454 286.",
		map[string]Kind{"046 454 286": KindIDNumber}, nil},
	{"reference in context", "The council reference for the ISF is SDS-2023-04417.",
		map[string]Kind{"SDS-2023-04417": KindIDNumber}, []string{"ISF"}},
	{"personal link", "Her blog: https://aishas-journey.example.org/about.",
		map[string]Kind{"https://aishas-journey.example.org/about": KindURL}, nil},
	{"public link stays", "See https://www.gov.uk/apply-direct-payments for the rules.",
		nil, []string{"https://www.gov.uk/apply-direct-payments"}},
	{"handles", "Follow @danstrains or @sam@social.example.",
		map[string]Kind{"@danstrains": KindHandle, "@sam@social.example": KindHandle}, nil},
	{"acronym of a hyphenated name", "Kevin-Olivier a déménagé. KO : « je veux cuisiner seul. »",
		map[string]Kind{"Kevin-Olivier": KindName, "KO": KindName}, nil},
	{"given name written in lower case", "I met Aoife in March; aoife said the rota helped.",
		map[string]Kind{"Aoife": KindName, "aoife": KindName}, nil},
	{"short form of an institution", "Elle vivait à l'EHPAD Les Tilleuls. Aux Tilleuls, personne ne l'écoutait.",
		map[string]Kind{"l'EHPAD Les Tilleuls": KindInstitution, "Tilleuls": KindInstitution}, nil},
}

func TestDetectors(t *testing.T) {
	for _, tc := range detectorCases {
		t.Run(tc.name, func(t *testing.T) {
			got := removedKinds(t, tc.body)
			for orig, kind := range tc.want {
				if got[orig] != kind {
					t.Errorf("%q: got kind %q, want %q (all: %v)", orig, got[orig], kind, got)
				}
			}
			out := testAnonymiser(t).Anonymise(Input{Body: tc.body}).Body
			for _, k := range tc.keep {
				if !strings.Contains(out, k) {
					t.Errorf("%q was removed: %q", k, out)
				}
			}
		})
	}
}

func TestChecksums(t *testing.T) {
	tests := []struct {
		name   string
		valid  func(string) bool
		digits string
		want   bool
	}{
		{"NHS valid", ValidNHSNumber, "9434765919", true},
		{"NHS wrong check digit", ValidNHSNumber, "9434765918", false},
		{"NHS check digit would be 10", ValidNHSNumber, "1000000010", false},
		{"NHS all the same digit", ValidNHSNumber, "1111111111", false},
		{"NHS too short", ValidNHSNumber, "943476591", false},
		{"SIN valid", ValidSIN, "046454286", true},
		{"SIN invalid", ValidSIN, "046454287", false},
		{"BSN valid", ValidBSN, "111222333", true},
		{"BSN invalid", ValidBSN, "111222334", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.valid(tc.digits); got != tc.want {
				t.Errorf("%s(%s) = %v, want %v", tc.name, tc.digits, got, tc.want)
			}
		})
	}
}

func TestInvalidNHSNumberIsNotAnID(t *testing.T) {
	got := removedKinds(t, "The leaflet code is 943 476 5918 on the back.")
	if got["943 476 5918"] == KindIDNumber {
		t.Errorf("invalid NHS number taken as an ID: %v", got)
	}
}
