package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/citizen-network/commonplace/library"
)

// BenchmarkCreateOfferAPI posts offers through the JSON API to a real SQLite store.
func BenchmarkCreateOfferAPI(b *testing.B) {
	n := newTestNode(b)
	ctx := context.Background()
	org, err := n.store.CreateOrganization(ctx, library.OrganizationInput{Handle: "riverside", Name: "Riverside", Country: "GB"})
	if err != nil {
		b.Fatal(err)
	}
	token, err := n.store.CreateAPIToken(ctx, org.ID, false, "bench")
	if err != nil {
		b.Fatal(err)
	}
	body := `{"title": "How we set up Individual Service Funds", "body": "We can share how we negotiated ISFs and personal budgets with our council, and how families hold the budget with us.", "languages": ["en"], "formats": ["online"]}`
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", n.srv.URL+"/api/v1/offers", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "offers/s")
}

// BenchmarkHomePage reads the home page of a node holding 2,000 offers and needs.
func BenchmarkHomePage(b *testing.B) {
	n := newTestNode(b)
	ctx := context.Background()
	for i := range 20 {
		org, err := n.store.CreateOrganization(ctx, library.OrganizationInput{Handle: fmt.Sprintf("org%d", i), Name: fmt.Sprintf("Org %d", i), Country: "GB"})
		if err != nil {
			b.Fatal(err)
		}
		for j := range 100 {
			kind := []library.ListingKind{library.Offer, library.Need}[j%2]
			title := fmt.Sprintf("Recruiting and matching staff, part %d", j)
			if _, err := n.store.CreateListing(ctx, kind, org.ID, library.ListingInput{Title: &title}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := http.Get(n.srv.URL + "/")
			if err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
