package anonymise

import (
	"regexp"
	"sort"
	"strings"
)

// Go's regular expressions cost time in proportion to the text they scan,
// and a story is mostly prose. Detectors whose matches must contain a digit
// or an '@' therefore run only over windows of text around those bytes.

// window is a stretch [s, e) of a text.
type window [2]int

// windows returns the stretches of text around each byte for which trigger
// holds, widened by before and after bytes and then to whole words (to the
// white space on either side), merged where they meet.
func windows(text string, trigger func(text string, i int) bool, before, after int) []window {
	var out []window
	for i := 0; i < len(text); i++ {
		if !trigger(text, i) {
			continue
		}
		s, e := max(0, i-before), min(len(text), i+1+after)
		for s > 0 && !isSpaceByte(text[s-1]) {
			s--
		}
		for e < len(text) && !isSpaceByte(text[e]) {
			e++
		}
		if n := len(out); n > 0 && s <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], e)
		} else {
			out = append(out, window{s, e})
		}
	}
	return out
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func isDigitAt(text string, i int) bool { return text[i] >= '0' && text[i] <= '9' }

func isAtSign(text string, i int) bool { return text[i] == '@' }

// isDotInWord finds the dots of domain names: a dot between two letters or
// digits, or the slashes of "://".
func isDotInWord(text string, i int) bool {
	if text[i] == '/' {
		return i >= 1 && text[i-1] == ':'
	}
	return text[i] == '.' && i > 0 && i+1 < len(text) && isAlnumByte(text[i-1]) && isAlnumByte(text[i+1])
}

func isAlnumByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// findIn runs re over each window and returns its matches, or the given
// submatch when group > 0, in offsets of the whole text.
func findIn(re *regexp.Regexp, text string, wins []window, group int) [][2]int {
	var out [][2]int
	for _, w := range wins {
		sub := text[w[0]:w[1]]
		for _, m := range re.FindAllStringSubmatchIndex(sub, -1) {
			if m[2*group] >= 0 {
				out = append(out, [2]int{w[0] + m[2*group], w[0] + m[2*group+1]})
			}
		}
	}
	return out
}

// asciiLower lower-cases the ASCII letters of s only, so that byte offsets
// stay the same and case-sensitive patterns can stand in for (?i) ones,
// which are several times slower.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// wordWindows returns windows around every occurrence of the given words in
// lower, an asciiLower copy of the text.
func wordWindows(lower string, words []string, before, after int) []window {
	hit := make([]bool, len(lower))
	any := false
	for _, w := range words {
		for from := 0; ; {
			i := strings.Index(lower[from:], w)
			if i < 0 {
				break
			}
			hit[from+i], any = true, true
			from += i + len(w)
		}
	}
	if !any {
		return nil
	}
	return windows(lower, func(_ string, i int) bool { return hit[i] }, before, after)
}

// wordHits returns every whole-word occurrence of any of words (lower case)
// in lower, sorted by start: a literal search, far cheaper than a regular
// expression with many alternatives.
func wordHits(lower string, words []string) [][2]int {
	var out [][2]int
	for _, w := range words {
		for from := 0; ; {
			i := strings.Index(lower[from:], w)
			if i < 0 {
				break
			}
			s := from + i
			if edgesBounded(lower, s, s+len(w)) {
				out = append(out, [2]int{s, s + len(w)})
			}
			from = s + len(w)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] > out[j][1] })
	return out
}

// inPlaceholder reports whether offset i of a view lies inside a placeholder
// such as "[ID number removed]": its words must not act as context ("ID",
// "birth"), or a second pass would find what the first did not.
func inPlaceholder(text string, i int) bool {
	open := strings.LastIndexByte(text[:i], '[')
	if open < 0 {
		return false
	}
	for _, p := range placeholders {
		if strings.HasPrefix(text[open:], p) && i < open+len(p) {
			return true
		}
	}
	return false
}

// matchesIn runs re over each window and returns its submatch indices in
// offsets of the whole text.
func matchesIn(re *regexp.Regexp, text string, wins []window) [][]int {
	var out [][]int
	for _, w := range wins {
		for _, m := range re.FindAllStringSubmatchIndex(text[w[0]:w[1]], -1) {
			for k := range m {
				if m[k] >= 0 {
					m[k] += w[0]
				}
			}
			out = append(out, m)
		}
	}
	return out
}
