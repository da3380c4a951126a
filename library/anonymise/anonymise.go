// Package anonymise removes personal data from stories of support before they
// leave an organisation: names become consistent fictional first names, other
// identifiers become readable placeholders ("[phone number removed]"), and
// combinations of details that could single someone out are flagged as
// warnings, following the UK ICO's "motivated intruder" test.
//
// It works offline, from gazetteers embedded in the binary (given names and
// surnames from many countries, English and French dictionaries, places; see
// internal/gen), and leans towards removing too much: a story shared with a
// real name in it cannot be unshared. The author sees every redaction and can
// undo one (Input.Keep) or remove more (Input.Add).
//
// Decisions worth knowing:
//   - Links are all removed except those to public bodies and a few
//     organisations (publicDomains): a personal blog, a social profile or a
//     provider's page about one person can identify them.
//   - Detectors run in a fixed order, each over the text the previous ones
//     left, with their placeholders in place, and names come last. A second
//     pass over the output therefore finds nothing new except the fictional
//     names it chose (the fuzz test checks this).
//   - Cities, countries, diagnoses, roles and ordinary capitalised words stay.
//     A capitalised word that is both a name and a word ("Will", "Grace") is
//     a name only in context: mid-sentence, after a title, next to another
//     name, before "said" or "'s"; once it is a name anywhere, every
//     occurrence goes.
package anonymise

import (
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the category of a piece of personal data.
type Kind string

// The kinds of personal data the Anonymiser finds.
const (
	KindName        Kind = "name"
	KindEmail       Kind = "email"
	KindPhone       Kind = "phone"
	KindPostcode    Kind = "postcode"
	KindAddress     Kind = "address"
	KindDateOfBirth Kind = "date_of_birth"
	KindIDNumber    Kind = "id_number"
	KindURL         Kind = "url"
	KindHandle      Kind = "handle"
	KindDate        Kind = "date"
	KindAge         Kind = "age"
	KindInstitution Kind = "institution"
	KindPlace       Kind = "place"
	KindVehicle     Kind = "vehicle"
	KindBank        Kind = "bank"
	KindCustom      Kind = "custom"
)

// placeholders are the readable replacements for every kind but names.
var placeholders = map[Kind]string{
	KindEmail:       "[email removed]",
	KindPhone:       "[phone number removed]",
	KindPostcode:    "[postcode removed]",
	KindAddress:     "[address removed]",
	KindDateOfBirth: "[date of birth removed]",
	KindIDNumber:    "[ID number removed]",
	KindURL:         "[link removed]",
	KindHandle:      "[handle removed]",
	KindDate:        "[date removed]",
	KindAge:         "[age removed]",
	KindInstitution: "[place removed]",
	KindPlace:       "[place removed]",
	KindVehicle:     "[vehicle removed]",
	KindBank:        "[bank details removed]",
	KindCustom:      "[detail removed]",
}

// Placeholder returns the text that replaces personal data of kind k; names
// are replaced by fictional names instead, so k == KindName gives "".
func Placeholder(k Kind) string {
	if k == KindName {
		return ""
	}
	if p, ok := placeholders[k]; ok {
		return p
	}
	return placeholders[KindCustom]
}

// Redaction records one replacement, with offsets in runes into the original
// field text so that an editor can highlight it.
type Redaction struct {
	Field       string `json:"field"` // "title" or "body"
	Kind        Kind   `json:"kind"`
	Original    string `json:"original"`
	Replacement string `json:"replacement"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
}

// Warning is advice for the author that does not block publication.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Addition is a piece of text the author asks to remove in addition to what
// was found.
type Addition struct {
	Text string `json:"text"`
	Kind Kind   `json:"kind"`
}

// Input is a story to anonymise. Keep lists originals the author says are
// not personal data (an undo): they are never replaced.
type Input struct {
	Title string
	Body  string
	Add   []Addition
	Keep  []string
}

// Result is an anonymised story and the record of what was changed.
type Result struct {
	Title      string
	Body       string
	Redactions []Redaction
	Warnings   []Warning
}

// Anonymiser finds and replaces personal data. It holds only read-only
// gazetteers and compiled patterns, so one value is safe for concurrent use.
type Anonymiser struct {
	gaz       *gazetteer
	detectors []detector
	fictional []string
	risk      *riskPatterns
}

// New loads the embedded gazetteers and compiles the patterns; call it once
// at start-up and share the result.
func New() *Anonymiser {
	g := loadGazetteer()
	return &Anonymiser{gaz: g, detectors: newDetectors(), fictional: fictionalPool(g), risk: newRiskPatterns()}
}

// Anonymise returns the story with personal data replaced, every replacement
// made, and warnings about details that together could identify someone.
func (a *Anonymiser) Anonymise(in Input) Result {
	r := newRun(a, in)
	r.applyAdditions()
	for _, d := range a.detectors {
		r.detect(d)
	}
	places := r.detectNames()
	res := r.result()
	res.Warnings = a.risk.warnings(in.Title+"\n"+in.Body, places)
	return res
}

// run is the state of one call to Anonymise.
type run struct {
	a     *Anonymiser
	in    Input
	docs  []*doc
	keep  map[string]bool
	lang  language
	names *pseudonyms
}

func newRun(a *Anonymiser, in Input) *run {
	keep := map[string]bool{}
	for _, k := range in.Keep {
		if k = normaliseKeep(k); k != "" {
			keep[k] = true
		}
	}
	h := fnv.New64a()
	h.Write([]byte(in.Title + "\x00" + in.Body))
	r := &run{a: a, in: in, keep: keep,
		docs: []*doc{{field: "title", text: in.Title}, {field: "body", text: in.Body}},
		lang: a.gaz.detectLanguage(in.Title + " " + in.Body)}
	r.names = newPseudonyms(a.fictional, h.Sum64(), r.takenNames())
	return r
}

func normaliseKeep(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// kept reports whether the author marked s as not personal.
func (r *run) kept(s string) bool {
	return len(r.keep) > 0 && r.keep[normaliseKeep(s)]
}

// takenNames lists every word of the input, so that no fictional name can
// coincide with a name (or any word) the author wrote.
func (r *run) takenNames() map[string]bool {
	taken := map[string]bool{}
	add := func(s string) {
		for _, w := range strings.FieldsFunc(s, func(c rune) bool { return !isWordRune(c) }) {
			taken[strings.ToLower(w)] = true
		}
	}
	add(r.in.Title)
	add(r.in.Body)
	for _, text := range []string{r.in.Title, r.in.Body} {
		for _, w := range strings.FieldsFunc(text, func(c rune) bool { return !isWordRune(c) }) {
			if len(w) == 1 && w[0] >= 'B' && w[0] <= 'Z' && w != "I" {
				taken["initial:"+w] = true // no fictional name may begin with a letter standing alone
			}
		}
	}
	for _, ad := range r.in.Add {
		add(ad.Text)
	}
	for _, k := range r.in.Keep {
		add(k)
	}
	return taken
}

// safeInitial returns the first letter of a fictional name that is no
// word, title or particle on its own ("M" is Monsieur, "A" a word), so
// that an initial replaced by it is not found again on a second pass.
func safeInitial(name string) string {
	for _, c := range name {
		l := strings.ToLower(string(c))
		if !titles[l] && !particles[l] && !functionWords[l] && l != "a" && l != "i" && unicode.IsLetter(c) {
			return strings.ToUpper(l)
		}
	}
	return "J"
}

// result assembles the output texts and the redaction list.
func (r *run) result() Result {
	var res Result
	for _, d := range r.docs {
		var b strings.Builder
		last, runes := 0, 0
		for _, sp := range d.spans {
			repl := sp.repl
			if sp.kind == KindName {
				repl = r.names.name(sp.entity)
				if utf8.RuneCountInString(d.text[sp.start:sp.end]) == 1 {
					repl = safeInitial(repl) // an initial stays an initial
				}
			}
			runes += utf8.RuneCountInString(d.text[last:sp.start])
			startRune := runes
			runes += utf8.RuneCountInString(d.text[sp.start:sp.end])
			b.WriteString(d.text[last:sp.start])
			b.WriteString(repl)
			last = sp.end
			res.Redactions = append(res.Redactions, Redaction{Field: d.field, Kind: sp.kind,
				Original: d.text[sp.start:sp.end], Replacement: repl, Start: startRune, End: runes})
		}
		b.WriteString(d.text[last:])
		if d.field == "title" {
			res.Title = b.String()
		} else {
			res.Body = b.String()
		}
	}
	return res // title first, then body, each in order: docs and spans are sorted
}
