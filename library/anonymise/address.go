package anonymise

import (
	"regexp"
	"sort"
	"strings"
)

var (
	rePostcodeUK = regexp.MustCompile(`\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b`)
	rePostcodeCA = regexp.MustCompile(`\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b`)
	rePostcodeNL = regexp.MustCompile(`\b[1-9]\d{3} ?([A-Z]{2})\b`)
	reEircode    = regexp.MustCompile(`\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}\b`)
	reZIP4       = regexp.MustCompile(`\b\d{5}-\d{4}\b`)
	reZIPState   = regexp.MustCompile(`\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),? +(\d{5}(?:-\d{4})?)\b`)
	reAUState    = regexp.MustCompile(`\b(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT),? +(\d{4})\b`)
	reZIPWord    = regexp.MustCompile(`\b(?:zip|postal|post) ?code:? +(\d{5}(?:-\d{4})?|\d{4})\b`)
	reAfterAddr  = regexp.MustCompile(`\[address removed\](?:,? +\p{Lu}[\p{L}'’.\-]*(?: \p{Lu}[\p{L}'’.\-]*)*){0,3},? +(\d{4,6})\b`)
)

// notDutchPostcode lists letter pairs that, after four digits, are far more
// often an era, a time or an abbreviation than a Dutch postcode.
var notDutchPostcode = set("AD", "BC", "CE", "AM", "PM", "UK", "US", "OK", "TV", "GP", "NI", "ID",
	"SA", "SD", "SS", "EU", "HQ", "IT", "AI", "PE", "RE", "MP", "ME", "MS")

// findPostcodes finds UK, Canadian, Dutch and Irish postcodes anywhere, and
// US ZIP codes and Australian postcodes where the context shows they are
// postcodes (after a state, after "ZIP code", or in ZIP+4 form), so that
// counts and years are left alone.
func findPostcodes(text string) [][2]int {
	wins := windows(text, isDigitAt, 16, 12)
	var out [][2]int
	for _, re := range []*regexp.Regexp{rePostcodeUK, rePostcodeCA, reEircode, reZIP4} {
		out = append(out, findIn(re, text, wins, 0)...)
	}
	for _, m := range findIn(rePostcodeNL, text, wins, 0) {
		if !notDutchPostcode[text[m[1]-2:m[1]]] || townFollows(text, m[1]) {
			out = append(out, m)
		}
	}
	for _, re := range []*regexp.Regexp{reZIPState, reAUState} {
		out = append(out, findIn(re, text, wins, 1)...)
	}
	out = append(out, findIn(reZIPWord, asciiLower(text), wins, 1)...)
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] > out[j][1] })
	return out
}

// townFollows reports whether a capitalised word of three letters or more,
// not a day or a month, follows at i: "5615 PM Eindhoven" is a postcode
// where "1530 PM" is a time.
func townFollows(text string, i int) bool {
	if i+4 > len(text) || text[i] != ' ' || text[i+1] < 'A' || text[i+1] > 'Z' {
		return false
	}
	e := i + 1
	for e < len(text) && (text[e] >= 'a' && text[e] <= 'z' || text[e] >= 'A' && text[e] <= 'Z' || text[e] >= 0x80) {
		e++
	}
	w := strings.ToLower(text[i+1 : e])
	return e-i > 3 && monthIndex[w] == 0 && !strings.Contains("|"+weekdays+"|", "|"+w+"|")
}

// findPostcodesAfterAddress finds a bare postcode of 4 to 6 digits closing
// an address: "[address removed], Manurewa, Auckland 2102", "…, Pune
// 411038".
func findPostcodesAfterAddress(text string) [][2]int {
	return submatches(reAfterAddr, text)
}

func submatches(re *regexp.Regexp, text string) [][2]int {
	return findIn(re, text, []window{{0, len(text)}}, 1)
}

const (
	unitPart     = `(?:(?:Flat|Apartment|Apt\.?|Unit|Suite|Appartement|Appt\.?|app\.?|Door No\.?|House No\.?|H\. ?No\.?) +[0-9A-Z][0-9A-Za-z/\-]*,? +)`
	buildingPart = `(?:(?:\p{Lu}[\p{L}'’\-]+ +){1,3}(?:House|Court|Cottage|Lodge|Mansions|Buildings|Tower|Towers|Heights|Farm|Barn|Mill|Manor|Villa),? +)`
	numberPart   = `(?:No\.? ?)?\d{1,5}[A-Za-z]?(?:[\-/]\d{1,5}[A-Za-z]?)?(?: (?:bis|ter|quater)\b)?,? +`
	streetWord   = `(?:\p{Lu}[\p{L}'’.\-]*|of|the|and|na|y) +`
	suffixPart   = `(?:(?:Road|Street|Avenue|Lane|Drive|Close|Crescent|Way|Place|Court|Gardens|Lawns|Terrace|Square|Grove|Hill|Row|Walk|Mews|Parade|Boulevard|Highway|Circle|Parkway|Trail|View|Green|Park|Rise|Wynd|Vennel|Brae|Loan|Quay|Wharf|Esplanade|Gate|Vale|Causeway|Chase)\b|(?:Rd|St|Ave|Ln|Dr|Cres|Pl|Ct|Gdns|Tce|Sq|Blvd|Hwy|Cir|Pkwy)\b\.?)`
	trailPart    = `(?: +(?:NE|NW|SE|SW|N|S|E|W)\b)?(?: +\d{1,4}\b)?(?:,? +(?:Apt\.?|Apartment|Unit|Suite|Flat|#) *[0-9A-Z]+\b)?`
	prefixStreet = `(?:rue|avenue|boulevard|boul\.|chemin|route|rang|allée|impasse|quai|Rue|Avenue|Boulevard|Chemin|Route|Rang|Heol|Ffordd|Stryd|Lôn|Calle|Avenida|Via|Rua)`
	particle     = `(?:(?:de la|de l'|des|du|de|d'|y|la|le|les|l'|del) *)?`
)

var (
	reStreet = regexp.MustCompile(`\b` + unitPart + `?` + buildingPart + `?` + numberPart +
		streetWord + `(?:` + streetWord + `){0,3}` + suffixPart + trailPart)
	rePrefixStreet = regexp.MustCompile(`\b` + unitPart + `?` + numberPart + prefixStreet + ` +` + particle +
		`\p{Lu}[\p{L}'’\-]*(?: +\p{Lu}[\p{L}'’\-]*){0,3}(?:,? +(?:app\.?|appartement|apt\.?|bureau|suite|unité) *[0-9A-Z]+\b)?`)
	reDutchStreet = regexp.MustCompile(`\b\p{Lu}\p{L}*(?:straat|weg|laan|gracht|kade|plein|singel|dijk|dreef|steeg|pad|hof|markt|straße|strasse|gasse|veld|haven|gata|gatan|gate|gaten|veien|vegen|vei|veg|vägen|väg|gade|vej|plass|plassen|torget|torg|stien|allee|allé|ring|-[Rr]ue) +\d{1,5}(?:-?bis|[a-zA-Z]{1,2}\b|-[A-Za-z0-9]{1,3}\b)?`)
	reUnitAlone   = regexp.MustCompile(`\b(?:Flat|flat|Apartment|apartment|Apt\.?|apt\.?|Unit|Suite|Block|Blk\.?|Plot|Bldg\.?|Door No\.?|House No\.?|H\. ?No\.?|Appartement|appartement|Appt\.?|appt\.?|[Aa]pp\.|[Ll]ogement|[Bb]oîte|[Bb]te|Piso|piso|Leilighet|leilighet) +(?:n[°o] ?)?\d{1,4}[A-Z]?(?:/\d{1,3})?\b|\b\d{1,2}[º°] ?(?:\d{1,2}[ªº]|[A-Z])(?:\s|$|,)|#\d{3,5}[A-Z]?\b|#\d{2}[A-Z]\b`)
	// reStreetThenNumber is the continental order, street word first and the
	// number after the name: "avenue Jean Materne 112", "Carrer de Verdi 73".
	reStreetThenNumber = regexp.MustCompile(`\b(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Cc]hemin|[Rr]oute|[Aa]llée|[Ii]mpasse|[Qq]uai|[Pp]lace|[Cc]ours|[Cc]arrer|[Cc]alle|[Aa]vinguda|[Aa]venida|[Pp]laça|[Pp]laza|[Pp]asseig|[Pp]aseo|[Vv]ia|[Vv]iale|[Pp]iazza|[Rr]ua|[Rr]ang) +` + particle +
		`\p{Lu}[\p{L}'’\-]*(?: +(?:de |del |la |le )?\p{Lu}[\p{L}'’\-]*){0,3},? +\d{1,4}(?:[a-zA-Z]\b|-?bis\b|\b)(?:,? +(?:bte|boîte|bus|bt\.?) *\d{1,4}\b)?` +
		`(?:,? +(?:bajo|entresuelo|ático|principal)(?: +(?:izquierda|derecha|izda\.?|dcha\.?|izq\.?|[A-D]\b))?)?`)
	// reStreetNoNumber is a French or Catalan street named without a number,
	// its street word in lower case: "près de la place du Marché".
	reStreetNoNumber = regexp.MustCompile(`\b(?:(?:rue|avenue|boulevard|chemin|impasse|allée|rang|quai|carrer|calle|avinguda) +` + particle +
		`|place +(?:de la|de l'|des|du|de|d') *)\p{Lu}[\p{L}'’\-]+(?: +(?:de |du |des |la |le )?\p{Lu}[\p{L}'’\-]*){0,2}`)
	// reEnglishStreet is an English street named without a number, by a
	// street word no other name ends with.
	reEnglishStreet = regexp.MustCompile(`\b(?:\p{Lu}[\p{L}'’\-]+ +){1,3}(?:Street|Road|Lane|Avenue|Crescent|Terrace|Lawns|Grove|Mews|Boulevard|Parade)\b(?: (?:East|West|North|South|Upper|Lower)\b)?`)
	// reFrenchUnit is the inside of a French address: "résidence Les Pins,
	// bâtiment C, appartement 12", "4e étage, escalier B". A résidence
	// alone may be a care home, which the institutions find.
	reFrenchUnit = regexp.MustCompile(`(?:\b[Rr]ésidence +(?:(?:[Ll]es|[Ll]e|[Ll]a|[Dd]u|[Dd]es) +)?\p{Lu}[\p{L}'’\-]+(?: +\p{Lu}[\p{L}'’\-]+){0,2},? +)?` +
		`` + frenchUnitPart + `(?:,? +` + frenchUnitPart + `)*`)
	// reBuilding is a named block of flats after a flat or unit, or after a
	// preposition: "Flat 302, Sai Krupa Apartments", "in Abesan Estate".
	reBuilding = regexp.MustCompile(`(?:\b(?:Flat|Apartment|Apt\.?|Unit|Suite|Block|Plot) +[0-9A-Z][0-9A-Za-z/\-]*,? +|\b(?:in|at|on|of|from|to) +(?:the +)?)` +
		`((?:\p{Lu}[\p{L}'’\-]+ +){1,3}(?:Apartments|Apts|Residency|Residences|Enclave|Estate|Towers|Heights|Mansions|Flats|Villas|Complex|Chambers|Buildings)\b)`)
	// reAfterUnit is the building or street named after a flat, up to the
	// next comma: "Apartment 12, The Maltings, Mill Lane".
	reAfterUnit = regexp.MustCompile(`\[address removed\], +((?:The +)?\p{Lu}[\p{L}'’\-]+(?: +\p{Lu}[\p{L}'’\-]+){0,3}),`)
	// reChainedStreet is a street without a number that continues an
	// address: "Flat 14, Gloucester House, Rye Hill Park,".
	reChainedStreet = regexp.MustCompile(`^, +((?:\p{Lu}[\p{L}'’\-]+ +){1,3}(?:Road|Street|Lane|Avenue|Drive|Close|Crescent|Way|Place|Court|Gardens|Terrace|Square|Grove|Hill|Row|Walk|Mews|Parade|Park|Rise|View|Green|Wynd|Brae|Nagar|Colony|Layout|Vihar|Enclave|Rd|St|Ave)\b\.?)`)
	// reLocality is a locality of an Indian address: "Kamaraj Nagar".
	reLocality = regexp.MustCompile(`\b(?:\p{Lu}[\p{L}'’\-]+ +){1,2}(?:Nagar|Colony|Layout|Vihar)\b`)
	// reHouseName is an Irish, Scottish or Welsh house named by its house
	// word: "Teach Bán", "Tigh na Coille", "Tŷ Gwyn", "Cnoc an Daimh".
	reHouseName = regexp.MustCompile(`\b(?:\d{1,4}[A-Za-z]? +)?(?:(?:Teach|Tigh|Tŷ|Bwthyn|Cnoc|Bothan) +(?:(?:an|na|y|yr|a') +)?|(?:Ard|Lios|Gort|Cluain|Bryn|Pen) +(?:an|na|y|yr) +)\p{Lu}[\p{L}'’\-]+`)
	// reGateStreet is a street of the north of England named with the Norse
	// "gate", after a preposition of movement: "on Water Skellgate".
	reGateStreet  = regexp.MustCompile(`\b(?:on|along|off|down|up) +((?:\p{Lu}[\p{L}'’\-]+ +)?\p{Lu}\p{L}+gate)\b`)
	rePOBox       = regexp.MustCompile(`\bP\.? ?O\.? +Box +\d{1,6}\b`)
	reNamedStreet = regexp.MustCompile(`\b(?:on|in|off|along|down|up|at|near|into|onto|from|to|behind|opposite|beside|outside) +((?:(?:N|S|E|W|NE|NW|SE|SW)\. +)?(?:\p{Lu}[\p{L}'’\-]+ +){1,3}(?:(?:Road|Street|Avenue|Lane|Drive|Close|Crescent|Terrace|Gardens|Mews|Grove|Way|Place|Walk|Row|Square|Brae|Wynd|Hill|Rise|View|Park|Green|Court|Chase|Vale|Parade|Lawns)\b(?: (?:East|West|North|South|Upper|Lower)\b)?|(?:Rd|St|Ave|Blvd|Ln|Hwy|Pkwy)\b\.?))`)
	reAddressWord = regexp.MustCompile(`(?:\b[Aa]ddress|\b[Aa]dresse)(?: is)?,? *\(?(\p{Lu}[\p{L}'’\- ]{2,40}|\d[\p{L}\d'’\- ]{2,40})[,)]`)
)

// frenchUnitPart is one part of the inside of a French address.
const frenchUnitPart = `(?:\b(?:[Bb]âtiment|[Bb]ât\.|[Ee]scalier|[Ee]sc\.|[Ee]ntrée|[Pp]orte|[Aa]ppartement|[Aa]ppt\.?|[Ll]ogement|[Ii]mmeuble|[Bb]loc)` +
	` +(?:n[°o] ?)?[A-Z0-9]{1,4}\b|\b\d{1,2}(?:e|è|ème|er|re) +étage\b(?: +(?:à +)?(?:gauche|droite))?)`

// namedStreetEnds are the lower-case street words reNamedStreet ends with.
var namedStreetEnds = []string{"road", "street", "avenue", "lane", "drive", "close", "crescent",
	"terrace", "gardens", "mews", "grove", "way", "place", "walk", "row", "square", "brae", "wynd",
	"hill", "rise", "view", "park", "green", "court", "chase", "vale", "parade", "lawns",
	"rd", "st", "ave", "blvd", "ln", "hwy", "pkwy"}

// streetFirstWords begin continental street names, in lower case.
var streetFirstWords = []string{"rue", "avenue", "boulevard", "chemin", "route", "allée", "impasse",
	"quai", "place", "cours", "carrer", "calle", "avinguda", "avenida", "plaça", "plaza", "passeig",
	"paseo", "via", "viale", "piazza", "rua", "rang"}

// buildingWords end the names of blocks of flats and estates.
var buildingWords = []string{"apartments", "apts", "residency", "residences", "enclave", "estate",
	"towers", "heights", "mansions", "flats", "villas", "complex", "chambers", "buildings"}

// frenchUnitWords are the words reFrenchUnit needs one of.
var frenchUnitWords = []string{"bâtiment", "bât.", "escalier", "esc.", "entrée", "porte", "appartement",
	"app.", "appt", "logement", "immeuble", "bloc", "étage"}

// houseWords begin the Gaelic and Welsh house names of reHouseName.
var houseWords = []string{"teach", "tigh", "tŷ", "bwthyn", "cnoc", "bothan", "ard", "lios", "gort", "cluain", "bryn", "pen"}

// genericStreets are streets every town has: naming one says little.
var genericStreets = set("high street", "main street", "the high street", "main road", "high road")

// findAddresses finds street addresses ("Flat 3, 22 Mill Road", "123 rue
// Saint-Denis", "Oudegracht 212-bis"), flats on their own ("Apt 4B"), PO
// boxes, streets named without a number after "on" or "in", and house names
// given as an address ("address (Tigh na Coille, ...").
func findAddresses(text string) [][2]int {
	wins := windows(text, isDigitAt, 64, 100)
	var out [][2]int
	for _, re := range []*regexp.Regexp{reStreet, rePrefixStreet, reDutchStreet, rePOBox} {
		out = append(out, findIn(re, text, wins, 0)...)
	}
	lower := asciiLower(text)
	out = append(out, findIn(reFrenchUnit, text, wordWindows(lower, frenchUnitWords, 80, 40), 0)...)
	out = append(out, findIn(reHouseName, text, wordWindows(lower, houseWords, 8, 40), 0)...)
	out = append(out, findIn(reGateStreet, text, wordWindows(lower, []string{"gate"}, 40, 0), 1)...)
	buildingWins := wordWindows(lower, buildingWords, 80, 0)
	out = append(out, findIn(reBuilding, text, buildingWins, 1)...)
	out = append(out, findIn(reLocality, text, wordWindows(lower, []string{"nagar", "colony", "layout", "vihar"}, 40, 0), 0)...)
	for _, m := range findIn(reUnitAlone, text, wins, 0) {
		out = append(out, [2]int{m[0], m[0] + len(strings.TrimRight(text[m[0]:m[1]], ", \t\n"))})
	}
	for _, m := range findIn(reNamedStreet, text, wordWindows(lower, namedStreetEnds, 64, 4), 1) {
		if !institutionFollows(text, m[1]) && !(strings.HasSuffix(text[m[0]:m[1]], " St") && nameGoesOn(text, m[1])) {
			out = append(out, m)
		}
	}
	streetWins := wordWindows(lower, streetFirstWords, 0, 80)
	out = append(out, findIn(reStreetThenNumber, text, streetWins, 0)...)
	for _, m := range findIn(reStreetNoNumber, text, streetWins, 0) {
		before := strings.TrimSpace(lower[max(0, m[0]-4):m[0]])
		if strings.HasPrefix(lower[m[0]:], "rang ") && rangIsVerb(text[:m[0]]) {
			continue // she rang Greenleaf Nurseries: a verb, not a Québec rang
		}
		if !strings.HasSuffix(before, "en") && !strings.HasSuffix(before, "sur") {
			out = append(out, m)
		}
	}
	for _, m := range findIn(reEnglishStreet, text, wordWindows(lower, []string{"street", "road", "lane", "avenue", "crescent", "terrace", "lawns", "grove", "mews", "boulevard", "parade"}, 64, 0), 0) {
		s := m[0]
		for _, lead := range []string{"The ", "A ", "An ", "On ", "In ", "At "} {
			if strings.HasPrefix(text[s:m[1]], lead) {
				s += len(lead)
			}
		}
		if strings.Count(text[s:m[1]], " ") >= 1 && !genericStreets[strings.ToLower(text[s:m[1]])] && !nameGoesOn(text, m[1]) {
			out = append(out, [2]int{s, m[1]})
		}
	}
	out = append(out, findIn(reAddressWord, text, wordWindows(lower, []string{"address", "adresse"}, 0, 64), 1)...)
	out = append(out, chainedStreets(text, out)...)
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] > out[j][1] })
	return out
}

// findBuildingsAfterAddress finds the building or house named between an
// address already removed and the next comma, "[address removed], The
// Maltings, Mill Lane", unless it is a town ("Apt 3B, Boston, MA"), and
// the streets that go on from it.
func findBuildingsAfterAddress(r *run, text string) []hit {
	var found [][2]int
	for _, m := range submatches(reAfterUnit, text) {
		name := strings.ToLower(text[m[0]:m[1]])
		if r.a.gaz.isTown(name) || r.a.gaz.bigPlace(name) || strings.HasPrefix(name, "the ") && r.a.gaz.isTown(name[4:]) {
			continue
		}
		found = append(found, m)
	}
	var out []hit
	for _, m := range append(found, chainedStreets(text, found)...) {
		out = append(out, hit{m[0], m[1], Placeholder(KindAddress)})
	}
	return out
}

// chainedStreets finds, after each address found, a street named without
// its number that goes on with it: "Gloucester House, Rye Hill Park".
func chainedStreets(text string, found [][2]int) [][2]int {
	var out [][2]int
	for len(found) > 0 {
		var next [][2]int
		for _, m := range found {
			if c := reChainedStreet.FindStringSubmatchIndex(text[m[1]:min(len(text), m[1]+80)]); c != nil {
				next = append(next, [2]int{m[1] + c[2], m[1] + c[3]})
			}
		}
		out = append(out, next...)
		found = next
	}
	return out
}

// rangIsVerb reports whether "rang" after before is the English verb: after
// a pronoun or a name ("Bec rang"), not after a comma or "puis".
func rangIsVerb(before string) bool {
	f := strings.Fields(before)
	if len(f) == 0 {
		return false
	}
	prev := f[len(f)-1]
	if frenchBeforeRang[strings.ToLower(prev)] {
		return false
	}
	return rangSubjects[strings.ToLower(prev)] || prev[0] >= 'A' && prev[0] <= 'Z' && !strings.ContainsAny(prev, ",;:.")
}

var frenchBeforeRang = set("puis", "et", "le", "du", "au", "sur", "de", "la", "dans")

var rangSubjects = set("i", "he", "she", "we", "they", "you", "who", "then", "and", "also", "just",
	"never", "finally", "first", "mum", "dad", "someone", "nobody")

// institutionFollows reports whether a capitalised institution word
// follows at i, within three capitalised words: "Louth Road Surgery",
// "Main Street Medical Centre" are not streets.
func institutionFollows(text string, i int) bool {
	for n := 0; n < 3 && nameGoesOn(text, i); n++ {
		e := i + 1
		for e < len(text) && text[e] != ' ' && text[e] != ',' && text[e] != '.' && text[e] != ';' && text[e] != '\n' {
			e++
		}
		if instHeads[strings.ToLower(text[i+1:e])].isSet() {
			return true
		}
		i = e
	}
	return false
}

// nameGoesOn reports whether a capitalised word follows at i: "Elm Street
// Food Bank" is an institution, not a street.
func nameGoesOn(text string, i int) bool {
	if i+1 >= len(text) || text[i] != ' ' {
		return false
	}
	c := text[i+1]
	return c >= 'A' && c <= 'Z'
}
