package anonymise

// orgPrepositions come before the name of a place someone goes to: "at
// Desert Bloom Employment Partners", "joined Riverside Rovers".
var orgPrepositions = set("at", "to", "from", "joined", "attends", "attended", "attend", "via")

// findOrganisations is the last resort for institutions whose head word
// no table knows: after orgPrepositions, a run of two to four capitalised
// ordinary words mid-sentence, none a place, a month or a day, and not all
// generic, followed by the end of a clause or a lower-case word, becomes
// "a local organisation". Unknown words are left to the name detector.
func findOrganisations(r *run, text string, words []word, found []hit) []hit {
	if r.lang != english {
		return nil
	}
	repl := "a local organisation"
	var out []hit
	for i := 1; i < len(words); i++ {
		if !orgPrepositions[words[i-1].lower] || capitalised(words[i-1]) || !words[i].joined {
			continue
		}
		k := i
		specific := false
		for k < len(words) && k < i+4 && (k == i || words[k].joined || text[words[k-1].e:words[k].s] == " & ") && capitalised(words[k]) && !words[k].number &&
			!words[k].possessive && orgWord(r, words[k]) {
			specific = specific || !genericInstWords[words[k].lower]
			k++
		}
		if k-i < 2 || !specific || !businessEnds(text, words[k-1].e) || overlapsAny(found, words[i].s, words[k-1].e) {
			continue
		}
		out = append(out, hit{words[i].s, words[k-1].e, repl})
		i = k
	}
	return out
}

// orgWord reports whether w may stand in an organisation's name: an
// ordinary word, not a place, a month, a day or a title.
func orgWord(r *run, w word) bool {
	g := r.a.gaz
	return g.isWord(w.lower, r.lang) && !g.bigPlace(w.lower) && !g.isTown(w.lower) && !monthWord(w.lower) &&
		!titles[w.lower] && !functionWords[w.lower] && !isAcronym(w.text)
}
