package anonymise

import "strings"

// orgPrepositions come before the name of a place someone goes to: "at
// Desert Bloom Employment Partners", "joined Riverside Rovers".
var orgPrepositions = set("at", "to", "from", "joined", "attends", "attended", "attend", "via", "by", "through")

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
		specific, ordinary := false, 0
		if placeFirst(r, text, words, i) {
			k, specific = i+1, true // Swindon Supported Employment
		}
		for k < len(words) && k < i+4 && (k == i || words[k].joined || text[words[k-1].e:words[k].s] == " & ") && capitalised(words[k]) && !words[k].number &&
			!words[k].possessive && (orgWord(r, words[k]) || unknownOrgWord(r, words[k])) {
			specific = specific || !genericInstWords[words[k].lower]
			if orgWord(r, words[k]) {
				ordinary++
			}
			k++
		}
		if k-i < 2 || !specific || ordinary == 0 || !orgWord(r, words[k-1]) || overlapsAny(found, words[i].s, words[k-1].e) {
			continue
		}
		e := words[k-1].e
		if k < len(words) && words[k].joined && isAcronym(words[k].text) && len(words[k].text) <= 4 {
			e = words[k].e // Stepping Stones NI
		}
		if !businessEnds(text, e) {
			continue
		}
		out = append(out, hit{words[i].s, e, repl})
		i = k
	}
	return out
}

// thePrepositions come before a place named "The Willows", "The Crooked
// Spoon": a capitalised "The" inside a sentence begins a name.
var thePrepositions = set("at", "to", "into", "from", "in", "left", "leaves", "leaving", "joined", "attends", "near")

// findTheNames generalises a place named with a capitalised "The" inside
// a sentence, "moved into The Willows", "hang in The Crooked Spoon, a
// café", to "a local service", unless the name is a place the gazetteer
// knows ("in The Hague").
func findTheNames(r *run, text string, words []word, found []hit) []hit {
	if r.lang != english {
		return nil
	}
	var out []hit
	for i := 1; i+1 < len(words); i++ {
		the := words[i]
		if the.text != "The" || the.initial || !thePrepositions[words[i-1].lower] || capitalised(words[i-1]) {
			continue
		}
		k := i + 1
		for k < len(words) && k <= i+3 && words[k].joined && capitalised(words[k]) && !words[k].number && !monthWord(words[k].lower) {
			k++
		}
		name := strings.ToLower(text[words[i+1].s:words[k-1].e])
		if k == i+1 || !businessEnds(text, words[k-1].e) || r.a.gaz.bigPlace(name) || r.a.gaz.isTown("the "+name) ||
			overlapsAny(found, the.s, words[k-1].e) {
			continue
		}
		out = append(out, hit{the.s, words[k-1].e, "a local service"})
		i = k
	}
	return out
}

// placeFirst reports whether words[i] is a town or city that begins an
// organisation's name of three words or more, the rest ordinary words:
// "Swindon Supported Employment", not "Cardiff Bay".
func placeFirst(r *run, text string, words []word, i int) bool {
	if i+2 >= len(words) || !capitalised(words[i]) || !r.a.gaz.bigPlace(words[i].lower) && !r.a.gaz.isTown(words[i].lower) {
		return false
	}
	for k := i + 1; k <= i+2; k++ {
		if !words[k].joined || !capitalised(words[k]) || !orgWord(r, words[k]) {
			return false
		}
	}
	return !r.a.gaz.isTown(strings.ToLower(text[words[i].s:words[i+1].e]))
}

// unknownOrgWord reports whether w, in no dictionary, may begin an
// organisation's name before ordinary words: "Sunbird Plan Management".
// Places, titles and acronyms may not.
func unknownOrgWord(r *run, w word) bool {
	g := r.a.gaz
	return !g.isWord(w.lower, r.lang) && !g.bigPlace(w.lower) && !titles[w.lower] && !isAcronym(w.text) && !monthWord(w.lower)
}

// orgWord reports whether w may stand in an organisation's name: an
// ordinary word, not a place, a month, a day or a title.
func orgWord(r *run, w word) bool {
	g := r.a.gaz
	return g.isWord(w.lower, r.lang) && !g.bigPlace(w.lower) && !g.isTown(w.lower) && !monthWord(w.lower) &&
		!titles[w.lower] && !functionWords[w.lower] && !isAcronym(w.text)
}
