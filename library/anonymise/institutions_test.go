package anonymise

import "testing"

// institutionCases pair sentences naming institutions with what the story
// must read after.
var institutionCases = []struct{ name, body, want string }{
	{"numbered ward and a royal infirmary", "She was moved to Ward 7 at the Royal Infirmary.",
		"She was moved to a hospital ward at a hospital."},
	{"school heads on their own", "They went to St Mary's Primary and then Castlebrook High.",
		"They went to a primary school and then a secondary school."},
	{"two institutions joined by and", "He loved the Riverside Leisure Centre and Bramble Café.",
		"He loved a leisure centre and a local café."},
	{"a street inside a name", "She volunteers at the Elm Street Food Bank.",
		"She volunteers at a food bank."},
	{"day services", "She attends Moorfield Day Services and Brightwater Academy.",
		"She attends a day service and a school."},
	{"French head with lower-case words", "Elle vit au Foyer de vie Les Glycines.",
		"Elle vit à un foyer."},
	{"Welsh hospital", "She was admitted to Ysbyty Gwynedd.",
		"She was admitted to a hospital."},
	{"a shop by its owner", "He works at Patel's Newsagents on Saturdays.",
		"He works at a local shop on Saturdays."},
	{"a title is no institution", "Home on the South Shore", "Home on the South Shore"},
}

func TestInstitutions(t *testing.T) {
	for _, tc := range institutionCases {
		t.Run(tc.name, func(t *testing.T) {
			res := testAnonymiser(t).Anonymise(Input{Body: tc.body})
			if res.Body != tc.want {
				t.Errorf("got  %q\nwant %q", res.Body, tc.want)
			}
		})
	}
}
