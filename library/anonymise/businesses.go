package anonymise

import "strings"

// businessPrepositions come before a shop or café named only by its owner:
// "at Mancini's", "from Tía Rosa's Tamales"; after "of", "for" and "with"
// a capitalised word must follow the possessive ("the manager of Tía
// Rosa's Tamales", not "the mother of Kwame's friend").
var businessPrepositions = set("at", "from", "to", "in", "into", "outside", "behind", "near", "opposite")

// familyWords own a home, not a business: "at Mum's", "at Gran's".
var familyWords = set("mum", "mom", "mam", "mummy", "mommy", "dad", "daddy", "mother", "father",
	"mother's", "brother", "sister", "son", "daughter", "friend", "neighbour", "neighbor", "everyone",
	"someone", "nobody", "god", "today", "yesterday", "tomorrow", "tonight")

// findBusinesses generalises a business known by its owner's name, "at
// Mancini's", "at Tía Rosa's Tamales, where", to "a local business", and
// the possessive found again alone ("Tía Rosa's hired him") the same way.
func findBusinesses(r *run, text string, words []word, found []hit) []hit {
	repl := "a local business"
	if r.lang == french {
		repl = "un commerce local"
	}
	var out []hit
	var names []string
	for i := 1; i < len(words); i++ {
		prep := words[i-1].lower
		loose := prep == "of" || prep == "for" || prep == "with"
		if !businessPrepositions[prep] && !loose || words[i-1].initial && capitalised(words[i-1]) && prep != "at" {
			continue
		}
		p, ok := possessiveOwner(words, i)
		if !ok {
			continue
		}
		e := words[p].e + len("'s")
		if strings.HasPrefix(text[words[p].e:], "’") {
			e = words[p].e + len("’s")
		}
		end := e
		for k := p + 1; k < len(words) && k <= p+2 && text[end:words[k].s] == " " && capitalised(words[k]) && !words[k].possessive; k++ {
			end = words[k].e // Tía Rosa's Tamales
		}
		if !businessEnds(text, end) || overlapsAny(found, words[i].s, end) || loose && end == e {
			continue
		}
		out = append(out, hit{words[i].s, end, repl})
		names = append(names, text[words[i].s:e])
	}
	for _, n := range names {
		for _, at := range indexAll(text, n, false) {
			if !overlapsAny(found, at, at+len(n)) && !overlapsAny(out, at, at+len(n)) {
				out = append(out, hit{at, at + len(n), repl})
			}
		}
	}
	return out
}

// possessiveOwner returns the possessive word ending a run of one or two
// capitalised words from i, when none of them is a family word or title.
func possessiveOwner(words []word, i int) (int, bool) {
	for k := i; k < len(words) && k <= i+1; k++ {
		w := words[k]
		if !capitalised(w) || w.number || familyWords[w.lower] || functionWords[w.lower] || keepWords[w.lower] {
			return 0, false
		}
		if k > i && !words[k].joined {
			return 0, false
		}
		if w.possessive {
			return k, !familyWords[w.lower] && !titles[w.lower] && (!titles[words[i].lower] || k+1 < len(words) && capitalised(words[k+1]) && words[k+1].joined)
		}
	}
	return 0, false
}

// businessEnds reports whether the name ends at i: at the end of a clause
// or before a lower-case word.
func businessEnds(text string, i int) bool {
	if i == len(text) || strings.IndexByte(",.;:!?)\n", text[i]) >= 0 {
		return true
	}
	return text[i] == ' ' && i+1 < len(text) && text[i+1] >= 'a' && text[i+1] <= 'z'
}

// saintWords begin the names of places known by their saint alone: "at St.
// Amant", "to St Joseph's".
var saintWords = set("st", "saint", "ste", "sainte")

// findSaints generalises an institution named by its saint alone after a
// preposition, "at St. Amant", "to St Mary's", to "a local institution",
// unless the saint names a town the gazetteer knows (St Albans, St. Louis),
// which the place detector judges.
func findSaints(r *run, text string, words []word, found []hit) []hit {
	repl := "a local institution"
	if r.lang == french {
		repl = "un établissement local"
	}
	var out []hit
	for i := 1; i+1 < len(words); i++ {
		w, n := words[i], words[i+1]
		if !businessPrepositions[words[i-1].lower] && words[i-1].lower != "attends" && words[i-1].lower != "attended" ||
			!saintWords[w.lower] || !capitalised(w) || !capitalised(n) || n.number || w.possessive {
			continue
		}
		if gap := text[w.e:n.s]; gap != " " && gap != ". " {
			continue
		}
		end := n.e
		if n.possessive {
			end = n.e + len(text[n.e:]) - len(strings.TrimLeft(text[n.e:], "'’s"))
		}
		if i+2 < len(words) && capitalised(words[i+2]) && words[i+2].joined && !n.possessive {
			continue // St Fintan's Centre, St Mary Street: a longer name
		}
		if saintTown(r.a.gaz, n.lower) || !businessEnds(text, end) || overlapsAny(found, w.s, end) {
			continue
		}
		out = append(out, hit{w.s, end, repl})
	}
	return out
}

// saintTown reports whether a saint's name is also a town's, in any of
// the ways it is written.
func saintTown(g *gazetteer, name string) bool {
	for _, f := range []string{"st. ", "st ", "saint ", "saint-", "ste ", "sainte-"} {
		if g.isTown(f+name) || g.places.has(f+name) {
			return true
		}
	}
	return false
}
