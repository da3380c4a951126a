package anonymise

import (
	"sort"
	"strconv"
	"strings"
)

// town is a populated place of GeoNames (see internal/gen): 1,000 people
// or more, with its country, region code and population.
type town struct {
	country, admin string
	population     int
	section        bool // part of a city: a suburb or neighbourhood
}

// cityPopulation is the size from which a place is a city that many people
// live in, and stays.
const cityPopulation = 100000

// town looks up a lower-case place name.
func (g *gazetteer) town(name string) (town, bool) {
	l := g.towns
	key := name + "\t"
	i := sort.Search(len(l.offs), func(i int) bool { return l.entry(i) >= key })
	if i == len(l.offs) || !strings.HasPrefix(l.entry(i), key) {
		return town{}, false
	}
	f := strings.Split(l.entry(i)[len(key):], "\t")
	if len(f) != 3 {
		return town{}, false
	}
	cc, admin, _ := strings.Cut(f[0], " ")
	pop, _ := strconv.Atoi(f[1])
	return town{country: cc, admin: admin, population: pop, section: f[2] == "x"}, true
}

// isTown reports whether a lower-case name is a populated place: fictional
// names must not be, or a second pass would take them for one.
func (g *gazetteer) isTown(name string) bool {
	_, ok := g.town(name)
	return ok
}

// bigPlace reports whether a lower-case name is a city, region or country
// that stays in a story.
func (g *gazetteer) bigPlace(name string) bool {
	if t, ok := g.town(name); ok {
		return !t.small()
	}
	return g.places.has(name)
}

// small reports whether t is below the size of a city, or a part of one.
func (t town) small() bool { return t.section || t.population < cityPopulation }

// describe writes what a small place becomes: "a village in Wales", "a
// small town in Ontario", "a neighbourhood", "une petite ville en Suisse".
func (t town) describe(lang language) string {
	if lang == french {
		what := "une petite ville"
		switch {
		case t.section:
			what = "un quartier"
		case t.population < 10000:
			what = "un village"
		}
		if where := frenchCountries[t.country]; where != "" && !t.section {
			return what + " " + where
		}
		return what
	}
	what := "a small town"
	switch {
	case t.section:
		return "a neighbourhood"
	case t.population < 10000:
		what = "a village"
	}
	if where := t.region(); where != "" {
		return what + " in " + where
	}
	return what
}

// region names the region of t in English, or its country.
func (t town) region() string {
	if r := regionNames[t.country+" "+t.admin]; r != "" {
		return r
	}
	if t.country == "US" {
		return usStates[t.admin]
	}
	return countryNames[t.country]
}

var regionNames = map[string]string{"GB ENG": "England", "GB SCT": "Scotland", "GB WLS": "Wales",
	"GB NIR": "Northern Ireland", "CA 01": "Alberta", "CA 02": "British Columbia", "CA 03": "Manitoba",
	"CA 04": "New Brunswick", "CA 05": "Newfoundland", "CA 07": "Nova Scotia", "CA 08": "Ontario",
	"CA 09": "Prince Edward Island", "CA 10": "Quebec", "CA 11": "Saskatchewan", "CA 12": "Yukon",
	"AU 01": "the ACT", "AU 02": "New South Wales", "AU 03": "the Northern Territory", "AU 04": "Queensland",
	"AU 05": "South Australia", "AU 06": "Tasmania", "AU 07": "Victoria", "AU 08": "Western Australia",
	"FR 11": "Île-de-France", "FR 28": "Normandy", "FR 32": "northern France", "FR 44": "eastern France",
	"FR 52": "western France", "FR 53": "Brittany", "FR 75": "south-west France", "FR 76": "Occitanie",
	"FR 84": "eastern France", "FR 93": "Provence", "FR 94": "Corsica", "FR 24": "central France", "FR 27": "Burgundy"}

var countryNames = map[string]string{"IE": "Ireland", "FR": "France", "BE": "Belgium", "NL": "the Netherlands",
	"ES": "Spain", "NO": "Norway", "CA": "Canada", "AU": "Australia", "NZ": "New Zealand", "IN": "India",
	"NG": "Nigeria", "CH": "Switzerland", "DE": "Germany", "IT": "Italy", "PT": "Portugal", "DK": "Denmark",
	"SE": "Sweden", "FI": "Finland", "ZA": "South Africa", "GH": "Ghana", "KE": "Kenya", "PL": "Poland",
	"AT": "Austria", "LU": "Luxembourg", "GB": "the UK", "US": "the US", "IS": "Iceland", "JM": "Jamaica"}

var frenchCountries = map[string]string{"FR": "en France", "BE": "en Belgique", "CH": "en Suisse",
	"CA": "au Canada", "LU": "au Luxembourg"}

var usStates = map[string]string{"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
	"CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida",
	"GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
	"KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
	"MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
	"MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
	"NM": "New Mexico", "NY": "New York State", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
	"OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
	"SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
	"WA": "Washington State", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "Washington, DC"}

// regionWords are regions, counties and countries that share their name
// with a small town somewhere ("Cornwall", Ontario; "Jordan", Minnesota):
// they stay.
var regionWords = regionSet()

func regionSet() map[string]bool {
	m := set("england", "scotland", "wales", "ireland", "britain", "europe", "africa", "asia", "america",
		"jordan", "georgia", "cornwall", "devon", "somerset", "dorset", "kent", "essex", "sussex", "surrey",
		"norfolk", "suffolk", "yorkshire", "lancashire", "cumbria", "cheshire", "durham", "fife", "lothian",
		"highland", "highlands", "lanarkshire", "ayrshire", "argyll", "galloway", "antrim", "down", "armagh",
		"tyrone", "fermanagh", "derry", "cork", "kerry", "clare", "galway", "mayo", "sligo", "donegal", "kildare",
		"wicklow", "wexford", "waterford", "limerick", "tipperary", "kilkenny", "carlow", "laois", "offaly",
		"meath", "louth", "cavan", "monaghan", "leitrim", "roscommon", "longford", "westmeath", "bretagne",
		"normandie", "alsace", "provence", "wallonie", "flandre", "vlaanderen", "bruxelles", "brabant",
		"limburg", "utrecht", "holland", "valais", "vaud", "genève", "fribourg", "jura", "neuchâtel", "ticino",
		"gwynedd", "powys", "ceredigion", "pembrokeshire", "shetland", "orkney", "skye", "lewis", "harris",
		"mull", "islay", "arran", "anglesey", "québec", "quebec", "ontario", "manitoba", "alberta", "victoria",
		"tasmania", "queensland", "waikato", "canterbury", "otago", "auckland", "wellington", "northland",
		"lagos", "bengaluru", "karnataka", "kerala", "punjab", "catalunya", "cataluña", "catalonia", "andalucía")
	for _, names := range []map[string]string{regionNames, countryNames, usStates} {
		for _, n := range names {
			m[strings.ToLower(strings.TrimPrefix(n, "the "))] = true
		}
	}
	return m
}
