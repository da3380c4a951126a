package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/citizen-network/commonplace/library"
)

func init() { extraCommands = append(extraCommands, demoCommand) }

// demoPassword is every demo account's password; the demo runs on loopback only.
const demoPassword = "citizen-network-demo"

// demoOrg is a sample organisation with its staff login and what it posts.
type demoOrg struct {
	library.OrganizationInput
	Staff    string
	Listings []demoListing
}

// demoListing is a sample offer or need.
type demoListing struct {
	Kind       library.ListingKind
	Title      string
	Body       string
	Themes     []string
	Formats    []string
	Languages  []string
	Visibility string
}

// demoNode is one node of the demo network: a country's coordinator and its organisations.
type demoNode struct {
	Name        string
	Dir         string
	Coordinator string
	Orgs        []demoOrg
}

func demoCommand() *cobra.Command {
	var data, host string
	var port int
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run three peered nodes on this machine (England, Scotland, Canada) with sample organisations",
		Long: "demo starts three Commonplace nodes on loopback, each with its own data folder under --data:\n" +
			"a coordinator's node in England hosting three organisations, one in Scotland and one in Canada.\n" +
			"They peer with each other, exchange their offers and needs, and keep running until Ctrl-C.\n" +
			"Run it again on the same --data to continue where you left off.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), cmd.OutOrStdout(), data, host, port)
		},
	}
	cmd.Flags().StringVar(&data, "data", "./demo-data", "folder for the three nodes' data folders")
	cmd.Flags().StringVar(&host, "host", "127.0.0.1", "loopback address to listen on")
	cmd.Flags().IntVar(&port, "port", 8080, "port of the first node; the others use the next two")
	return cmd
}

// runDemo starts, seeds and peers the three nodes, prints how to use them and
// serves until ctx ends.
func runDemo(ctx context.Context, out io.Writer, data, host string, port int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	log := newLogger("warn", "text")
	var nodes []*node
	errc := make(chan error, len(demoNetwork))
	for i, dn := range demoNetwork {
		addr := fmt.Sprintf("%s:%d", host, port+i)
		cfg := config{DataDir: filepath.Join(data, dn.Dir), Addr: addr, BaseURL: "http://" + addr, LogLevel: "warn",
			InsecureLocalFederation: true, AdminEmail: dn.Coordinator}
		n, err := newNode(ctx, cfg, log.With("node", dn.Name))
		if err != nil {
			return fmt.Errorf("demo: %s: %w", dn.Name, err)
		}
		if err := seedDemo(ctx, n.store, dn); err != nil {
			n.close()
			return fmt.Errorf("demo: seed %s: %w", dn.Name, err)
		}
		ln, err := listen(addr)
		if err != nil {
			n.close()
			return err
		}
		nodes = append(nodes, n)
		go func() { errc <- n.run(ctx, ln) }()
	}
	fmt.Fprintln(out, "Starting three nodes and peering them…")
	if err := peerDemo(ctx, nodes); err != nil {
		cancel()
		return err
	}
	waitForDemoContent(ctx, out, nodes)
	printDemo(out, nodes)
	var first error
	for range nodes {
		if err := <-errc; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// seedDemo fills an empty node with its coordinator, organisations, staff and listings.
func seedDemo(ctx context.Context, s *library.Store, dn demoNode) error {
	if n, err := s.CountOrganizations(ctx, true); err != nil || n > 0 {
		return err
	}
	if err := demoAccount(ctx, s, dn.Coordinator, library.RoleCoordinator, ""); err != nil {
		return err
	}
	for _, o := range dn.Orgs {
		org, err := s.CreateOrganization(ctx, o.OrganizationInput)
		if err != nil {
			return err
		}
		if err := demoAccount(ctx, s, o.Staff, library.RoleOrgAdmin, org.ID); err != nil {
			return err
		}
		for _, l := range o.Listings {
			l := l
			in := library.ListingInput{Title: &l.Title, Body: &l.Body, Themes: &l.Themes, Formats: &l.Formats, Visibility: &l.Visibility}
			if len(l.Languages) > 0 {
				in.Languages = &l.Languages
			}
			if _, err := s.CreateListing(ctx, l.Kind, org.ID, in); err != nil {
				return fmt.Errorf("%s: %w", l.Title, err)
			}
		}
	}
	return nil
}

func demoAccount(ctx context.Context, s *library.Store, email string, role library.Role, orgID string) error {
	_, token, err := s.CreateAccount(ctx, email, role, orgID)
	if err != nil {
		return err
	}
	_, err = s.RedeemSetupToken(ctx, token, demoPassword)
	return err
}

// peerDemo has every node ask every later one to peer, through the coordinator API, and waits for all pairs.
func peerDemo(ctx context.Context, nodes []*node) error {
	for i, a := range nodes {
		token, err := a.store.CreateAPIToken(ctx, "", true, "demo")
		if err != nil {
			return err
		}
		for _, b := range nodes[i+1:] {
			if err := demoAPI(ctx, "POST", a.cfg.BaseURL+"/api/v1/admin/peers", token, `{"url": "`+b.cfg.BaseURL+`"}`, nil); err != nil {
				return fmt.Errorf("demo: peer %s with %s: %w", a.cfg.BaseURL, b.cfg.BaseURL, err)
			}
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if demoPeered(ctx, nodes) {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("demo: the nodes did not finish peering within a minute")
}

// demoPeered reports whether every node counts every other as peered.
func demoPeered(ctx context.Context, nodes []*node) bool {
	for _, n := range nodes {
		var n2 int64
		n.store.DB().WithContext(ctx).Table("federation_peers").Where("state = ?", "peered").Count(&n2)
		if int(n2) < len(nodes)-1 {
			return false
		}
	}
	return true
}

// waitForDemoContent waits (up to a minute) until each node holds the others' public and network listings.
func waitForDemoContent(ctx context.Context, out io.Writer, nodes []*node) {
	want := 0
	for _, dn := range demoNetwork {
		for _, o := range dn.Orgs {
			for _, l := range o.Listings {
				if l.Visibility != "local" {
					want++
				}
			}
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		done := true
		for i, n := range nodes {
			local := false
			mine, _ := n.store.Listings(ctx, library.ListingQuery{Local: &local, Limit: 1000})
			if len(mine) < want-demoShared(i) {
				done = false
			}
		}
		if done {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	fmt.Fprintln(out, "(Some offers and needs are still on their way; they will appear in a moment.)")
}

// demoShared counts the federated listings a node posted itself.
func demoShared(i int) int {
	n := 0
	for _, o := range demoNetwork[i].Orgs {
		for _, l := range o.Listings {
			if l.Visibility != "local" {
				n++
			}
		}
	}
	return n
}

func demoAPI(ctx context.Context, method, url, token, body string, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, raw)
	}
	if v != nil {
		return json.Unmarshal(raw, v)
	}
	return nil
}

// printDemo tells the visitor where to go and how to log in.
func printDemo(out io.Writer, nodes []*node) {
	fmt.Fprintf(out, "\nThree Commonplace nodes are running and peered with each other.\nEvery account's password is %q.\n", demoPassword)
	for i, dn := range demoNetwork {
		n := nodes[i]
		fmt.Fprintf(out, "\n%s — %s\n", dn.Name, n.cfg.BaseURL)
		fmt.Fprintf(out, "  coordinator: %-36s federation page: %s/admin/federation\n", dn.Coordinator, n.cfg.BaseURL)
		for _, o := range dn.Orgs {
			fmt.Fprintf(out, "  %-48s %s/orgs/%s  (log in as %s)\n", o.Name, n.cfg.BaseURL, o.Handle, o.Staff)
		}
	}
	fmt.Fprintf(out, "\nTry a search on the Canadian node for something posted in England:\n  %s/search?q=individual+service+funds\n", nodes[2].cfg.BaseURL)
	fmt.Fprintf(out, "Follow an organisation from Mastodon or GoToSocial as @riverside@%s (needs those servers to allow loopback).\n", strings.TrimPrefix(nodes[0].cfg.BaseURL, "http://"))
	fmt.Fprintln(out, "\nPress Ctrl-C to stop.")
}

// demoNetwork is the sample network, written in the voice of organisations
// that provide personalised support.
var demoNetwork = []demoNode{
	{Name: "England (coordinator: Citizen Network England)", Dir: "england", Coordinator: "coordinator@england.example", Orgs: []demoOrg{
		{OrganizationInput: library.OrganizationInput{Handle: "riverside", Name: "Riverside Support Cooperative", Country: "GB",
			Website: "https://riverside.example",
			Summary: "A small cooperative in Sheffield. We support 40 people with learning disabilities to live in their own homes, " +
				"each with a team they chose, paid from an Individual Service Fund that we hold for them and account for line by line."},
			Staff: "sam@riverside.example",
			Listings: []demoListing{
				{Kind: library.Offer, Title: "How we run Individual Service Funds, with the paperwork to prove it",
					Body: "For nine years we have held ISFs for the people we support. We can share:\n\n" +
						"- the **one-page agreement** we write with each person and their family;\n" +
						"- the monthly statement we send them, in plain words;\n" +
						"- how we handle underspends, so the money stays the person's.\n\n" +
						"An hour online with our finance lead and a person we support, or a visit to Sheffield.",
					Themes: []string{"financial-management", "individualised-funding"}, Formats: []string{"online", "visit", "documents"}, Visibility: "public"},
				{Kind: library.Offer, Title: "Recruiting staff with the person, not for them",
					Body: "People we support write the advert, sit on the interview panel and have the last word. " +
						"We share our interview questions in easy read, the 'good day, bad day' exercise candidates do with the person, " +
						"and what we learnt when it went wrong.",
					Themes: []string{"personnel", "families-recruit-staff", "staff-matching"}, Formats: []string{"workshop", "documents"}, Visibility: "public"},
				{Kind: library.Need, Title: "Supporting someone who is moving from a long-stay hospital",
					Body: "We have been asked to support a young man leaving an assessment and treatment unit after six years. " +
						"We want to learn from organisations who have done this well: planning the move, the first months, and working with the clinical team without handing them the person's life.",
					Themes: []string{"planning-and-design", "adults-autism", "creative-planning"}, Formats: []string{"online", "mentoring"}, Visibility: "network"},
			}},
		{OrganizationInput: library.OrganizationInput{Handle: "opendoors", Name: "Open Doors Housing Trust", Country: "GB",
			Website: "https://opendoors.example",
			Summary: "A housing association in Bristol that separates housing from support: people hold their own tenancy, " +
				"and can change their support provider without losing their home."},
			Staff: "priya@opendoors.example",
			Listings: []demoListing{
				{Kind: library.Offer, Title: "A home of one's own: separating the tenancy from the support",
					Body: "We share our tenancy agreement written with and for people with learning disabilities, " +
						"our easy-read guide to being a tenant, and the agreement we sign with support providers so that the person can change provider and stay put.",
					Themes: []string{"housing", "home-of-ones-own"}, Formats: []string{"documents", "online"}, Visibility: "public"},
				{Kind: library.Need, Title: "Shared ownership for people who receive benefits",
					Body:   "Two families have asked whether their sons could part-own their flats. We want to talk with anyone who has made shared ownership work alongside benefits and a care package.",
					Themes: []string{"housing", "financial-management"}, Formats: []string{"online", "mentoring"}, Visibility: "public"},
			}},
		{OrganizationInput: library.OrganizationInput{Handle: "talkinghands", Name: "Talking Hands Partnership", Country: "GB",
			Website: "https://talkinghands.example",
			Summary: "Speech and language therapists and support workers in Leeds, working with people who do not use words, and with everyone around them."},
			Staff: "morgan@talkinghands.example",
			Listings: []demoListing{
				{Kind: library.Offer, Title: "Communication passports and intensive interaction, taught on the job",
					Body: "We come to you and spend a day with the person and their team: building a communication passport together, " +
						"and practising intensive interaction so that the whole team, not just the keen one, can follow the person's lead.",
					Themes: []string{"non-verbal-communication", "adults-learning-disabilities"}, Formats: []string{"visit", "workshop"}, Visibility: "public"},
				{Kind: library.Need, Title: "Showing a person's choices to a funder who has never met them",
					Body:   "Our reviews keep turning into paperwork about the person rather than with them. How do others use video, photos or objects so that commissioners see what someone who does not speak has chosen?",
					Themes: []string{"non-verbal-communication", "commissioning", "people-and-families-decide"}, Formats: []string{"online"}, Visibility: "public"},
				{Kind: library.Need, Title: "Our own notes for next year's training plan",
					Body: "Internal: who needs refreshers, and when.", Themes: []string{"education"}, Visibility: "local"},
			}},
	}},
	{Name: "Scotland", Dir: "scotland", Coordinator: "coordinator@scotland.example", Orgs: []demoOrg{
		{OrganizationInput: library.OrganizationInput{Handle: "highland", Name: "Highland Circles of Support", Country: "GB",
			Website: "https://highlandcircles.example",
			Summary: "Families, friends and paid staff in Inverness and the glens who meet as circles of support, so that decisions are made with the person and not about them."},
			Staff: "ewan@highlandcircles.example",
			Listings: []demoListing{
				{Kind: library.Offer, Title: "Sharing power with families: how our circles make decisions",
					Body: "We share how a circle is started, who chairs it (usually not staff), how disagreements are settled, " +
						"and the short record we keep so that the person can see what was decided and why. Families who have been through it will talk with you.",
					Themes: []string{"power-and-accountability", "people-and-families-decide", "working-in-partnership"}, Formats: []string{"online", "mentoring"}, Visibility: "public"},
				{Kind: library.Offer, Title: "Self-directed support option 2 in practice",
					Body:   "Under Scotland's self-directed support law, option 2 lets the person direct a budget that a provider holds. We can show the agreements, the monthly review and the pitfalls.",
					Themes: []string{"financial-management", "individualised-funding", "commissioning"}, Formats: []string{"online", "documents"}, Visibility: "network"},
				{Kind: library.Need, Title: "Keeping support going in remote places",
					Body:   "Staff drive two hours between visits and leave. We want to learn how others recruit locally, share staff with neighbours, or use technology without leaving people alone.",
					Themes: []string{"personnel", "community-engagement"}, Formats: []string{"online", "mentoring"}, Visibility: "public"},
			}},
	}},
	{Name: "Canada", Dir: "canada", Coordinator: "coordinator@canada.example", Orgs: []demoOrg{
		{OrganizationInput: library.OrganizationInput{Handle: "prairie", Name: "Prairie Family Networks", Country: "CA",
			Website: "https://prairiefamilies.example",
			Summary: "A family-led network in Winnipeg. Families set up small non-profit boards around one person, " +
				"which hold the funding and employ the staff, and support each other to keep them going."},
			Staff: "claire@prairiefamilies.example",
			Listings: []demoListing{
				{Kind: library.Offer, Title: "Microboards: a non-profit around one person",
					Body: "We have helped 60 families set up a microboard: a small board of people who love the person, which holds the funding and employs the staff. " +
						"We share the by-laws, the first-year checklist and how boards hand over when parents grow old.",
					Themes: []string{"direct-management", "power-and-accountability", "legal"}, Formats: []string{"online", "documents", "mentoring"}, Visibility: "public"},
				{Kind: library.Need, Title: "Recruter des intervenants francophones en milieu rural",
					Body:   "Plusieurs familles du Manitoba francophone cherchent des intervenants qui parlent français. Nous voulons apprendre comment d'autres réseaux recrutent et forment en français, loin des villes.",
					Themes: []string{"personnel", "families-recruit-staff"}, Formats: []string{"online"}, Languages: []string{"fr"}, Visibility: "public"},
			}},
	}},
}
