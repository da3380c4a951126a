package anonymise

// The words that name institutions and their types, read by
// findInstitutions in institutions.go.

// instHeads are the words that end an English (or Welsh, Dutch, Norse)
// institution's name, "Kingsmuir Hospital", and the type it becomes.
var instHeads = map[string]instType{
	"hospital": {"a hospital", "un hôpital"}, "infirmary": {"a hospital", "un hôpital"},
	"ward": {"a hospital ward", "un service hospitalier"}, "unit": {"a hospital unit", "une unité"},
	"hospice": {"a hospice", "un hospice"}, "clinic": {"a clinic", "une clinique"},
	"practice": {"a GP practice", "un cabinet médical"}, "surgery": {"a GP practice", "un cabinet médical"},
	"school": {"a school", "une école"}, "academy": {"a school", "une école"}, "college": {"a college", "un établissement scolaire"},
	"university": {"a university", "une université"}, "nursery": {"a nursery", "une crèche"},
	"centre": {"a centre", "un centre"}, "center": {"a center", "un centre"},
	"home": {"a care home", "un foyer"}, "homes": {"a care home", "un foyer"}, "lodge": {"a care home", "un foyer"},
	"court": {"a care home", "un foyer"}, "house": {"a house", "une maison"}, "residence": {"a care home", "une résidence"},
	"hotel": {"a hotel", "un hôtel"}, "café": {"a local café", "un café"}, "cafe": {"a local café", "un café"},
	"bakery": {"a local bakery", "une boulangerie"}, "shop": {"a local shop", "un commerce local"},
	"store": {"a local shop", "un commerce local"}, "stores": {"a local shop", "un commerce local"},
	"hardware": {"a local shop", "un commerce local"}, "co-op": {"a local shop", "un commerce local"},
	"market": {"a local shop", "un commerce local"}, "supermarket": {"a supermarket", "un supermarché"},
	"ltd": {"a small employer", "une petite entreprise"}, "limited": {"a small employer", "une petite entreprise"},
	"plc": {"an employer", "une entreprise"}, "inc": {"an employer", "une entreprise"}, "llc": {"a small employer", "une petite entreprise"},
	"services": {"a local employer", "une entreprise locale"}, "logistics": {"a logistics firm", "une entreprise de logistique"},
	"club": {"a local club", "un club local"}, "church": {"a local church", "une église"}, "chapel": {"a local chapel", "une chapelle"},
	"parish": {"a local parish", "une paroisse"}, "cathedral": {"a cathedral", "une cathédrale"}, "mosque": {"a mosque", "une mosquée"},
	"temple": {"a temple", "un temple"}, "synagogue": {"a synagogue", "une synagogue"}, "gurdwara": {"a gurdwara", "un gurdwara"},
	"library": {"a local library", "une bibliothèque"}, "shed": {"a community group", "un atelier associatif"},
	"marae": {"a marae", "un marae"}, "kunsthall": {"an art gallery", "une galerie d'art"}, "gallery": {"an art gallery", "une galerie d'art"},
	"museum": {"a museum", "un musée"}, "room": {"a local restaurant", "un restaurant"}, "restaurant": {"a local restaurant", "un restaurant"},
	"pub": {"a local pub", "un bar"}, "inn": {"a local pub", "un bar"}, "arms": {"a local pub", "un bar"}, "tavern": {"a local pub", "un bar"},
	"trust": {"a charity", "une association"}, "charity": {"a charity", "une association"}, "foundation": {"a charity", "une fondation"},
	"farm": {"a farm", "une ferme"}, "garage": {"a local garage", "un garage"}, "salon": {"a local salon", "un salon"},
	"kitchen": {"a local café", "un café"}, "diner": {"a local café", "un café"}, "pharmacy": {"a pharmacy", "une pharmacie"},
	"chemist": {"a pharmacy", "une pharmacie"}, "gym": {"a gym", "une salle de sport"}, "pool": {"a swimming pool", "une piscine"},
	"skole": {"a school", "une école"}, "sykehus": {"a hospital", "un hôpital"}, "senter": {"a centre", "un centre"},
	"primary": {"a primary school", "une école primaire"}, "high": {"a secondary school", "un collège"},
	"newsagent": {"a local shop", "un commerce local"}, "newsagents": {"a local shop", "un commerce local"},
	"deli": {"a local shop", "un commerce local"}, "butchers": {"a local shop", "un commerce local"},
	"butcher's": {"a local shop", "un commerce local"}, "grocers": {"a local shop", "un commerce local"},
	"bakers": {"a local bakery", "une boulangerie"}, "florist": {"a local shop", "un commerce local"},
	"bank": {"a bank", "une banque"}, "workshop": {"a workshop", "un atelier"}, "studio": {"a studio", "un atelier"},
	"nurseries": {"a garden centre", "une jardinerie"}, "hub": {"a community hub", "un lieu associatif"},
	"project": {"a local project", "un projet local"}, "society": {"a local society", "une association"},
	"association": {"a local association", "une association"}, "hall": {"a community hall", "une salle communale"},
	"institute": {"an institute", "un institut"}, "wing": {"a hospital wing", "une aile d'hôpital"},
	"mandir": {"a temple", "un temple"}, "masjid": {"a mosque", "une mosquée"}, "kirk": {"a local church", "une église"},
	"madrasa": {"a religious school", "une école coranique"}, "preschool": {"a nursery", "une crèche"},
	"pre-school": {"a nursery", "une crèche"}, "playgroup": {"a nursery", "une crèche"}, "kindergarten": {"a nursery", "une crèche"},
	"daycare": {"a nursery", "une crèche"}, "creche": {"a nursery", "une crèche"}, "crèche": {"a nursery", "une crèche"},
	"options": {"a day service", "un service de jour"}, "opportunities": {"a day service", "un service de jour"},
	"solutions": {"a local employer", "une entreprise locale"}, "enterprises": {"a local employer", "une entreprise locale"},
	"industries":  {"a local employer", "une entreprise locale"},
	"fabrication": {"a local firm", "une entreprise locale"}, "engineering": {"a local firm", "une entreprise locale"},
	"motors": {"a local garage", "un garage"}, "builders": {"a local firm", "une entreprise locale"},
	"construction": {"a local firm", "une entreprise locale"}, "landscaping": {"a local firm", "une entreprise locale"},
	"joinery": {"a local firm", "une entreprise locale"}, "catering": {"a local firm", "une entreprise locale"},
	"sons": {"a family firm", "une entreprise familiale"}, "bros": {"a family firm", "une entreprise familiale"},
	"clg": {"a charity", "une association"}, "cic": {"a social enterprise", "une entreprise sociale"},
	"cio": {"a charity", "une association"}, "dac": {"a small employer", "une petite entreprise"},
	"llp": {"a small employer", "une petite entreprise"}, "pty": {"a small employer", "une petite entreprise"},
	"gmbh": {"a small employer", "une petite entreprise"}, "sarl": {"a small employer", "une petite entreprise"},
	"asbl": {"a charity", "une association"}, "vzw": {"a charity", "une association"},
	"elementary": {"a primary school", "une école primaire"}, "middle": {"a secondary school", "un collège"},
	"junior": {"a primary school", "une école primaire"}, "infants": {"a primary school", "une école maternelle"},
	"partners": {"a local employer", "une entreprise locale"}, "associates": {"a local employer", "une entreprise locale"},
	"garden": {"a community garden", "un jardin partagé"}, "allotments": {"a community garden", "un jardin partagé"},
	"fc": {"a local football club", "un club de football"}, "afc": {"a local football club", "un club de football"},
	"rfc": {"a local rugby club", "un club de rugby"}, "gaa": {"a local sports club", "un club sportif"},
	"physiotherapy": {"a physiotherapy clinic", "un cabinet de kinésithérapie"}, "physio": {"a physiotherapy clinic", "un cabinet de kinésithérapie"},
	"dental": {"a dental practice", "un cabinet dentaire"}, "dentistry": {"a dental practice", "un cabinet dentaire"},
	"dentist": {"a dental practice", "un cabinet dentaire"}, "dentists": {"a dental practice", "un cabinet dentaire"},
	"opticians": {"an optician", "un opticien"}, "optician": {"an optician", "un opticien"},
	"podiatry": {"a clinic", "une clinique"}, "chiropractic": {"a clinic", "une clinique"},
	"vets": {"a vet's practice", "un vétérinaire"}, "veterinary": {"a vet's practice", "un vétérinaire"},
	"launderette": {"a local shop", "une laverie"}, "laundrette": {"a local shop", "une laverie"},
	"barbers": {"a local barber", "un barbier"}, "barber": {"a local barber", "un barbier"},
	"hairdressers": {"a local salon", "un salon de coiffure"}, "takeaway": {"a local takeaway", "un traiteur"},
	"chippy": {"a local takeaway", "un traiteur"}, "bistro": {"a local café", "un bistrot"}, "grill": {"a local restaurant", "un restaurant"},
	"cinema": {"a cinema", "un cinéma"}, "theatre": {"a theatre", "un théâtre"}, "theater": {"a theater", "un théâtre"},
	"living": {"a support provider", "un service d'accompagnement"}, "supports": {"a support provider", "un service d'accompagnement"},
	"collegiate": {"a secondary school", "un lycée"}, "grooming": {"a local business", "un commerce local"},
	"kennels": {"a local business", "un commerce local"}, "cattery": {"a local business", "un commerce local"},
	"stables": {"a riding school", "un centre équestre"}, "removals": {"a local firm", "une entreprise locale"},
	"cleaning": {"a local firm", "une entreprise locale"}, "taxis": {"a local firm", "une entreprise locale"},
	"repairs": {"a local firm", "une entreprise locale"}, "crafts": {"a local business", "un commerce local"},
	"union": {"a local union", "un syndicat"}, "rovers": {"a local sports club", "un club sportif"}, "wanderers": {"a local sports club", "un club sportif"},
	"athletic": {"a local sports club", "un club sportif"}, "harriers": {"a local sports club", "un club sportif"},
}

// numberedHeads are parts of a hospital or home known by a number: "Ward
// 7", "Pavillon 4".
var numberedHeads = map[string]instType{"ward": {"a hospital ward", "un service hospitalier"},
	"pavillon": {"a hospital unit", "un pavillon"}, "wing": {"a hospital wing", "une aile d'hôpital"},
	"bay": {"a hospital bay", "une chambre"}, "station": {"a hospital ward", "un service hospitalier"},
	"unité": {"a hospital unit", "une unité"}, "salle": {"a hospital ward", "une salle"}}

// plainHeads are heads that name one institution even with only generic
// words before them: "the Royal Infirmary", "the General Hospital".
var plainHeads = set("hospital", "infirmary", "hospice", "school", "academy", "college", "home",
	"homes", "lodge", "unit", "ward", "nursery", "primary", "high", "surgery", "practice", "clinic")

// instFirst are the words that begin a French (or Welsh, Dutch, Catalan,
// Spanish) institution's name, "IME Les Cèdres", "Coleg Glan Conwy".
var instFirst = map[string]instType{
	"hôpital": {"a hospital", "un hôpital"}, "hopital": {"a hospital", "un hôpital"}, "clinique": {"a clinic", "une clinique"},
	"école": {"a school", "une école"}, "ecole": {"a school", "une école"}, "collège": {"a school", "un collège"},
	"lycée": {"a school", "un lycée"}, "institut": {"an institute", "un institut"}, "foyer": {"a care home", "un foyer"},
	"résidence": {"a care home", "une résidence"}, "home": {"a care home", "un foyer"}, "pavillon": {"a hospital unit", "un pavillon"},
	"centre": {"a centre", "un centre"}, "bibliothèque": {"a local library", "une bibliothèque"}, "médiathèque": {"a local library", "une médiathèque"},
	"boulangerie": {"a local bakery", "une boulangerie"}, "pâtisserie": {"a local bakery", "une pâtisserie"},
	"jardinerie": {"a garden centre", "une jardinerie"}, "fromagerie": {"a local shop", "une fromagerie"},
	"épicerie": {"a local shop", "une épicerie"}, "librairie": {"a bookshop", "une librairie"}, "ferme": {"a farm", "une ferme"},
	"association": {"a charity", "une association"}, "église": {"a local church", "une église"}, "paroisse": {"a local parish", "une paroisse"},
	"maison": {"a house", "une maison"}, "atelier": {"a workshop", "un atelier"}, "café": {"a local café", "un café"},
	"restaurant": {"a local restaurant", "un restaurant"}, "entreprise": {"a small employer", "une petite entreprise"},
	"ime": {"a special school", "un IME"}, "esat": {"a sheltered workshop", "un ESAT"}, "mas": {"a care home", "une MAS"},
	"fam": {"a care home", "un FAM"}, "iem": {"a special school", "un IEM"}, "ehpad": {"a care home", "un EHPAD"},
	"chs": {"a hospital", "un hôpital"}, "chu": {"a hospital", "un hôpital"}, "chsld": {"a care home", "un CHSLD"},
	"ri": {"a care home", "une ressource intermédiaire"}, "sessad": {"a support service", "un SESSAD"},
	"itep": {"a special school", "un ITEP"}, "ems": {"a care home", "un EMS"}, "mecs": {"a children's home", "une MECS"},
	"coleg": {"a college", "un établissement scolaire"}, "ysgol": {"a school", "une école"},
	"ysbyty": {"a hospital", "un hôpital"}, "cartref": {"a care home", "un foyer"}, "meithrinfa": {"a nursery", "une crèche"},
	"crèche": {"a nursery", "une crèche"}, "garderie": {"a nursery", "une crèche"}, "cabinet": {"a practice", "un cabinet"},
	"ehpa": {"a care home", "un EHPA"}, "gem": {"a peer support group", "un GEM"}, "saj": {"a day centre", "un centre de jour"}, "ssiad": {"a home care service", "un SSIAD"},
	"cmp": {"a mental health clinic", "un CMP"}, "cmpp": {"a clinic", "un CMPP"}, "camsp": {"a clinic", "un CAMSP"},
	"cattp": {"a day centre", "un CATTP"}, "savs": {"a support service", "un SAVS"}, "samsah": {"a support service", "un SAMSAH"},
	"clsc": {"a health centre", "un CLSC"}, "cisss": {"a health authority", "un CISSS"}, "ciusss": {"a health authority", "un CIUSSS"},
	"pharmacie": {"a pharmacy", "une pharmacie"}, "boucherie": {"a local shop", "une boucherie"}, "supérette": {"a local shop", "une supérette"},
	"garage": {"a local garage", "un garage"}, "salon": {"a local salon", "un salon"}, "brasserie": {"a local restaurant", "une brasserie"},
	"bar": {"a local bar", "un bar"}, "club": {"a local club", "un club"},
	"groupe": {"a school", "un groupe scolaire"}, "temple": {"a temple", "un temple"}, "mosquée": {"a mosque", "une mosquée"},
	"chapelle": {"a chapel", "une chapelle"}, "hospital": {"a hospital", "un hôpital"}, "caffi": {"a local café", "un café"},
	"capel": {"a local chapel", "une chapelle"}, "eglwys": {"a local church", "une église"}, "canolfan": {"a centre", "un centre"},
	"zorgcentrum": {"a care centre", "un centre de soins"}, "woonzorgcentrum": {"a care home", "une résidence"},
	"basisschool": {"a primary school", "une école primaire"}, "stichting": {"a charity", "une fondation"},
	"residència": {"a care home", "une résidence"}, "residencia": {"a care home", "une résidence"},
	"colegio": {"a school", "une école"}, "escola": {"a school", "une école"}, "centro": {"a centre", "un centre"},
	"fournil": {"a local bakery", "une boulangerie"}, "boutique": {"a local shop", "une boutique"},
	"magasin": {"a local shop", "un magasin"}, "bistrot": {"a local café", "un bistrot"}, "auberge": {"a local inn", "une auberge"},
	"hôtel": {"a hotel", "un hôtel"}, "gîte": {"a holiday let", "un gîte"}, "crêperie": {"a local restaurant", "un restaurant"},
	"pizzeria": {"a local restaurant", "un restaurant"}, "traiteur": {"a caterer", "un traiteur"},
	"quincaillerie": {"a local shop", "une quincaillerie"}, "cordonnerie": {"a local shop", "une cordonnerie"},
	"menuiserie": {"a joinery workshop", "une menuiserie"}, "imprimerie": {"a print shop", "une imprimerie"},
	"laverie": {"a local shop", "une laverie"}, "camping": {"a campsite", "un camping"},
	"service": {"a hospital department", "un service hospitalier"}, "internat": {"a boarding school", "un internat"},
	"conservatoire": {"a music school", "un conservatoire"}, "université": {"a university", "une université"},
	"polyclinique": {"a clinic", "une clinique"}, "obnl": {"a non-profit", "un organisme sans but lucratif"},
	"asbl": {"a charity", "une ASBL"}, "habitations": {"a housing provider", "un organisme de logement"},
	"coopérative": {"a cooperative", "une coopérative"},
	"athénée":     {"a school", "un athénée"}, "neuadd": {"a community hall", "une salle communale"},
	"fc": {"a local football club", "un club de football"}, "as": {"a local sports club", "un club sportif"},
	"friterie": {"a local café", "une friterie"}, "dépanneur": {"a local shop", "un dépanneur"},
	"comptoir": {"a local shop", "un comptoir"}, "whare": {"a house", "une maison"}, "kura": {"a school", "une école"},
	"kōhanga": {"a preschool", "une crèche"}, "kohanga": {"a preschool", "une crèche"},
}

// lowerFirstHeads may begin a French name in lower case, as French writes
// them: "la boulangerie Chez Paulette", "le lycée Jean-Zay", "l'église
// Saint-Denis". A capitalised word must follow.
var lowerFirstHeads = set("hôpital", "hopital", "clinique", "polyclinique", "école", "ecole", "collège",
	"lycée", "institut", "foyer", "résidence", "bibliothèque", "médiathèque", "boulangerie", "pâtisserie",
	"jardinerie", "fromagerie", "épicerie", "librairie", "ferme", "église", "paroisse", "atelier", "café",
	"restaurant", "entreprise", "pharmacie", "boucherie", "supérette", "garage", "salon", "brasserie",
	"temple", "mosquée", "chapelle", "fournil", "boutique", "magasin", "bistrot", "auberge", "hôtel",
	"gîte", "crêperie", "pizzeria", "traiteur", "quincaillerie", "cordonnerie", "menuiserie", "imprimerie",
	"laverie", "camping", "service", "cabinet", "internat", "conservatoire", "université",
	"centre", "club", "association", "coopérative", "home", "athénée", "friterie", "dépanneur", "comptoir")

// maoriFirst follow "Te" at the start of a Māori name: "Te Whare Manaaki",
// "Te Kōhanga Reo o Kirikiriroa".
var maoriFirst = set("whare", "kura", "kōhanga", "kohanga")

// instRefine are words before the head that make its type more precise.
var instRefine = map[string]instType{
	"primary": {"a primary school", "une école primaire"}, "special": {"a special school", "une école spécialisée"},
	"high": {"a secondary school", "un collège"}, "secondary": {"a secondary school", "un collège"},
	"grammar": {"a secondary school", "un lycée"}, "medical": {"a GP practice", "un cabinet médical"},
	"health": {"a health centre", "un centre de santé"}, "community": {"a community centre", "un centre social"},
	"day": {"a day centre", "un centre de jour"}, "group": {"a group home", "un foyer"}, "nursing": {"a care home", "une maison de retraite"},
	"care": {"a care home", "un foyer"}, "treatment": {"a hospital unit", "une unité de soins"}, "food": {"a food bank", "une banque alimentaire"},
	"leisure": {"a leisure centre", "un centre de loisirs"}, "garden": {"a garden centre", "une jardinerie"},
	"baptist": {"a local church", "une église"}, "credit": {"a credit union", "une caisse de crédit"}, "men's": {"a community group", "un atelier associatif"},
}

// genericInstWords name no particular institution: "the Day Centre", "a
// Care Home", "Job Centre" are kept.
var genericInstWords = set("the", "a", "an", "day", "care", "community", "job", "health", "medical",
	"local", "primary", "secondary", "high", "special", "nursing", "residential", "group", "general",
	"district", "city", "county", "royal", "national", "state", "public", "private", "new", "old",
	"main", "youth", "children's", "women's", "men's", "family", "respite", "support", "art", "arts",
	"sports", "sport", "leisure", "resource", "learning", "training", "work", "employment", "village",
	"town", "parish", "free", "catholic", "christian", "our", "my", "his", "her", "their", "this",
	"that", "and", "of", "&", "treatment", "assessment", "mental", "disability", "autism", "food", "st",
	"saint", "holy", "university", "teaching", "nhs", "adult", "adults", "service", "services", "open",
	"individual", "individualised", "individualized", "independent", "living", "supported", "personal",
	"integrated", "inclusive")

// instConnectors may stand inside a French name after its first word:
// "Centre de jour Les Trois Pommiers", "Bibliothèque communale de ...".
var instConnectors = set("de", "du", "des", "la", "le", "les", "d'", "l'", "jour", "communale",
	"municipale", "spécialisé", "spécialisée", "médicalisé", "médicalisée", "d'accueil", "accueil",
	"publique", "privée", "primaire", "maternelle", "élémentaire", "intercommunale", "protestante",
	"catholique", "van", "het", "y", "i", "del", "de la", "o")
