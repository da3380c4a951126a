package anonymise

import (
	"math/rand/v2"
	"strings"
)

// pseudonyms gives each person of a story one fictional first name, used
// for their full name, first name, surname and "Mr Surname" alike.
type pseudonyms struct {
	pool    []string
	names   []string // by entity
	lastOf  []string // surname of each entity, "" when unknown
	full    map[string]int
	first   map[string]int
	surname map[string]int // -1 when two people share it
}

// fictionalPool keeps the fictional names that are no ordinary word, place
// or other proper noun, so that a replacement never reads as something else.
func fictionalPool(g *gazetteer) []string {
	var pool []string
	for _, n := range fictionalNames {
		l := strings.ToLower(n)
		if len(n) <= 10 && !g.isWord(l, english) && !g.isWord(l, french) && !g.places.has(l) && !g.proper.has(l) && !g.isTown(l) {
			pool = append(pool, n)
		}
	}
	return pool
}

// newPseudonyms orders the pool by the story's hash, so that the same story
// always gets the same names but different stories get different ones, and
// leaves out every word the story contains, and every name beginning with
// a capital letter the story has alone (a second pass would read that
// letter as the fictional name's initial).
func newPseudonyms(pool []string, seed uint64, taken map[string]bool) *pseudonyms {
	p := &pseudonyms{full: map[string]int{}, first: map[string]int{}, surname: map[string]int{}}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	for _, i := range rng.Perm(len(pool)) {
		if !taken[strings.ToLower(pool[i])] && !taken["initial:"+firstLetter(pool[i])] {
			p.pool = append(p.pool, pool[i])
		}
	}
	return p
}

// assign gives every name its person: full names first, so that a first
// name or surname met alone maps to the person whose full name holds it.
func (p *pseudonyms) assign(found []pendingName) {
	for i := range found {
		if len(found[i].words) > 1 {
			found[i].entity = p.entity(found[i].words, found[i].titled)
		}
	}
	for i := range found {
		if len(found[i].words) <= 1 {
			found[i].entity = p.entity(found[i].words, found[i].titled)
		}
	}
}

// entity returns the person a name refers to, creating one if needed.
func (p *pseudonyms) entity(words []string, titled bool) int {
	lower := make([]string, len(words))
	for i, w := range words {
		lower[i] = strings.ToLower(w)
	}
	key := strings.Join(lower, " ")
	if e, ok := p.full[key]; ok {
		return e
	}
	if len(lower) <= 1 {
		return p.single(key, titled)
	}
	first, last := lower[0], lower[len(lower)-1]
	e, ok := p.first[first]
	if !ok || p.lastOf[e] != "" && p.lastOf[e] != last {
		e = p.newEntity()
	}
	p.full[key] = e
	p.lastOf[e] = last
	for _, w := range lower[:len(lower)-1] {
		if _, ok := p.first[w]; !ok {
			p.first[w] = e
		}
	}
	if s, ok := p.surname[last]; !ok {
		p.surname[last] = e
	} else if s != e {
		p.surname[last] = -1
	}
	return e
}

// single maps a lone word: after a title it is most likely a surname.
func (p *pseudonyms) single(w string, titled bool) int {
	maps := []map[string]int{p.first, p.surname}
	if titled {
		maps[0], maps[1] = maps[1], maps[0]
	}
	for _, m := range maps {
		if e, ok := m[w]; ok && e >= 0 {
			p.full[w] = e
			return e
		}
	}
	e := p.newEntity()
	p.full[w] = e
	p.first[w] = e
	return e
}

func (p *pseudonyms) newEntity() int {
	e := len(p.names)
	p.names = append(p.names, p.fictional(e))
	p.lastOf = append(p.lastOf, "")
	return e
}

// fictional returns the name of the e-th person. Past the pool it pairs two
// short names ("Kai-Noa"): still at most ten bytes, still read as a name.
func (p *pseudonyms) fictional(e int) string {
	if e < len(p.pool) {
		return p.pool[e]
	}
	var short []string
	for _, n := range p.pool {
		if len(n) <= 4 {
			short = append(short, n)
		}
	}
	m, idx := len(short), e-len(p.pool)
	if m < 2 || idx >= m*(m-1) {
		return "Person"
	}
	i, j := idx/(m-1), idx%(m-1)
	if j >= i {
		j++
	}
	return short[i] + "-" + short[j]
}

// name returns the fictional name of person e.
func (p *pseudonyms) name(e int) string {
	if e < 0 || e >= len(p.names) {
		return "Person"
	}
	return p.names[e]
}
