package anonymise

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// The corpus in testdata/stories marks personal data as [[kind:text]]. The
// first line of a file is the title; the body follows a blank line.

var (
	sharedOnce sync.Once
	shared     *Anonymiser
)

// testAnonymiser shares one Anonymiser between tests: loading the
// gazetteers takes a noticeable fraction of a second.
func testAnonymiser(t testing.TB) *Anonymiser {
	t.Helper()
	sharedOnce.Do(func() { shared = New() })
	return shared
}

var reMark = regexp.MustCompile(`\[\[([a-z_]+):([^\]]+)\]\]`)

// truth is one marked piece of personal data, in runes of the plain text.
type truth struct {
	field      string
	kind       Kind
	start, end int
}

// story is a corpus file with its markup removed.
type story struct {
	name        string
	title, body string
	truths      []truth
}

func loadCorpus(t *testing.T) []story { return loadCorpusFiles(t) }

func loadCorpusFiles(t testing.TB) []story { return loadCorpusDir(t, "../../testdata/stories") }

func loadCorpusDir(t testing.TB, dir string) []story {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	var out []story
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		title, body, _ := strings.Cut(strings.TrimRight(string(raw), "\n"), "\n\n")
		st := story{name: filepath.Base(f)}
		st.title, st.truths = unmark("title", title, nil)
		st.body, st.truths = unmark("body", body, st.truths)
		out = append(out, st)
	}
	return out
}

func unmark(field, marked string, truths []truth) (string, []truth) {
	var b strings.Builder
	runes, last := 0, 0
	for _, m := range reMark.FindAllStringSubmatchIndex(marked, -1) {
		b.WriteString(marked[last:m[0]])
		runes += len([]rune(marked[last:m[0]]))
		val := marked[m[4]:m[5]]
		n := len([]rune(val))
		truths = append(truths, truth{field: field, kind: Kind(marked[m[2]:m[3]]), start: runes, end: runes + n})
		b.WriteString(val)
		runes += n
		last = m[1]
	}
	b.WriteString(marked[last:])
	return b.String(), truths
}

// tally counts, per kind, the marked items fully removed.
type tally struct{ total, removed int }

// corpusScore is the outcome over the whole corpus.
type corpusScore struct {
	kinds                    map[Kind]*tally
	personalRemoved, removed int
	ordinaryKept, ordinary   int
	misses, falsePositives   []string
}

func scoreCorpus(a *Anonymiser, stories []story) corpusScore {
	sc := corpusScore{kinds: map[Kind]*tally{}}
	for _, st := range stories {
		res := a.Anonymise(Input{Title: st.title, Body: st.body})
		for _, f := range []struct{ name, text string }{{"title", st.title}, {"body", st.body}} {
			sc.scoreField(st, f.name, []rune(f.text), res.Redactions)
		}
	}
	return sc
}

func (sc *corpusScore) scoreField(st story, field string, text []rune, reds []Redaction) {
	removed := make([]bool, len(text))
	for _, r := range reds {
		if r.Field == field {
			for i := r.Start; i < r.End && i < len(text); i++ {
				removed[i] = true
			}
		}
	}
	personal := sc.scoreTruths(st, field, text, removed)
	for _, w := range wordRanges(text) {
		isPersonal, isRemoved := false, false
		for i := w[0]; i < w[1]; i++ {
			isPersonal = isPersonal || personal[i]
			isRemoved = isRemoved || removed[i]
		}
		switch {
		case isRemoved:
			sc.removed++
			if isPersonal {
				sc.personalRemoved++
			} else {
				sc.falsePositives = append(sc.falsePositives, st.name+": "+string(text[w[0]:w[1]]))
			}
		case !isPersonal:
			sc.ordinaryKept++
		}
		if !isPersonal {
			sc.ordinary++
		}
	}
}

// scoreTruths counts the marked items fully removed and returns which runes
// are personal data.
func (sc *corpusScore) scoreTruths(st story, field string, text []rune, removed []bool) []bool {
	personal := make([]bool, len(text))
	for _, tr := range st.truths {
		if tr.field != field {
			continue
		}
		tl := sc.kinds[tr.kind]
		if tl == nil {
			tl = &tally{}
			sc.kinds[tr.kind] = tl
		}
		tl.total++
		all := true
		for i := tr.start; i < tr.end; i++ {
			personal[i] = true
			all = all && (removed[i] || !isWordRune(text[i]))
		}
		if all {
			tl.removed++
		} else {
			sc.misses = append(sc.misses, st.name+": "+string(tr.kind)+" "+string(text[tr.start:tr.end]))
		}
	}
	return personal
}

// wordRanges splits text into words of letters and digits.
func wordRanges(text []rune) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		if !isWordRune(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && (isWordRune(text[j]) || (text[j] == '\'' || text[j] == '-') && j+1 < len(text) && unicode.IsLetter(text[j+1])) {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j
	}
	return out
}

// logTable logs recall per kind, precision and the share of ordinary words
// kept, and returns the kinds in order.
func logTable(t *testing.T, sc corpusScore) []Kind {
	t.Helper()
	kinds := make([]Kind, 0, len(sc.kinds))
	for k := range sc.kinds {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
	t.Logf("  %-14s %6s %8s %7s", "kind", "marked", "removed", "recall")
	for _, k := range kinds {
		tl := sc.kinds[k]
		t.Logf("  %-14s %6d %8d %6.1f%%", k, tl.total, tl.removed, 100*float64(tl.removed)/float64(tl.total))
	}
	t.Logf("  precision (removed words that were personal): %d/%d = %.1f%%",
		sc.personalRemoved, sc.removed, 100*float64(sc.personalRemoved)/float64(sc.removed))
	t.Logf("  ordinary words kept: %d/%d = %.1f%%", sc.ordinaryKept, sc.ordinary, 100*float64(sc.ordinaryKept)/float64(sc.ordinary))
	return kinds
}

// recallGoals are the shares of marked items that must be removed.
var recallGoals = map[Kind]float64{KindEmail: 1, KindPhone: 1, KindIDNumber: 1, KindPostcode: 1,
	KindName: 0.97, KindAddress: 0.90, KindDateOfBirth: 0.90, KindURL: 0.90, KindHandle: 0.90}

func TestCorpus(t *testing.T) {
	stories := loadCorpus(t)
	if len(stories) < 30 {
		t.Errorf("corpus has %d stories, want at least 30", len(stories))
	}
	for _, st := range stories {
		if n := len(strings.Fields(st.title + " " + st.body)); n < 150 || n > 600 {
			t.Errorf("%s: %d words, want 150 to 600", st.name, n)
		}
	}
	var heldOut []story
	for _, st := range stories {
		if strings.Contains(st.name, "heldout") {
			heldOut = append(heldOut, st)
		}
	}
	// Stories named *heldout* were written after the detectors were tuned on
	// the others; their table shows how the rules generalise.
	ho := scoreCorpus(testAnonymiser(t), heldOut)
	t.Logf("held-out stories (%d):", len(heldOut))
	logTable(t, ho)
	sc := scoreCorpus(testAnonymiser(t), stories)
	t.Logf("all stories (%d):", len(stories))
	for _, k := range logTable(t, sc) {
		tl := sc.kinds[k]
		if recall := float64(tl.removed) / float64(tl.total); recall < recallGoals[k] {
			t.Errorf("%s recall %.1f%%, goal %.0f%%", k, 100*recall, 100*recallGoals[k])
		}
	}
	precision := float64(sc.personalRemoved) / float64(sc.removed)
	kept := float64(sc.ordinaryKept) / float64(sc.ordinary)
	for _, m := range sc.misses {
		t.Logf("missed: %s", m)
	}
	for _, fp := range sc.falsePositives {
		t.Logf("removed but not personal: %s", fp)
	}
	if kept < 0.90 {
		t.Errorf("ordinary words kept %.1f%%, goal 90%%", 100*kept)
	}
	if precision < 0.85 {
		t.Errorf("precision %.1f%%, goal 85%%", 100*precision)
	}
}

// heldOutCorpora are story sets written by people who saw neither the
// detectors nor the corpus above: "dev" guides changes; heldout-1 to -3
// have guided changes too and so no longer hold out; heldout-4 (written
// after the last change) only measures. COMMONPLACE_STORY_CORPUS names
// another folder.
var heldOutCorpora = []string{"dev", "heldout-1", "heldout-2", "heldout-3", "heldout-4"}

// TestHeldOutCorpora reports recall per kind and the ordinary words kept on
// each held-out set, and holds them to the goals of issue 16.
func TestHeldOutCorpora(t *testing.T) {
	dirs := map[string]string{}
	for _, name := range heldOutCorpora {
		dirs[name] = filepath.Join("../../testdata/stories", name)
	}
	if d := os.Getenv("COMMONPLACE_STORY_CORPUS"); d != "" {
		dirs = map[string]string{filepath.Base(d): d}
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("no corpus %s", dir)
			}
			stories := loadCorpusDir(t, dir)
			sc := scoreCorpus(testAnonymiser(t), stories)
			t.Logf("%s: %d stories", name, len(stories))
			logTable(t, sc)
			var total, removed int
			for _, tl := range sc.kinds {
				total, removed = total+tl.total, removed+tl.removed
			}
			t.Logf("  all items: %d/%d = %.1f%%", removed, total, 100*float64(removed)/float64(total))
			if os.Getenv("COMMONPLACE_SHOW_MISSES") != "" {
				for _, m := range sc.misses {
					t.Logf("missed: %s", m)
				}
			}
		})
	}
}
