package themes

import (
	"math"
	"strings"
)

// index holds every term of every topic as a sequence of stem ids.
type index struct {
	dict    map[string]int32 // stem -> id
	byFirst map[int32][]int  // first stem id -> entries
	entries []entry
	topics  []string // topic slugs by ordinal
	langBit map[string]uint16
}

// entry is one term of one topic.
type entry struct {
	toks   []int32
	topic  int
	weight float64
	langs  uint16 // languages the term was listed under
}

// draft is a term of one topic before its weight is known.
type draft struct {
	stems []string
	topic int
	class float64 // factorStrong, 1 or factorWeak
	langs uint16
}

// buildIndex prepares everything Infer needs, so that a call only tokenises
// the text and follows map lookups.
func buildIndex(all []fileTheme) *index {
	ix := &index{
		dict:    make(map[string]int32),
		byFirst: make(map[int32][]int),
		langBit: make(map[string]uint16),
	}
	var drafts []draft
	pos := make(map[string]int) // topic+phrase -> position in drafts
	for _, ft := range all {
		if ft.Kind != KindTopic {
			continue
		}
		t := len(ix.topics)
		ix.topics = append(ix.topics, ft.Slug)
		add := func(lang, term string, class float64) {
			st := stems(term)
			if len(st) == 0 || len(st) > maxPhrase {
				return
			}
			bit := ix.bit(lang)
			key := ft.Slug + "\x00" + strings.Join(st, " ")
			if i, ok := pos[key]; ok {
				drafts[i].class = max(drafts[i].class, class)
				drafts[i].langs |= bit
				return
			}
			pos[key] = len(drafts)
			drafts = append(drafts, draft{stems: st, topic: t, class: class, langs: bit})
		}
		for _, lang := range sortedKeys(ft.Labels) {
			add(lang, ft.Labels[lang], 1)
		}
		for _, set := range []struct {
			terms map[string][]string
			class float64
		}{{ft.Strong, factorStrong}, {ft.Synonyms, 1}, {ft.Weak, factorWeak}} {
			for _, lang := range sortedKeys(set.terms) {
				for _, term := range set.terms[lang] {
					add(lang, term, set.class)
				}
			}
		}
	}
	ix.addEntries(drafts)
	return ix
}

// addEntries weighs the drafts and files them under their first stem. A word
// found in the terms of several topics, or a phrase listed under several, is
// weak evidence for each of them.
func (ix *index) addEntries(drafts []draft) {
	wordTopics := make(map[string]map[int]bool)
	phraseTopics := make(map[string]int)
	for _, d := range drafts {
		for _, s := range d.stems {
			if wordTopics[s] == nil {
				wordTopics[s] = make(map[int]bool)
			}
			wordTopics[s][d.topic] = true
		}
		phraseTopics[strings.Join(d.stems, " ")]++
	}
	for _, d := range drafts {
		base, df := weightWord, len(wordTopics[d.stems[0]])
		if len(d.stems) > 1 {
			base, df = weightPair, phraseTopics[strings.Join(d.stems, " ")]
			if len(d.stems) > 2 {
				base = weightPhrase
			}
		}
		e := entry{
			topic:  d.topic,
			weight: base * d.class / math.Sqrt(float64(df)),
			langs:  d.langs,
		}
		for _, s := range d.stems {
			e.toks = append(e.toks, ix.id(s))
		}
		ix.byFirst[e.toks[0]] = append(ix.byFirst[e.toks[0]], len(ix.entries))
		ix.entries = append(ix.entries, e)
	}
}

// id returns the id of a stem, allocating one the first time.
func (ix *index) id(stem string) int32 {
	if id, ok := ix.dict[stem]; ok {
		return id
	}
	id := int32(len(ix.dict))
	ix.dict[stem] = id
	return id
}

// bit returns the flag of a language, allocating one the first time; past 16
// languages the rest share no flag and simply get no hint bonus.
func (ix *index) bit(lang string) uint16 {
	if b, ok := ix.langBit[lang]; ok {
		return b
	}
	if len(ix.langBit) >= 16 {
		return 0
	}
	b := uint16(1) << len(ix.langBit)
	ix.langBit[lang] = b
	return b
}
