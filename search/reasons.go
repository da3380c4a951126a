package search

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/biter777/countries"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
	"github.com/citizen-network/commonplace/themes/lexicon"
)

// reasons explain a match in words a coordinator understands, one per part
// of the score that counted, the strongest first.
func reasons(sub subject, c *candidate, p Parts, recip []string, now time.Time) []string {
	yours := "your " + string(sub.kind)
	var out []string
	if shared := sharedThemes(sub.themes, c.themes); len(shared) > 0 {
		out = append(out, "Both about "+themeList(shared, 2))
	} else if near := sharedConcepts(sub.concepts, c.concepts); len(near) > 0 {
		out = append(out, "Both touch on "+themeList(near, 2))
	}
	switch {
	case p.Text >= 0.6:
		out = append(out, "Written in much the same words as "+yours)
	case p.Text >= 0.25:
		out = append(out, "Shares some wording with "+yours)
	}
	out = append(out, reachReason(sub, c, p)...)
	if len(recip) > 0 {
		out = append(out, reciprocityReason(sub.kind, c.ref.Org.Name, recip))
	}
	if r := ageReason(c.published, now); r != "" {
		out = append(out, r)
	}
	return out
}

// reachReason says where and in what language the other side can be met.
func reachReason(sub subject, c *candidate, p Parts) []string {
	var where string
	online := strings.Contains(strings.Join(c.formats, " "), "online")
	shared := sharedValues(sub.countries, c.countries)
	switch {
	case online && c.ref.Kind == string(library.Offer):
		where = "Offered online"
	case online:
		where = "Open to meeting online"
	case len(shared) > 0:
		where = "Both in " + countryName(shared[0])
	case p.Reach < 1:
		where = "In " + countryName(c.countries[0]) + ", not online"
	}
	if p.Language == 0 {
		msg := "Written in " + languageList(c.langs) + "; your " + string(sub.kind) + " is in " + languageList(sub.langs)
		if bridged(sub.langs, c.langs) && c.bridge > 0 {
			msg += " (found by translating its words)"
		}
		if where != "" {
			return []string{where, msg}
		}
		return []string{msg}
	}
	langs := sharedValues(sub.langs, c.langs)
	switch {
	case where != "" && len(langs) > 0:
		return []string{where + ", in " + languageName(langs[0])}
	case where != "":
		return []string{where}
	case len(langs) > 0:
		return []string{"In " + languageName(langs[0]) + ", like " + "your " + string(sub.kind)}
	}
	return nil
}

// minConceptShared is the least product of two texts' weights of a concept
// for a reason to say they both touch on it.
const minConceptShared = 0.05

// sharedConcepts are the concepts both texts hold, the closest first.
func sharedConcepts(a, b map[string]float64) []string {
	prod := map[string]float64{}
	for slug, w := range a {
		if p := w * b[slug]; p >= minConceptShared {
			prod[slug] = p
		}
	}
	return strongestFirst(prod)
}

// bridged reports whether the lexicon translates between a language of
// each side.
func bridged(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x != y && slices.Contains(lexicon.Languages, x) && slices.Contains(lexicon.Languages, y) {
				return true
			}
		}
	}
	return false
}

// reciprocityReason says that the exchange could go both ways.
func reciprocityReason(kind library.ListingKind, org string, recip []string) string {
	if org == "" {
		org = "They"
	}
	if kind == library.Need {
		return fmt.Sprintf("%s also wants to learn about %s, which you can share", org, themeList(recip, 2))
	}
	return fmt.Sprintf("%s can share %s, which you want to learn", org, themeList(recip, 2))
}

// ageReason says how recent the listing is.
func ageReason(published, now time.Time) string {
	if published.IsZero() {
		return ""
	}
	days := int(now.Sub(published).Hours() / 24)
	switch {
	case days < 1:
		return "Posted today"
	case days == 1:
		return "Posted yesterday"
	case days < 45:
		return fmt.Sprintf("Posted %d days ago", days)
	case days < 540:
		return fmt.Sprintf("Posted %d months ago", days/30)
	}
	return fmt.Sprintf("Posted %d years ago", days/365)
}

// themeList names up to n themes: "Housing", "Housing and Risk".
func themeList(slugs []string, n int) string {
	var names []string
	for _, s := range slugs[:min(len(slugs), n)] {
		if t, ok := themes.Lookup(s); ok {
			names = append(names, t.Label("en"))
		} else {
			names = append(names, s)
		}
	}
	return andList(names)
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// languageName is the English name of a language tag: "fi" -> "Finnish".
func languageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if n := display.English.Languages().Name(t); n != "" {
		return n
	}
	return tag
}

func languageList(tags []string) string {
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		names = append(names, languageName(t))
	}
	return andList(names)
}

// countryName is the English name of an ISO 3166 code: "FR" -> "France".
func countryName(code string) string {
	if c := countries.ByName(code); c != countries.Unknown {
		return c.String()
	}
	return code
}

// sharedWordsShown is how many shared words a reason names.
const sharedWordsShown = 3

// withSharedWords adds, after the shared themes, the words of the subject
// that the candidate's text also uses, as the candidate writes them, and
// those it uses of the subject's words translated into its language.
func withSharedWords(rs []string, text string, about profileOf) []string {
	if text == "" {
		return rs
	}
	var add []string
	if ws := sharedWords(text, about.own); len(ws) > 0 {
		add = append(add, "Both mention "+quotedList(ws))
	}
	if ws := sharedWords(text, about.translated); len(ws) > 0 {
		add = append(add, "Mentions "+quotedList(ws)+", translated from your words")
	}
	at := 0
	if len(rs) > 0 && (strings.HasPrefix(rs[0], "Both about ") || strings.HasPrefix(rs[0], "Both touch on ")) {
		at = 1
	}
	return slices.Insert(rs, at, add...)
}

// sharedWords are the words of text, as written, whose terms are sought in
// fts, the subject's strongest first.
func sharedWords(text string, fts []fieldTerms) []string {
	type found struct {
		word   string
		weight float64
	}
	var all []found
	seen := map[string]bool{}
	for _, ft := range fts {
		a, err := analyzers.AnalyzerNamed(ft.analyzer)
		if err != nil {
			continue
		}
		for _, tok := range a.Analyze([]byte(text)) {
			w, ok := ft.terms[string(tok.Term)]
			if !ok || seen[string(tok.Term)] || tok.End > len(text) {
				continue
			}
			seen[string(tok.Term)] = true
			all = append(all, found{strings.ToLower(text[tok.Start:tok.End]), w})
		}
	}
	slices.SortStableFunc(all, func(a, b found) int { return cmp.Compare(b.weight, a.weight) })
	var out []string
	for _, f := range all[:min(len(all), sharedWordsShown)] {
		out = append(out, f.word)
	}
	return out
}

// quotedList is "“a”, “b” and “c”".
func quotedList(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "“" + w + "”"
	}
	return andList(q)
}
