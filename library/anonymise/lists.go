package anonymise

// Small hand-made lists. The large gazetteers live in data/.

// titles precede a name: "Mr Okafor", "Sister Agnes", "Auntie Mei".
var titles = set("mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "pastor",
	"father", "fr", "rev", "revd", "reverend", "sister", "brother", "imam", "rabbi", "sheikh", "aunty",
	"auntie", "aunt", "uncle", "nana", "nan", "gran", "granny", "grandma", "grandad", "grandpa",
	"cousin", "madame", "mme", "monsieur", "mlle", "mademoiselle", "meneer", "mevrouw", "dhr",
	"mevr", "sir", "dame", "lady", "councillor", "cllr", "nurse", "coach", "judge", "señor", "señora",
	"madam", "madame", "m", "mama", "papa", "baba", "alhaji", "alhaja", "chief", "tante", "oncle", "tonton",
	"tata", "mamie", "papi", "abuela", "abuelo", "tía", "tío", "tia", "tio", "koro", "nanny", "bibi", "dada")

// particles join the parts of a name ("Sanne van der Berg") but are never a
// name alone.
var particles = set("van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "della",
	"dos", "das", "bin", "bint", "ibn", "al", "el", "ter", "ten", "ó", "o", "ní", "nic", "mac", "mc",
	"abu", "y", "uí", "ni", "ui", "nig", "bean")

// gaelicParticles are capitalised inside Irish and Scottish Gaelic names, and
// some (ni, o) are also ordinary French or Spanish words elsewhere.
var gaelicParticles = set("ní", "ni", "nic", "nig", "ó", "uí", "ui", "mac", "mhic")

// orgEnds are last words of organisations and places: "Grace House",
// "Young Carers Centre" are not people.
var orgEnds = set("centre", "center", "hospital", "school", "college", "university", "academy",
	"house", "road", "street", "avenue", "lane", "church", "trust", "council", "court", "hall",
	"lodge", "park", "ward", "unit", "clinic", "practice", "surgery", "service", "services",
	"foundation", "society", "association", "network", "group", "project", "club", "library",
	"cafe", "café", "farm", "village", "estate", "home", "homes", "care", "team", "board",
	"partnership", "authority", "department", "institute", "station", "square", "gardens", "bridge",
	"street", "way", "drive", "close", "place", "cottage", "garden", "shop", "store", "market",
	"bank", "fund", "act", "programme", "program", "syndrome", "disease", "party", "primary",
	"high", "infirmary", "campus", "centres", "hospice", "mosque", "temple", "synagogue", "chapel")

// placeStarts begin the names of places: "St Andrews", "Fort William".
var placeStarts = set("st", "saint", "sainte", "fort", "port", "mount", "lake", "loch", "glen",
	"north", "south", "east", "west", "new", "upper", "lower", "great", "little", "san", "santa")

// determiners before a capitalised word make it a thing, not a person.
var determiners = set("the", "a", "an", "this", "that", "these", "those", "our", "their", "its",
	"every", "each", "any", "no", "some", "le", "la", "les", "un", "une", "ce", "cette", "ces",
	"het", "een", "de")

// locatives before an unknown capitalised word make it a place.
var locatives = set("in", "to", "from", "near", "at", "into", "around", "outside", "of",
	"across", "towards", "toward", "via", "through", "throughout", "en", "à", "dans", "vers",
	"près", "uit", "naar", "bij", "nabij", "between", "beyond", "inside", "within")

// nameVerbs after an ambiguous sentence-initial word ("Will said") show it
// is a person.
var nameVerbs = set("said", "says", "told", "tells", "asked", "asks", "moved", "moves", "lives",
	"lived", "went", "goes", "loves", "loved", "likes", "liked", "enjoys", "enjoyed", "wanted",
	"wants", "needed", "needs", "started", "starts", "decided", "chose", "chooses", "began",
	"learned", "learnt", "found", "felt", "feels", "spent", "spends", "uses", "works", "worked",
	"walks", "walked", "visits", "visited", "met", "meets", "knew", "knows", "thinks", "thought",
	"smiled", "laughed", "cried", "agreed", "explained", "remembered", "wrote", "writes",
	"arrived", "came", "comes", "left", "got", "gets", "took", "takes", "helped", "helps", "admits",
	"admitted", "worries", "worried", "runs", "ran", "joined", "plays", "played", "attends",
	"attended", "volunteers", "volunteered", "herself", "himself", "who", "whose", "insists",
	"hopes", "hoped", "dreams", "sings", "sang", "cooks", "cooked", "refused", "smiles", "laughs",
	"dit", "est", "vit", "habite", "aime", "travaille")

// looseVerbs add the auxiliaries, which only count after a word that is in
// no dictionary at all ("Oluwaseun is").
var looseVerbs = set("is", "was", "has", "had", "and", "now", "also", "still", "then", "never",
	"always", "often", "et", "était")

// keepWords are capitalised words that are never names although the name
// lists contain them or the dictionaries lack them.
var keepWords = set("i", "i'm", "i've", "i'd", "i'll", "ok", "okay", "god", "mondays", "tuesdays",
	"wednesdays", "thursdays", "fridays", "saturdays", "sundays", "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday", "sunday", "january", "february", "march", "july",
	"september", "october", "november", "december", "christmas", "easter", "ramadan", "eid",
	"diwali", "hanukkah", "passover", "lent", "advent", "makaton", "bollywood", "facebook",
	"whatsapp", "instagram", "youtube", "tiktok", "linkedin", "zoom", "skype", "ipad", "iphone",
	"pecs", "boardmaker", "proloquo2go", "netflix", "lego", "tesco", "asda", "aldi", "lidl",
	"greggs", "primark", "ikea", "google", "covid", "brexit", "whānau", "whanau", "marae", "māori",
	"maori", "deaf", "autistic", "down", "asperger", "asperger's", "braille", "mencap", "scope",
	"barnardo's", "medicaid", "medicare", "passport", "self-directed", "person-centred", "nhs",
	"english", "french", "scottish", "irish", "welsh", "british", "canadian", "australian", "dutch",
	"polish", "somali", "ukrainian", "cantonese", "mandarin", "punjabi", "urdu", "arabic",
	"bengali", "hindi", "gaelic", "spanish", "portuguese", "italian", "german")

// timeNames are months and seasons that are also given names: only strong
// context ("April said", "Mrs May") makes them names.
var timeNames = set("april", "may", "june", "august", "summer", "autumn", "winter", "spring")

// fictionalNames are the replacements for people's names: mostly neutral as
// to gender, short, and not ordinary words. Those that coincide with a word
// of the story are skipped per story.
var fictionalNames = []string{"Alex", "Sam", "Taylor", "Morgan", "Casey", "Riley", "Jamie",
	"Charlie", "Frankie", "Rowan", "Quinn", "Avery", "Jesse", "Jude", "Remy", "Sasha", "Nico",
	"Ari", "Dana", "Kai", "Reese", "Blair", "Hayden", "Kendall", "Logan", "Parker", "Peyton",
	"Rory", "Shay", "Toni", "Ellis", "Finley", "Harley", "Marley", "Micah", "Billie", "Bobbie",
	"Alexis", "Ashton", "Aubrey", "Bailey", "Darcy", "Emerson", "Harper", "Jaden", "Jody", "Jules",
	"Laine", "Lou", "Luca", "Marlo", "Nicky", "Oakley", "Reagan", "Robbie",
	"Sidney", "Skyler", "Teagan", "Tyler", "Zion", "Ainsley", "Arden", "Briar", "Carey", "Dallas",
	"Eli", "Emery", "Indy", "Kit", "Lennie", "Linden", "Mackenzie", "Nat", "Noa",
	"Perry", "Presley", "Raine", "Scout", "Sol", "Stevie", "Tate",
	"Tristan", "Wynn", "Yael", "Zadie"}

// publicDomains are organisational sites whose links can stay: citing a
// policy or a service page identifies no one. Every other link is removed.
var publicDomains = []string{"gov.uk", "nhs.uk", "gov.scot", "gov.wales", "gov.ie", "hse.ie",
	"nidirect.gov.uk", "canada.ca", "gc.ca", "gov.on.ca", "gouv.qc.ca", "gov.au", "ndis.gov.au",
	"govt.nz", "rijksoverheid.nl", "overheid.nl", "gov", "europa.eu", "who.int", "un.org",
	"wikipedia.org", "citizen-network.org", "legislation.gov.uk", "ons.gov.uk", "ico.org.uk",
	"mencap.org.uk", "scope.org.uk", "autism.org.uk", "inclusion-international.org"}

// rareConditions are conditions rare enough that naming one narrows a story
// down to a handful of people in a region.
var rareConditions = []string{"rett syndrome", "prader-willi", "prader willi", "fragile x",
	"angelman", "williams syndrome", "dravet", "lennox-gastaut", "west syndrome", "batten disease",
	"huntington's", "cri du chat", "edwards syndrome", "patau", "tuberous sclerosis",
	"smith-magenis", "cornelia de lange", "wolf-hirschhorn", "kabuki syndrome", "charge syndrome",
	"phenylketonuria", "duchenne", "spinal muscular atrophy", "friedreich's ataxia",
	"niemann-pick", "tay-sachs", "hunter syndrome", "mucopolysaccharidosis", "landau-kleffner",
	"moebius", "möbius", "sturge-weber", "alexander disease", "krabbe", "leigh syndrome",
	"22q11", "dup15q", "1p36", "ohtahara", "doose syndrome", "cdkl5", "sanfilippo",
	"rare genetic", "rare condition", "rare disorder", "rare syndrome", "rare disease",
	"rare form of epilepsy", "rare epilepsy", "ultra-rare"}

// functionWords are English and French grammar words that the name lists
// also hold (He, An, Do, Elle are names somewhere): they are never names.
var functionWords = set("he", "she", "it", "we", "they", "you", "his", "her", "him", "them",
	"their", "our", "my", "your", "its", "the", "a", "an", "and", "but", "or", "so", "if", "as",
	"at", "by", "for", "from", "in", "into", "of", "on", "to", "with", "without", "after",
	"before", "when", "while", "where", "why", "how", "what", "who", "which", "that", "this",
	"these", "those", "there", "here", "then", "now", "not", "no", "yes", "all", "some", "many",
	"most", "more", "each", "every", "both", "either", "neither", "one", "two", "three", "four",
	"five", "six", "seven", "eight", "nine", "ten", "is", "was", "are", "were", "be", "been",
	"has", "have", "had", "do", "does", "did", "can", "could", "might", "must", "shall",
	"should", "would", "also", "even", "just", "only", "still", "yet", "again", "once", "over",
	"under", "about", "since", "until", "because", "although", "though", "than", "too", "very",
	"much", "such", "own", "same", "other", "another", "any", "me", "us", "he's", "she's",
	"il", "elle", "ils", "elles", "nous", "vous", "je", "tu", "un", "une", "et", "ou",
	"mais", "donc", "car", "ni", "que", "qui", "dont", "où", "ce", "cette", "ces", "son", "sa",
	"ses", "leur", "leurs", "mon", "ma", "mes", "au", "aux", "avec", "sans", "pour", "par", "sur",
	"sous", "dans", "chez", "vers", "entre", "depuis", "pendant", "avant", "après", "quand",
	"comme", "si", "très", "plus", "moins", "tout", "tous", "toute", "est", "sont", "était",
	"ont", "pas", "ne", "oui", "non", "aujourd'hui", "aujourd’hui", "en", "het", "een", "ik", "hij", "zij", "wij")

// conditionWords after a name make it an eponym: Rett syndrome, Williams
// syndrome, Crohn's disease.
var conditionWords = set("syndrome", "disease", "disorder", "palsy", "sclerosis", "ataxia",
	"dystrophy", "anomaly", "sequence", "scale", "test", "method", "approach")

// peopleNouns after an unknown capitalised word make it an adjective of
// people or culture ("an Anishinaabe man", "Somali food"), not a name.
var peopleNouns = set("man", "men", "woman", "women", "boy", "boys", "girl", "girls", "people",
	"person", "community", "communities", "elder", "elders", "language", "languages", "culture",
	"heritage", "food", "music", "speaker", "speakers", "nation", "nations", "tribe", "descent",
	"origin", "roots", "song", "songs", "dance", "dish", "dishes", "cooking", "cuisine", "tradition",
	"traditions", "festival", "church", "mosque", "temple", "sign", "signs")

// languageVerbs before an unknown capitalised word make it a language:
// "she speaks Ojibwe", "learning Makaton".
var languageVerbs = set("speak", "speaks", "spoke", "speaking", "learn", "learns", "learned",
	"learnt", "learning", "fluent", "translate", "translated", "interpreter", "sign", "signs", "signed")
