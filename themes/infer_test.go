package themes

import (
	"slices"
	"strings"
	"testing"
)

// minAccuracy is the share of phrasings whose expected topic must come first.
const minAccuracy = 0.90

// phrasings are offers and needs written the way member organisations write
// them: the expected topic is the one a person reading the text would file it
// under, even when the text touches on others.
var phrasings = []struct {
	text, lang, want string
}{
	// Personnel
	{"Comment recrutez-vous des accompagnateurs qui correspondent vraiment à la personne ?", "fr", "personnel"},
	{"We keep losing good support workers after six months. How do you hold on to people?", "en", "personnel"},
	{"Happy to share how we interview candidates together with the person and their family.", "en", "personnel"},
	{"Nos salariés s'épuisent et le turn-over explose : comment les garder ?", "fr-CA", "personnel"},
	// Power and accountability
	{"Some families want to employ their own PAs but still need us in the background. How do you share management?", "en", "power-and-accountability"},
	{"We have set up circles of support around each person and can explain how they hold us to account.", "en", "power-and-accountability"},
	{"Comment partager réellement le pouvoir avec les familles sans se défausser ?", "fr", "power-and-accountability"},
	// Financial management
	{"We'd love to hear how others handle ISFs with their local authority", "en", "financial-management"},
	{"Looking for practical advice on running individual service funds: how do you keep each person's money separate and transparent?", "en", "financial-management"},
	{"Nous voulons passer à un budget individuel par personne, mais notre comptabilité n'est pas prête.", "fr", "financial-management"},
	{"A family asked whether they could take a direct payment instead of our block service.", "", "financial-management"},
	// Commissioning
	{"Our commissioners only buy time-and-task visits. How did you persuade yours to fund outcomes instead?", "en", "commissioning"},
	{"Comment négocier avec le conseil départemental pour sortir d'une tarification à l'heure ?", "fr", "commissioning"},
	// Cooperation
	{"We are a small provider and would like to link up with similar organisations so we don't reinvent the wheel.", "en", "cooperation"},
	{"Nous cherchons d'autres associations pour mutualiser nos expériences plutôt que de nous faire concurrence.", "fr", "cooperation"},
	// Quality
	{"How do you know your support is actually any good? We want families to check it, not just inspectors.", "en", "quality"},
	{"Nous préparons notre évaluation externe et voulons des indicateurs qui parlent de la vie des personnes.", "fr", "quality"},
	// Inclusion
	{"Most of the people we support have no friends outside paid staff. How do you help them build real relationships?", "en", "inclusion"},
	{"Comment aider une personne très isolée à trouver sa place dans son quartier ?", "fr", "inclusion"},
	// Team management
	{"We are moving to small self-managing teams, Buurtzorg style, and wonder what happens to team leaders.", "en", "team-management"},
	{"Quelle place pour les chefs de service quand les équipes deviennent autonomes ?", "fr", "team-management"},
	// Risk
	{"Our insurers and the board are nervous about letting Tom cook on his own. How do you handle positive risk-taking?", "en", "risk"},
	{"Comment concilier droit au risque et sécurité sans multiplier les protocoles ?", "fr", "risk"},
	// Housing
	{"Helping a woman leave a group home to rent a flat with a friend she chose.", "en", "housing"},
	{"Nous accompagnons des colocations entre jeunes adultes autistes et étudiants.", "fr", "housing"},
	// Change management
	{"We want to turn our day centres into individual support over three years without losing the staff along the way.", "en", "change-management"},
	{"Notre association a fusionné l'an dernier ; comment conduire une réorganisation sans casser les équipes ?", "fr", "change-management"},
	// Planning and design
	{"He is coming out of a secure hospital after twelve years and we need to design his support from scratch.", "en", "planning-and-design"},
	{"Nous utilisons la planification centrée sur la personne pour construire un projet de vie avec chacun.", "fr", "planning-and-design"},
	// Empowerment
	{"Our self-advocates run their own group and want to meet other people who speak up for themselves.", "en", "empowerment"},
	{"Nous lançons un groupe de pair-aidance animé par des personnes accompagnées.", "fr", "empowerment"},
	// Leadership
	{"How do you keep the founding values alive as the organisation grows and the original leaders retire?", "en", "leadership"},
	// Community engagement
	{"We want the people we support, their families and our staff to have a real say in how the charity is run.", "en", "community-engagement"},
	{"Comment faire vivre le conseil de la vie sociale et associer les habitants du territoire ?", "fr", "community-engagement"},
	// Resourcing
	{"Any tips on applying to charitable trusts? We need money for a garden project the council won't pay for.", "en", "resourcing"},
	{"Nous cherchons des mécènes et des bénévoles pour compléter nos financements.", "fr", "resourcing"},
	// Education
	{"Supporting people to eat better, lose weight and get more active.", "en", "education"},
	// Non-verbal communication
	{"Our team struggles to understand a young man who communicates through behaviour rather than speech", "en", "non-verbal-communication"},
	{"Elle ne parle pas et nous commençons à utiliser des pictogrammes.", "fr", "non-verbal-communication"},
	// Back office
	{"Which rostering software and on-call arrangements work for small teams working nights and weekends?", "en", "back-office"},
	// Legal
	{"Is what we do a deprivation of liberty? We'd like to understand DoLS and best interests decisions better.", "en", "legal"},
	{"Mesures de tutelle et curatelle : comment respecter la volonté de la personne ?", "fr", "legal"},
	// Advocacy
	{"We'd like to work with independent brokers who help people plan before they choose a provider.", "en", "advocacy"},
	// Austerity
	{"The council has cut every package by ten percent. How do you respond without abandoning people?", "en", "austerity"},
	{"Face aux restrictions budgétaires, comment rester fidèle à nos valeurs ?", "fr", "austerity"},
	// Jobs
	{"Helping a young woman with Down's syndrome get paid work in a local bakery.", "en", "jobs"},
	{"Comment accompagner vers un emploi en milieu ordinaire plutôt qu'en ESAT ?", "fr", "jobs"},
	// Spirituality
	{"He used to go to mass every Sunday with his mother and misses it since she died.", "en", "spirituality"},
	// Children
	{"We are starting to support teenagers who are about to leave school and move into adult services.", "en", "children"},
	// Social enterprise
	{"We run a café staffed by the people we support and want to turn it into a proper social business.", "en", "social-enterprise"},
	// System change
	{"How do we shift a whole region's home-care services, not just our own, towards personalised support?", "en", "system-change"},
	{"Nous militons pour la désinstitutionnalisation au niveau national.", "fr", "system-change"},
	// Written after a first round of tuning on the phrasings above; about 80%
	// of them were right first time, and the vocabulary was then extended.
	{"Can anyone share a job description and interview questions for personal assistants?", "en", "personnel"},
	{"Ser asistente personal: ¿cómo formáis a los nuevos asistentes personales?", "es", "personnel"},
	{"Mum wants to be the one who decides who comes into the house and who doesn't. How do other providers make that work?", "en", "power-and-accountability"},
	{"We're trying to work out how much of each person's package goes on overheads and how to show them the figures.", "en", "financial-management"},
	{"Wie rechnet ihr ein Persönliches Budget mit dem Träger ab?", "de", "financial-management"},
	{"The new tender specification leaves no room for anything but hourly visits.", "en", "commissioning"},
	{"Nous aimerions échanger avec des structures d'autres pays qui travaillent comme nous.", "fr", "cooperation"},
	{"What outcome measures do you use that actually reflect whether someone's life has improved?", "en", "quality"},
	{"James has lived in the same town for forty years and knows nobody. We want to change that.", "en", "inclusion"},
	{"Nous voulons supprimer un échelon hiérarchique et donner plus d'autonomie aux équipes de proximité.", "fr", "team-management"},
	{"After an incident with a kitchen knife the safeguarding team wants a blanket ban. How do we argue for a personal plan?", "en", "risk"},
	{"Looking for landlords willing to let to people with a history of eviction.", "en", "housing"},
	{"Wij zoeken een woning voor drie jongeren die samen willen wonen.", "nl", "housing"},
	{"We are closing our residential service and the staff are anxious about what comes next. How did you lead the transition?", "en", "change-management"},
	{"Un jeune homme sort de dix ans d'hôpital psychiatrique : comment construire son accompagnement pièce par pièce ?", "fr", "planning-and-design"},
	{"Our members with learning disabilities want to train others about their rights and run meetings themselves.", "en", "empowerment"},
	{"Comment garder l'esprit des fondateurs quand la direction change ?", "fr", "leadership"},
	{"We want the neighbourhood to see us as part of the town, not as 'that care place'.", "en", "community-engagement"},
	{"We have been offered a legacy and want to set up a small grants programme for people we support.", "en", "resourcing"},
	{"She would like to go to college to learn to read.", "en", "education"},
	{"We're introducing Makaton signs across the house and need training ideas.", "en", "non-verbal-communication"},
	{"Il communique par des cris et des gestes ; comment mieux le comprendre ?", "fr", "non-verbal-communication"},
	{"Our payroll and timesheets take two days a month. What systems do you use?", "en", "back-office"},
	{"Does anyone have experience of the Court of Protection approving a move?", "en", "legal"},
	{"Nous cherchons des assistants au projet de vie indépendants des établissements.", "fr", "advocacy"},
	{"Energy bills and inflation are eating into the funding; the rate hasn't moved in five years.", "en", "austerity"},
	{"Two of the men we support want to start working part time. Where do we begin with employers?", "en", "jobs"},
	{"Ramadan is coming and we want to support Amina to fast safely with her medication.", "en", "spirituality"},
	{"Nous accompagnons des enfants de 6 à 12 ans et leurs parents à domicile.", "fr", "children"},
	{"Setting up a cooperative garden business where people with disabilities are co-owners.", "en", "social-enterprise"},
	{"We want to influence the national review of adult social care so that institutions close for good.", "en", "system-change"},
	// A second batch, deliberately indirect; about half were right first time
	// before the vocabulary was extended again.
	{"How do you decide which of your support staff goes with whom? Personality seems to matter more than qualifications.", "en", "personnel"},
	{"Les familles siègent-elles chez vous dans les instances qui décident de l'accompagnement de leur proche ?", "fr", "power-and-accountability"},
	{"Our finance director wants to understand how to hold money for one person without it disappearing into the general pot.", "en", "financial-management"},
	{"The health board renews our contract every year, so we can never plan long term with them.", "en", "commissioning"},
	{"Would any provider in Scotland be up for a joint training day and swapping what works?", "en", "cooperation"},
	{"Nos auditeurs regardent surtout les classeurs, jamais la vie réelle des gens.", "fr", "quality"},
	{"Sam loves trains. We'd like to help him join a railway club and meet people who share that.", "en", "inclusion"},
	{"Who runs your nights and weekends rota when the coordinator is off?", "en", "team-management"},
	{"Son psychiatre veut qu'il soit surveillé en permanence ; nous pensons qu'il peut sortir seul. Comment évaluer le danger ?", "fr", "risk"},
	{"Our tenants were told their landlord is selling the property. How have others handled that?", "en", "housing"},
	{"We have grown from 10 to 120 staff in three years and our systems and culture are creaking.", "en", "change-management"},
	{"We want our managers to model the trust we expect staff to show the people they support.", "en", "leadership"},
	{"Nous voulons ouvrir nos locaux aux associations du quartier et mieux nous faire connaître des habitants.", "fr", "community-engagement"},
	{"Une fondation d'entreprise pourrait financer notre projet de jardin partagé : comment monter le dossier ?", "fr", "resourcing"},
	{"Supporting a man in his fifties to learn to use the bus and manage his own shopping.", "en", "education"},
	{"Her only words are 'yes' and 'more', and staff guess the rest.", "en", "non-verbal-communication"},
	{"Comment organisez-vous l'astreinte de nuit pour les cadres ?", "fr", "back-office"},
	{"His parents are his legal guardians but he disagrees with them about where to live.", "en", "legal"},
	{"An independent advocate helped Paul say no to moving, and the review panel listened.", "en", "advocacy"},
	{"Le département a gelé nos tarifs et réduit les heures ; comment tenir sans abîmer l'accompagnement ?", "fr", "austerity"},
	{"Three people we support now work at the garden centre two days a week, paid the going rate.", "en", "jobs"},
	{"Comment respecter les convictions religieuses d'une personne qui ne peut plus aller seule à la mosquée ?", "fr", "spirituality"},
	{"We support a 14-year-old excluded from school who is now at home full time.", "en", "children"},
	{"Our print shop employs people with learning disabilities and covers its own costs.", "en", "social-enterprise"},
	{"We need to convince the ministry that the national funding model keeps people in institutions.", "en", "system-change"},
}

// unseenPhrasings were written after all tuning and kept exactly as first
// written: no vocabulary was added for them (one stemming clash they revealed,
// "sign off" read as signing, was fixed). Their hit rate, logged separately,
// is the honest estimate of how Infer does on new text.
var unseenPhrasings = []struct {
	text, lang, want string
}{
	{"What do you pay your support workers, and does paying above the going rate actually reduce people leaving?", "en", "personnel"},
	{"Mrs B. wants to sign off her son's weekly rota herself. Do your families approve who works with their relative?", "en", "power-and-accountability"},
	{"Can a person carry unspent hours from one month to the next in your ISF arrangements?", "en", "financial-management"},
	{"Notre contrat avec l'ARS impose des taux d'encadrement qui ne correspondent à personne.", "fr", "commissioning"},
	{"She sings in the choir at the community centre every Thursday and it has changed her life.", "en", "inclusion"},
	{"Peut-on vraiment laisser quelqu'un prendre des risques quand la famille a peur ?", "fr", "risk"},
	{"Shared Lives carers in our area are retiring and we can't find new households.", "en", "housing"},
	{"Our people's parliament meets monthly and sends its own delegates to the regional forum.", "en", "empowerment"},
	{"We applied to three trusts last year and got nothing. How do you write a winning bid?", "en", "resourcing"},
	{"Il utilise quelques signes et un classeur d'images : comment former toute l'équipe à ses codes ?", "fr", "non-verbal-communication"},
	{"Our care records are still on paper. What digital system did you move to?", "en", "back-office"},
	{"Les mesures de protection juridique empêchent-elles la personne de signer son bail ?", "fr", "legal"},
	{"The council wants to save 2 million next year and our packages are the first target.", "en", "austerity"},
	{"He wants to volunteer at the animal shelter as a first step towards a paid job.", "en", "jobs"},
	{"Nous accompagnons des adolescents placés qui vont bientôt avoir 18 ans.", "fr", "children"},
}

// TestInferAccuracy requires the expected topic to come first (top-1) for at
// least minAccuracy of all phrasings, and logs every miss.
func TestInferAccuracy(t *testing.T) {
	all := append(slices.Clone(phrasings), unseenPhrasings...)
	if len(all) < 40 {
		t.Fatalf("only %d phrasings, want at least 40", len(all))
	}
	hits, unseenHits := 0, 0
	for i, p := range all {
		got := Infer(p.text, p.lang)
		if len(got) > 0 && got[0].Slug == p.want {
			hits++
			if i >= len(phrasings) {
				unseenHits++
			}
			continue
		}
		t.Logf("miss: want %s, got %v for %q", p.want, got, p.text)
	}
	accuracy := float64(hits) / float64(len(all))
	t.Logf("top-1 accuracy: %d/%d = %.3f (unseen phrasings alone: %d/%d = %.3f)",
		hits, len(all), accuracy, unseenHits, len(unseenPhrasings),
		float64(unseenHits)/float64(len(unseenPhrasings)))
	if accuracy < minAccuracy {
		t.Errorf("top-1 accuracy %.3f below %.2f", accuracy, minAccuracy)
	}
}

func TestInferEveryTopicCovered(t *testing.T) {
	covered := make(map[string]bool)
	for _, p := range phrasings {
		covered[p.want] = true
	}
	for _, th := range ByKind(KindTopic) {
		if !covered[th.Slug] {
			t.Errorf("no phrasing expects %s", th.Slug)
		}
	}
}

func TestInferNegative(t *testing.T) {
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"weather", "The weather was lovely today"},
		{"punctuation", "?!... --- ;;"},
		{"french small talk", "Il a fait très beau ce week-end, nous sommes allés au marché."},
		{"meeting logistics", "See you on Thursday at 10, the room is on the second floor."},
		{"other script", "Привет, как дела?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range Infer(tc.text, "") {
				if s.Score >= 0.5 {
					t.Errorf("Infer(%q) gave %s with %.2f, want nothing above 0.5", tc.text, s.Slug, s.Score)
				}
			}
		})
	}
}

func TestInferShape(t *testing.T) {
	long := strings.Repeat(phrasings[0].text+" "+phrasings[10].text+" ", 5) +
		"Risk, housing, jobs, church, fundraising, Makaton, tutelle, social enterprise, system change."
	tests := []struct{ name, text, lang string }{
		{"mixed topics", long, ""},
		{"single topic", "How do you run individual service funds?", "en"},
		{"regional tag", "Comment gérer les fonds de services individualisés ?", "fr-CA"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Infer(tc.text, tc.lang)
			if len(got) == 0 || len(got) > maxResults {
				t.Fatalf("got %d results, want 1 to %d: %v", len(got), maxResults, got)
			}
			for i, s := range got {
				th, ok := Lookup(s.Slug)
				if !ok || th.Kind != KindTopic {
					t.Errorf("result %s is not a topic", s.Slug)
				}
				if s.Score <= 0 || s.Score > 1 {
					t.Errorf("score %v of %s outside (0,1]", s.Score, s.Slug)
				}
				if i > 0 && s.Score > got[i-1].Score {
					t.Errorf("results not sorted: %v", got)
				}
			}
			again := Infer(tc.text, tc.lang)
			if len(again) != len(got) || (len(got) > 0 && again[0] != got[0]) {
				t.Errorf("not deterministic: %v then %v", got, again)
			}
		})
	}
}

func TestInferConfidenceGrows(t *testing.T) {
	weak := Infer("We are thinking about our budget.", "en")
	strong := Infer("We use individual service funds, personal budgets and direct payments for every person.", "en")
	if len(strong) == 0 || strong[0].Slug != "financial-management" {
		t.Fatalf("strong text gave %v", strong)
	}
	if strong[0].Score >= 1 || strong[0].Score < 0.9 {
		t.Errorf("strong evidence score %.3f, want in [0.9, 1)", strong[0].Score)
	}
	for _, s := range weak {
		if s.Score >= strong[0].Score {
			t.Errorf("a lone generic word scored %.3f, as much as strong evidence", s.Score)
		}
	}
}

func TestInferConcurrent(t *testing.T) {
	want := Infer(phrasings[0].text, "")
	done := make(chan []Score)
	for range 8 {
		go func() { done <- Infer(phrasings[0].text, "") }()
	}
	for range 8 {
		if got := <-done; !slices.Equal(got, want) {
			t.Errorf("concurrent Infer gave %v, want %v", got, want)
		}
	}
}

func BenchmarkInfer(b *testing.B) {
	text := "We support twelve adults with learning disabilities and autism in their own homes. " +
		"Our local authority wants to move everyone onto Individual Service Funds next year, " +
		"but our finance team has never managed personal budgets. We would like to learn how " +
		"other providers organise the money, recruit support workers around each person, and " +
		"talk with commissioners about flexibility. Nous aimerions aussi échanger avec des " +
		"associations françaises sur le recrutement et la gestion des risques au quotidien."
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Infer(text, "en")
	}
}
