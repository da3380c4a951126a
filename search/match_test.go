package search

import (
	"context"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

func TestMatchesWithReasons(t *testing.T) {
	store := newTestStore(t)
	svc := newTestService(t, store, WithNotifyThreshold(0.3))
	ctx := context.Background()
	a, b, c := newOrg(t, store, "alpha", "GB"), newOrg(t, store, "bravo", "GB"), newOrg(t, store, "charlie", "FI")
	need := post(t, store, library.Need, a, listing{title: "Setting up individual service funds",
		body: "We want to start offering ISFs so people control their own budget. How do you do the accounting?", countries: []string{"GB"}})
	own := post(t, store, library.Offer, a, listing{title: "Our ISF accounting templates", body: "Individual service fund accounts, templates for budgets."})
	good := post(t, store, library.Offer, b, listing{title: "Running individual service funds", body: "We manage ISFs for 60 people: budgets, accounting and reviews with families.", formats: []string{"online"}, countries: []string{"GB"}})
	finnish := post(t, store, library.Offer, c, listing{title: "Henkilökohtainen budjetti", body: "Individual service funds, ISF budgets and accounting in Finnish.", langs: []string{"fi"}, countries: []string{"FI"}})
	post(t, store, library.Offer, c, listing{title: "Gardening club", body: "A community garden with volunteers.", countries: []string{"FI"}})
	post(t, store, library.Need, b, listing{title: "Housing for autistic adults", body: "Finding a home of one's own."})
	post(t, store, library.Offer, a, listing{title: "Supported living and housing", body: "Helping people find a home of their own, tenancies and landlords."})
	settle(t, store)

	ms, err := svc.Matches(ctx, library.Need, need.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 || ms[0].Listing.ID != good.ID {
		t.Fatalf("matches = %+v", ms)
	}
	for _, m := range ms {
		if m.Listing.ID == own.ID {
			t.Errorf("matched the organisation's own offer")
		}
		if m.Score < 0 || m.Score > 1 {
			t.Errorf("score %v out of range", m.Score)
		}
	}
	reasons := strings.Join(ms[0].Reasons, " | ")
	for _, want := range []string{"Both about Financial management", "Offered online, in English", "also wants to learn about Housing"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("reasons %q lack %q", reasons, want)
		}
	}
	for _, m := range ms {
		if m.Listing.ID == finnish.ID && !strings.Contains(strings.Join(m.Reasons, " "), "Written in Finnish; your need is in English") {
			t.Errorf("finnish reasons = %q", m.Reasons)
		}
	}
	back, err := svc.Matches(ctx, library.Offer, good.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) == 0 || back[0].Listing.ID != need.ID {
		t.Fatalf("reverse matches = %+v", back)
	}
	ns, err := svc.Notifications(ctx, a.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) == 0 || ns[0].NeedID != need.ID {
		t.Fatalf("notifications = %+v", ns)
	}
	// The need's organisation reads the reasons as the need's matching
	// writes them: about its need, naming the offer's organisation.
	got := ""
	for _, n := range ns {
		if n.OfferID == good.ID {
			got = strings.Join(n.Reasons, " | ")
		}
	}
	// (Written when the offer was indexed, they need not equal today's: the
	// listings indexed since change what is shared and reciprocal.)
	if !strings.Contains(got, "your need") || strings.Contains(got, "your offer") {
		t.Errorf("notification reasons %q are not written to the need's organisation (today's: %q)", got, reasons)
	}
}
