package themes

import (
	"slices"
	"testing"
)

func TestNormalise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Fonds de Services Individualisés", "fonds de services individualises"},
		{"  Self-advocacy, peer support!  ", "self advocacy peer support "},
		{"d'accompagnement l’équipe", "d accompagnement l equipe"},
		{"Œuvre ÆSTHETIC Straße", "oeuvre aesthetic strasse"},
		{"ISF's 2024", "isf s 2024"},
		{"Привет", "привет"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := string(normalise(nil, tc.in)); got != tc.want {
				t.Errorf("normalise(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestStemsAgree checks that the variants people write reach one key, and
// that words which must stay apart do.
func TestStemsAgree(t *testing.T) {
	same := [][]string{
		{"recruit", "recruits", "recruiting", "recruitment", "recruited"},
		{"recrutement", "recruter", "recrutez", "recrutent"},
		{"organisation", "organization", "organise", "organised", "organising"},
		{"plan", "plans", "planning", "planned"},
		{"policy", "policies"},
		{"housing", "house", "houses"},
		{"individualised", "individualisé", "individualisée", "individualisés"},
		{"hôpital", "hôpitaux"},
		{"decide", "decides", "décident"},
	}
	for _, group := range same {
		t.Run(group[0], func(t *testing.T) {
			want := stems(group[0])
			for _, w := range group[1:] {
				if got := stems(w); !slices.Equal(got, want) {
					t.Errorf("stems(%q) = %v, want %v like %q", w, got, want, group[0])
				}
			}
		})
	}
	apart := [][2]string{{"care", "car"}, {"donation", "don"}, {"staff", "staf"}, {"consent", "cons"}, {"formation", "form"}}
	for _, pair := range apart {
		if slices.Equal(stems(pair[0]), stems(pair[1])) {
			t.Errorf("%q and %q share a stem", pair[0], pair[1])
		}
	}
}

func TestStemsDropGlue(t *testing.T) {
	got := stems("a home of their own")
	if want := []string{"home", "own"}; !slices.Equal(got, want) {
		t.Errorf("stems = %v, want %v", got, want)
	}
	if got := stems("le la des"); len(got) != 0 {
		t.Errorf("glue words gave stems %v", got)
	}
}
