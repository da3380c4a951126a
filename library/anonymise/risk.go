package anonymise

import (
	"fmt"
	"regexp"
	"strings"
)

// riskPatterns find the details that the UK ICO's "motivated intruder"
// test worries about: each is harmless alone, but an exact age, a small
// place and a rare condition together can point to one person.
// The age pattern is lower case and runs over an asciiLower copy of the
// story; the other details are literal words.
type riskPatterns struct {
	age *regexp.Regexp
}

func newRiskPatterns() *riskPatterns {
	return &riskPatterns{age: regexp.MustCompile(`\b(?:aged|âgée?|agée?) +(?:de +)?\d{1,3}\b|\b\d{1,3}[ \-]years?[ \-]old\b|\b\d{1,3}(?:st|nd|rd|th) +birthday\b` +
		`|\b(?:is|was|turned|turns|now) +\d{1,3}(?: +years)?(?:[,.;]| +(?:and|but|when|with|has|had|who|years))|\b\d{1,3} +ans\b`)}
}

var (
	smallPlaceWords = []string{"village", "hamlet", "small town", "tiny town", "small community",
		"remote", "island", "croft"}
	eventWords = []string{"the only", "first person", "first man", "first woman", "first child",
		"first girl", "first boy", "first of its kind", "first case", "newspaper", "local paper",
		"on tv", "on the tv", "on television", "on the radio", "on the news", "in the news",
		"headlines", "front page", "documentary", "inquest", "tribunal", "won a", "won an", "won the",
		"went viral"}
	jobWords = []string{"work", "works", "worked", "working", "job", "employed", "employs",
		"internship", "volunteer", "volunteers", "volunteered", "volunteering"}
	smallEmployerWords = []string{"small", "local", "family-run", "family run", "village",
		"corner shop", "only"}
)

// warnings returns a combination_risk warning when two or more kinds of
// identifying detail occur together. places are unknown words the name
// detector took for places: too small for the gazetteers.
func (p *riskPatterns) warnings(text string, places []string) []Warning {
	lower := asciiLower(text)
	var details []string
	addDetail := func(what, example string) {
		details = append(details, fmt.Sprintf("%s (%q)", what, example))
	}
	if m := findIn(p.age, lower, windows(lower, isDigitAt, 16, 24), 0); m != nil {
		addDetail("an exact age", strings.TrimRight(text[m[0][0]:m[0][1]], " ,.;"))
	}
	if m := wordHits(lower, smallPlaceWords); m != nil {
		addDetail("a small or specific place", text[m[0][0]:m[0][1]])
	} else if len(places) > 0 {
		addDetail("a small or specific place", places[0])
	}
	if m := rareCondition(lower); m != nil {
		addDetail("a rare condition", text[m[0]:m[1]])
	}
	if m := wordHits(lower, eventWords); m != nil {
		addDetail("a distinctive event", text[m[0][0]:m[0][1]])
	}
	if m := jobAtSmallEmployer(text, lower); m != "" {
		addDetail("a job with a small or local employer", m)
	}
	if len(details) < 2 {
		return nil
	}
	return []Warning{{Code: "combination_risk", Message: "This story combines " + joinAnd(details) +
		". Each is harmless alone, but together they could let someone who knows the area work out who it is about" +
		" (the ICO's \"motivated intruder\" test). Consider making one of them vaguer: an age range instead of an exact age," +
		" \"a small town\" instead of its name, or \"a rare genetic condition\" instead of the diagnosis."}}
}

// rareCondition returns where the first rare condition is named.
func rareCondition(lower string) []int {
	best := []int(nil)
	for _, c := range rareConditions {
		if i := strings.Index(lower, c); i >= 0 && (best == nil || i < best[0]) {
			best = []int{i, i + len(c)}
		}
	}
	return best
}

// jobAtSmallEmployer finds a sentence that mentions both a job and a small
// or local employer.
func jobAtSmallEmployer(text, lower string) string {
	jobs, small := wordHits(lower, jobWords), wordHits(lower, smallEmployerWords)
	for _, j := range jobs {
		end := sentenceEnd(lower, j[1])
		start := strings.LastIndexAny(lower[:j[0]], ".!?\n") + 1
		for _, e := range small {
			if e[0] >= start && e[1] <= end {
				return text[j[0]:j[1]] + " … " + text[e[0]:e[1]]
			}
		}
	}
	return ""
}

func joinAnd(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
