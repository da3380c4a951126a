package anonymise

import (
	"net/url"
	"regexp"
	"strings"
)

// newDetectors lists the detectors in the order they run. Each reads the
// text left by those before it, so the order settles conflicts: an NHS
// number is not also taken for a phone number, a link is not taken for an
// e-mail address, a handle's instance (@sam@mastodon.social) is not taken
// for a link. Names come last, in detectNames.
func newDetectors() []detector {
	return []detector{
		{kind: KindEmail, find: findEmails},
		{kind: KindHandle, find: findHandles},
		{kind: KindURL, find: findURLs},
		{kind: KindBank, find: findBankDetails},
		{kind: KindIDNumber, find: findIDNumbers},
		{kind: KindIDNumber, find: findIDByContext},
		{kind: KindPhone, find: findPhones},
		{kind: KindPostcode, find: findPostcodes},
		{kind: KindAddress, find: findAddresses},
		{kind: KindAddress, generalise: findBuildingsAfterAddress},
		{kind: KindPostcode, find: findPostcodesAfterAddress},
		{kind: KindPostcode, generalise: findPostcodesBeforeTown},
		{kind: KindVehicle, find: findVehicles},
		{kind: KindDateOfBirth, find: findBirthDates},
		{kind: KindDate, generalise: findEventDates},
		{kind: KindAge, generalise: findAges},
		{kind: KindIDNumber, find: findOtherNumbers},
		{kind: KindInstitution, generalise: findInstitutions},
		{kind: KindPlace, generalise: findPlaces},
	}
}

var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9](?:[A-Za-z0-9._%+'-]*[A-Za-z0-9_%+-])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}`)
	reURL   = regexp.MustCompile(`(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"\[\]{}|\\^` + "`" + `]+` +
		`|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|org|net|edu|gov|info|biz|scot|wales|cymru|eu|blog|social|online|site|app|dev|page|shop|store|art|studio|design|xyz|club|life|live|world|today|link|website|space|tech|ngo|charity|coop|quebec|africa|[a-z]{2})\b(?:/[^\s<>"\[\]{}]*)?`)
	// reHandle matches a chain of @-parts: @name, @name@instance, and any
	// written straight after another (@a@host@b), which are all one person's
	// or several people's handles. The instance needs no dot (@sam@host).
	// An @ straight after a placeholder's "]" was glued to what it replaced
	// ("00000000@000"), which was no handle either.
	reHandle = regexp.MustCompile(`(?:^|[^\w@/.\-\]])((?:@[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,62}[A-Za-z0-9_])?)+)`)
)

// findEmails finds e-mail addresses, leaving "@sam@example.social" to the
// handle detector.
func findEmails(text string) [][2]int {
	var out [][2]int
	for _, m := range findIn(reEmail, text, windows(text, isAtSign, 0, 0), 0) {
		if m[0] > 0 && strings.ContainsRune("@.-_", rune(text[m[0]-1])) {
			continue
		}
		if bounded(text, m[0], m[1]) {
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	return out
}

// findURLs finds links, leaving the host of a handle (@rosa@mastodon.art)
// to the handle detector. All are removed except those to public bodies and
// a few organisations (publicDomains): a personal blog, a social profile or
// even a provider's page about one person can identify them.
func findURLs(text string) [][2]int {
	var out [][2]int
	// The pattern is lower case and runs over an ASCII-lower-cased copy: same
	// offsets, and several times faster than (?i).
	for _, m := range findIn(reURL, asciiLower(text), windows(text, isDotInWord, 0, 0), 0) {
		s, e := m[0], trimURL(text, m[0], m[1])
		if e-s < 4 || !bounded(text, s, e) || publicLink(text[s:e]) || notALink(text[s:e]) || s > 0 && text[s-1] == '@' {
			continue
		}
		out = append(out, [2]int{s, e})
	}
	return out
}

// trimURL drops the punctuation that ends a sentence rather than a link,
// and a closing bracket that has no opening one inside the link.
func trimURL(text string, s, e int) int {
	for e > s {
		c := text[e-1]
		if strings.IndexByte(".,;:!?'\"", c) >= 0 || c == ')' && strings.Count(text[s:e], "(") < strings.Count(text[s:e], ")") {
			e--
			continue
		}
		break
	}
	return e
}

// notALink reports whether a bare word.xx is more likely two words or an
// abbreviation than a link: a two-letter ending counts only in lower
// case, after a name of three letters or more, or with a path.
func notALink(link string) bool {
	if strings.Contains(link, "/") || strings.HasPrefix(strings.ToLower(link), "www.") {
		return false
	}
	dot := strings.LastIndexByte(link, '.')
	if dot < 0 || len(link)-dot-1 != 2 {
		return false
	}
	first := link[:dot]
	if strings.Contains(first, ".") {
		return false
	}
	after := link[dot+1]
	return len(first) < 3 || after >= 'A' && after <= 'Z' // "home.He said": a missing space
}

func publicLink(link string) bool {
	raw := link
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery != "" {
		return false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	for _, d := range publicDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// minHandle is the shortest handle taken alone ("@abc"): shorter ones are
// as often not handles, and the replacement would be more than maxGrowth
// times longer. A chain ("@a@b", "@a @b") reaches it together.
const minHandle = 4

// findHandles finds social media handles, @name or @name@instance, and
// handles written one after the other, with nothing or only spaces between
// them, as one span.
func findHandles(text string) [][2]int {
	var spans [][2]int
	for _, m := range findIn(reHandle, text, windows(text, isAtSign, 0, 0), 1) {
		if !bounded(text, m[0], m[1]) {
			continue
		}
		if n := len(spans); n > 0 && strings.Trim(text[spans[n-1][1]:m[0]], " \t") == "" {
			spans[n-1][1] = m[1]
			continue
		}
		spans = append(spans, m)
	}
	out := spans[:0]
	for _, sp := range spans {
		if sp[1]-sp[0] >= minHandle {
			out = append(out, sp)
		}
	}
	return out
}

var (
	rePhoneIntl = regexp.MustCompile(`\+\d{1,3}[ .\-]?(?:\(0\)[ .\-]?)?(?:\(\d{1,5}\)|\d{1,5})(?:[ .\-]?\d{2,5}){1,5}\b`)
	rePhoneNat  = regexp.MustCompile(`\(0\d{1,5}\)[ .\-]?\d{2,5}(?:[ .\-]?\d{2,5}){0,3}\b|\b0\d{1,5}(?:[ .\-]?\d{2,5}){1,4}\b`)
	rePhoneNANP = regexp.MustCompile(`(?:\b1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\b\d{3}[.\-])\d{3}[ .\-]\d{4}\b|\b\d{3} \d{3} \d{4}\b`)
)

// findPhones finds telephone numbers: international (+44 7700 900123),
// national with a leading 0 (020 7946 0958, (01632) 960 001) and North
// American (613-555-0143, (416) 555 0199).
func findPhones(text string) [][2]int {
	var out [][2]int
	wins := windows(text, isDigitAt, 8, 24)
	for _, p := range []struct {
		re       *regexp.Regexp
		min, max int
	}{{rePhoneIntl, 8, 15}, {rePhoneNat, 9, 11}, {rePhoneNANP, 10, 11}} {
		for _, m := range findIn(p.re, text, wins, 0) {
			s, e := m[0], trimDigits(text, m[0], m[1], p.max)
			if n := countDigits(text[s:e]); n >= p.min && n <= p.max && bounded(text, s, e) {
				out = append(out, [2]int{s, e})
			}
		}
	}
	return out
}

// trimDigits drops trailing groups of digits until at most max remain, so
// that "0114 496 0523 or 12" does not swallow the 12.
func trimDigits(text string, s, e, max int) int {
	for countDigits(text[s:e]) > max {
		i := strings.LastIndexAny(text[s:e], " .-")
		if i <= 0 {
			return e
		}
		e = s + i
	}
	return e
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
