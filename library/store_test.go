package library

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library/testdb"
)

// newTestStore opens a migrated store in a temporary folder: SQLite, or
// PostgreSQL when COMMONPLACE_TEST_POSTGRES is set (library/testdb).
func newTestStore(t testing.TB) *Store {
	t.Helper()
	return openTestStore(t, t.TempDir(), "https://node.example")
}

func openTestStore(t testing.TB, dir, base string) *Store {
	t.Helper()
	ctx := context.Background()
	db, err := OpenDB(ctx, DBConfig{DataDir: dir, URL: testdb.URL(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, "library", Migrations); err != nil {
		t.Fatal(err)
	}
	s := NewStore(db, Config{BaseURL: base}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { s.Close() })
	return s
}

func newTestOrg(t testing.TB, s *Store, handle string) *Organization {
	t.Helper()
	o, err := s.CreateOrganization(context.Background(), OrganizationInput{Handle: handle, Name: "Org " + handle, Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func ptr[T any](v T) *T { return &v }

func TestCreateListingValidation(t *testing.T) {
	s := newTestStore(t)
	org := newTestOrg(t, s, "riverside")
	cases := []struct {
		name  string
		in    ListingInput
		field string
	}{
		{"empty title", ListingInput{Title: ptr("  ")}, "title"},
		{"long title", ListingInput{Title: ptr(strings.Repeat("a", MaxTitle+1))}, "title"},
		{"long body", ListingInput{Title: ptr("t"), Body: ptr(strings.Repeat("b", MaxBody+1))}, "body"},
		{"unknown language", ListingInput{Title: ptr("t"), Languages: &[]string{"xx-nope"}}, "languages"},
		{"unknown country", ListingInput{Title: ptr("t"), Countries: &[]string{"QQ"}}, "countries"},
		{"bad region", ListingInput{Title: ptr("t"), Countries: &[]string{"GB-TOOLONG"}}, "countries"},
		{"unknown theme", ListingInput{Title: ptr("t"), Themes: &[]string{"astrology"}}, "themes"},
		{"unknown format", ListingInput{Title: ptr("t"), Formats: &[]string{"telepathy"}}, "formats"},
		{"unknown status", ListingInput{Title: ptr("t"), Status: ptr("maybe")}, "status"},
		{"unknown visibility", ListingInput{Title: ptr("t"), Visibility: ptr("secret")}, "visibility"},
		{"past expiry", ListingInput{Title: ptr("t"), ExpiresAt: OptionalTime{true, ptr(time.Now().Add(-time.Hour))}}, "expires_at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateListing(context.Background(), Offer, org.ID, tc.in)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field {
				t.Fatalf("want a validation error on %s, got %v", tc.field, err)
			}
		})
	}
	items, err := s.Listings(context.Background(), ListingQuery{})
	if err != nil || len(items) != 0 {
		t.Fatalf("nothing may be stored after bad input: %d items, %v", len(items), err)
	}
}

func TestListingLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	org := newTestOrg(t, s, "riverside")
	l, err := s.CreateListing(ctx, Need, org.ID, ListingInput{
		Title:     ptr("Setting up Individual Service Funds"),
		Body:      ptr("We want to learn how others negotiate **ISFs** with their council."),
		Languages: &[]string{"en-gb", "FR"}, Countries: &[]string{"gb-sct"}, Formats: &[]string{"Online"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.APID != "https://node.example/needs/"+l.ID || l.Org.APID != "https://node.example/orgs/riverside" {
		t.Errorf("IRIs: %s, %s", l.APID, l.Org.APID)
	}
	if !l.ThemesInferred || len(l.Themes) == 0 || l.Themes[0] != "financial-management" {
		t.Errorf("themes = %v (inferred %v), want financial-management inferred", l.Themes, l.ThemesInferred)
	}
	if strings.Join(l.Languages, ",") != "en-GB,fr" || l.Countries[0] != "GB-SCT" || l.Formats[0] != "online" {
		t.Errorf("normalised fields: %v %v %v", l.Languages, l.Countries, l.Formats)
	}
	if !strings.Contains(l.ContentHTML, "<strong>ISFs</strong>") {
		t.Errorf("content_html = %q", l.ContentHTML)
	}
	got, err := s.ListingByAPID(ctx, l.APID)
	if err != nil || got.ID != l.ID || got.Org.Handle != "riverside" {
		t.Fatalf("by IRI: %v %v", got, err)
	}
	upd, err := s.UpdateListing(ctx, Need, l.ID, ListingInput{Themes: &[]string{"housing"}, Status: ptr("closed")})
	if err != nil || upd.Themes[0] != "housing" || upd.ThemesInferred || upd.Status != "closed" {
		t.Fatalf("update: %+v %v", upd, err)
	}
	if err := s.DeleteListing(ctx, Need, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Listing(ctx, Need, l.ID); !errors.Is(err, ErrGone) {
		t.Fatalf("after delete: %v, want ErrGone", err)
	}
	if _, err := s.Listing(ctx, Offer, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v, want ErrNotFound", err)
	}
}

func TestIRIsFollowTheBaseURL(t *testing.T) {
	dir := t.TempDir()
	cli := openTestStore(t, dir, "http://localhost:8080")
	newTestOrg(t, cli, "riverside")
	cli.Close()
	srv := openTestStore(t, dir, "https://real.example")
	o, err := srv.OrganizationByHandle(context.Background(), "riverside")
	if err != nil || o.APID != "https://real.example/orgs/riverside" {
		t.Fatalf("org made by the CLI, read by the server: %v %v", o, err)
	}
	if _, err := srv.OrganizationByAPID(context.Background(), "https://real.example/orgs/riverside"); err != nil {
		t.Fatal(err)
	}
}

func TestChangeLogSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s := openTestStore(t, dir, "https://node.example")
	var seen []Change
	s.Subscribe("test", func(_ context.Context, b []Change) error { seen = append(seen, b...); return nil })
	done := make(chan struct{})
	go func() { s.RunSubscribers(ctx); close(done) }()
	org := newTestOrg(t, s, "riverside")
	if err := s.WaitSubscribers(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	if len(seen) != 1 || seen[0].ObjectID != org.ID || seen[0].Op != OpCreate {
		t.Fatalf("seen %+v", seen)
	}
	// Written while no subscriber runs, then handled after a restart, once.
	if _, err := s.CreateListing(context.Background(), Offer, org.ID, ListingInput{Title: ptr("Recruiting staff")}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := openTestStore(t, dir, "https://node.example")
	seen = nil
	s2.Subscribe("test", func(_ context.Context, b []Change) error { seen = append(seen, b...); return nil })
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go s2.RunSubscribers(ctx2)
	if err := s2.WaitSubscribers(ctx2); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0].ObjectKind != KindOffer {
		t.Fatalf("after restart seen %+v", seen)
	}
}

func TestAccountsAndTokens(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	token, err := s.EnsureCoordinator(ctx, "coord@node.example")
	if err != nil || token == "" {
		t.Fatal(token, err)
	}
	if again, _ := s.EnsureCoordinator(ctx, "coord@node.example"); again != "" {
		t.Fatal("a second coordinator was created")
	}
	if _, err := s.RedeemSetupToken(ctx, token, "short"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("short password: %v", err)
	}
	if _, err := s.RedeemSetupToken(ctx, token, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemSetupToken(ctx, token, "a long enough password"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("token reused: %v", err)
	}
	if _, err := s.Authenticate(ctx, "COORD@node.example", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "coord@node.example", "wrong password!"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("wrong password: %v", err)
	}
	org := newTestOrg(t, s, "riverside")
	api, err := s.CreateAPIToken(ctx, org.ID, false, "test")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.TokenPrincipal(ctx, api)
	if err != nil || p.OrgID != org.ID || p.Admin {
		t.Fatalf("principal %+v %v", p, err)
	}
	if _, err := s.TokenPrincipal(ctx, api+"x"); !errors.Is(err, ErrNotFound) {
		t.Fatal("a wrong token was accepted")
	}
}
