package anonymise

import "strings"

// frenchArticles come before a type word that a French name follows: "la
// friterie Chez Eddy", "au comptoir alimentaire Le Chaînon".
var frenchArticles = set("le", "la", "l'", "l’", "les", "au", "aux", "du", "des", "un", "une")

// nameOpeners begin a French proper name set after a common noun: "Le
// Chaînon", "Les Tilleuls", "Chez Ti-Jean"; so does a saint ("le marché
// Saint-Roch").
var nameOpeners = set("le", "la", "les", "chez")

// naturalFeatures are followed by a place's name, not an institution's:
// "le lac Saint-Jean", "la rivière Saint-Charles".
var naturalFeatures = set("lac", "mont", "rivière", "fleuve", "île", "baie", "cap", "pointe", "col",
	"vallée", "forêt", "mer", "océan", "canal", "pays", "région", "province", "plage", "colline", "étang")

// findAppositions generalises, in French stories, a place named after its
// type when the type is no word the tables know: "la friterie Chez Eddy"
// becomes "la friterie", "le comptoir alimentaire Le Chaînon" "le comptoir
// alimentaire". The type words stay, the name goes.
func findAppositions(r *run, text string, words []word, found []hit) []hit {
	if r.lang != french {
		return nil
	}
	var out []hit
	for i := 1; i+1 < len(words); i++ {
		_, glued := elided(words[i].lower) // l'atelier
		if !glued && (!frenchArticles[words[i-1].lower] || !words[i].joined) {
			continue
		}
		k := i
		for k < len(words) && k < i+3 && !capitalised(words[k]) && !words[k].number && !functionWords[words[k].lower] &&
			!notInName[words[k].lower] && !instConnectors[words[k].lower] && (k == i || words[k].joined) {
			k++
		}
		if k == i || k >= len(words) || !words[k].joined || !capitalised(words[k]) || naturalFeatures[words[i].lower] {
			continue
		}
		e := words[k].e
		saint := strings.HasPrefix(words[k].lower, "saint-") || strings.HasPrefix(words[k].lower, "sainte-")
		if !saint && (!nameOpeners[words[k].lower] || k+1 >= len(words) || !capitalised(words[k+1]) || !words[k+1].joined) {
			continue
		}
		for n := k + 1; n < len(words) && n <= k+3 && words[n].joined && capitalised(words[n]); n++ {
			e = words[n].e
		}
		if overlapsAny(found, words[i].s, e) || overlapsAny(out, words[i].s, e) {
			continue
		}
		out = append(out, hit{words[i].s, e, text[words[i].s:words[k-1].e]})
		i = k + 1
	}
	return out
}
