package anonymise

import (
	"strings"
	"testing"
)

// numberCases are identifiers of the network's countries: each must go,
// and the same shape with a wrong check digit, or an ordinary figure, stays.
var numberCases = []struct {
	name string
	body string
	want map[string]Kind
	keep []string
}{
	{"IBANs of several countries", "Paid into GB82 WEST 1234 5698 7654 32, DE89370400440532013000 and FR14 2004 1010 0505 0001 3M02 606 BIC BNPAFRPP.",
		map[string]Kind{"GB82 WEST 1234 5698 7654 32": KindBank, "DE89370400440532013000": KindBank, "FR14 2004 1010 0505 0001 3M02 606": KindBank}, []string{"Paid into"}},
	{"IBAN with a wrong check stays", "The code GB82 WEST 1234 5698 7654 33 is not one.",
		nil, []string{"GB82"}},
	{"card number by Luhn", "Her card is 4111 1111 1111 1111.",
		map[string]Kind{"4111 1111 1111 1111": KindBank}, nil},
	{"sort code and account", "The sort code is 20-45-77 and the account 31926819.",
		map[string]Kind{"20-45-77": KindBank, "31926819": KindBank}, nil},
	{"French RIB by its key", "Le relevé porte 20041 01005 0500013M026 06 en bas.",
		map[string]Kind{"20041 01005 0500013M026 06": KindBank}, []string{"Le relevé porte"}},
	{"Canadian transit and institution", "Sa paie va à la caisse : transit 81512, institution 815, folio 0473928.",
		map[string]Kind{"81512": KindBank, "815": KindBank, "0473928": KindBank}, nil},
	{"short numbers without a bank word stay", "The institution 815 metres away and branch 42 of the club.",
		nil, []string{"815 metres", "branch 42"}},
	{"IBAN after its word with a wrong check", "Son IBAN : FR76 3000 6000 0112 3456 7890 188, merci.",
		map[string]Kind{"FR76 3000 6000 0112 3456 7890 188": KindBank}, nil},
	{"card ending in four digits", "Her debit card, ending in 4421, is in her bag.",
		map[string]Kind{"4421": KindBank}, []string{"in her bag"}},
	{"French NIR", "Son NIR : 1 85 05 78 006 084 91.",
		map[string]Kind{"1 85 05 78 006 084 91": KindIDNumber}, nil},
	{"Belgian national number", "Registre national 85.07.30-033.28, enfant 01.02.03-123.45.",
		map[string]Kind{"85.07.30-033.28": KindIDNumber, "01.02.03-123.45": KindIDNumber}, nil},
	{"Swiss AVS", "Numéro AVS 756.1234.5678.97.",
		map[string]Kind{"756.1234.5678.97": KindIDNumber}, nil},
	{"Aadhaar by Verhoeff", "Her Aadhaar 2345 6789 0124 was linked.",
		map[string]Kind{"2345 6789 0124": KindIDNumber}, nil},
	{"Spanish DNI and NIE", "DNI 12345678Z, NIE X1234567L.",
		map[string]Kind{"12345678Z": KindIDNumber, "X1234567L": KindIDNumber}, nil},
	{"Norwegian fødselsnummer", "Fødselsnummer 150385 12363 er fjernet.",
		map[string]Kind{"150385 12363": KindIDNumber}, nil},
	{"Australian TFN and Medicare", "TFN 123 456 782, Medicare 2123 45670 1.",
		map[string]Kind{"123 456 782": KindIDNumber, "2123 45670 1": KindIDNumber}, nil},
	{"NZ NHI", "His NHI is ZZZ0016.", map[string]Kind{"ZZZ0016": KindIDNumber}, nil},
	{"Indian PAN", "PAN ABLPH4821K on file.", map[string]Kind{"ABLPH4821K": KindIDNumber}, nil},
	{"reference far from its keyword", "The EHCP ref for anyone in the LA reading this: EHC/CAL/07731.",
		map[string]Kind{"EHC/CAL/07731": KindIDNumber}, nil},
	{"long number left over", "Her UDID card 4821 9907 6523 11 came.",
		map[string]Kind{"4821 9907 6523 11": KindIDNumber}, nil},
	{"amounts stay", "The budget rose to €1 200 000 euros for 1 500 people in 2021.",
		nil, []string{"1 200 000", "1 500", "2021"}},
	{"UK plates", "He drove the project car (CU19 XKM); the old van was K38 TRV.",
		map[string]Kind{"CU19 XKM": KindVehicle, "K38 TRV": KindVehicle}, nil},
	{"hyphenated plates", "Sa voiture, la GH-482-KM; la sienne 1-GHK-482; de auto 12-XKG-4.",
		map[string]Kind{"GH-482-KM": KindVehicle, "1-GHK-482": KindVehicle, "12-XKG-4": KindVehicle}, nil},
	{"Irish, Indian, Nigerian plates", "The 12-D-1234, the auto KA 05 AK 4821 and the keke LSR 482 XA.",
		map[string]Kind{"12-D-1234": KindVehicle, "KA 05 AK 4821": KindVehicle, "LSR 482 XA": KindVehicle}, nil},
	{"plates after a vehicle word", "She drives her Ford (CBKR 482); his ute is 1HGT 482; plaque 482 XR 75.",
		map[string]Kind{"CBKR 482": KindVehicle, "1HGT 482": KindVehicle, "482 XR 75": KindVehicle}, nil},
	{"dates and streets are not plates", "On 12-03-21 we met at 22 Victoria Drive, Vancouver, BC V5N 4K6.",
		nil, []string{"BC"}},
}

func TestNumbers(t *testing.T) {
	for _, tc := range numberCases {
		t.Run(tc.name, func(t *testing.T) {
			got := removedKinds(t, tc.body)
			for orig, kind := range tc.want {
				if got[orig] != kind {
					t.Errorf("%q: got kind %q, want %q; all: %v", orig, got[orig], kind, got)
				}
			}
			res := testAnonymiser(t).Anonymise(Input{Body: tc.body})
			for _, k := range tc.keep {
				if !strings.Contains(res.Body, k) {
					t.Errorf("%q removed: %q", k, res.Body)
				}
			}
		})
	}
}

func TestNationalChecksums(t *testing.T) {
	for _, tc := range []struct {
		name  string
		valid func(string) bool
		good  string
		bad   string
	}{
		{"IBAN", ValidIBAN, "NL91ABNA0417164300", "NL91ABNA0417164301"},
		{"NIR", validNIR, "1 85 05 78 006 084 91", "1 85 05 78 006 084 92"},
		{"Belgian", validBelgian, "85073003328", "85073003329"},
		{"AVS", validEAN13, "7561234567897", "7561234567898"},
		{"Verhoeff", validVerhoeff, "234567890124", "234567890125"},
		{"DNI", validDNI, "12345678Z", "12345678A"},
		{"Norwegian", validNorwegian, "15038512363", "15038512364"},
		{"TFN", validTFN, "123456782", "123456783"},
		{"Medicare", validMedicare, "2123456701", "2123456711"},
		{"NHI", validNHI, "ZZZ0016", "ZZZ0017"},
		{"Luhn", luhn, "4111111111111111", "4111111111111112"},
	} {
		if !tc.valid(tc.good) || tc.valid(tc.bad) {
			t.Errorf("%s: %q should pass and %q fail", tc.name, tc.good, tc.bad)
		}
	}
}
