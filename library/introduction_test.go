package library

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// newIntroStore is a test store with the introductions component migrated.
func newIntroStore(t *testing.T) *Store {
	t.Helper()
	s := newTestStore(t)
	if err := Migrate(context.Background(), s.DB(), "introductions", IntroductionMigrations); err != nil {
		t.Fatal(err)
	}
	return s
}

func newTestListing(t *testing.T, s *Store, kind ListingKind, org *Organization, title string) *Listing {
	t.Helper()
	l, err := s.CreateListing(context.Background(), kind, org.ID, ListingInput{Title: ptr(title)})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// newRemoteOffer stores the copy of an offer of an organisation of far.test.
func newRemoteOffer(t *testing.T, s *Store) (*Organization, *Listing) {
	t.Helper()
	ctx := context.Background()
	org, err := s.UpsertRemoteOrganization(ctx, &Organization{Handle: "far", Domain: "far.test", Name: "Far", APID: "https://far.test/orgs/far"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.UpsertRemoteListing(ctx, &Listing{Kind: Offer, OrgID: org.ID, APID: "https://far.test/offers/1", Title: "Remote offer",
		Status: "open", Visibility: "public", Themes: []string{}, Languages: []string{"en"}, Countries: []string{}, Formats: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	return org, l
}

func TestIntroductionLifecycle(t *testing.T) {
	s := newIntroStore(t)
	ctx := context.Background()
	alpha, bravo := newTestOrg(t, s, "alpha"), newTestOrg(t, s, "bravo")
	need := newTestListing(t, s, Need, alpha, "We want to learn")
	offer := newTestListing(t, s, Offer, bravo, "We can share")
	own := newTestListing(t, s, Offer, alpha, "Our own offer")

	cases := []struct {
		name string
		from string
		in   IntroductionInput
		want error
	}{
		{"someone else's offer", alpha.ID, IntroductionInput{OfferID: offer.ID, NeedID: need.ID}, ErrForbidden},
		{"own need", alpha.ID, IntroductionInput{OfferID: own.ID, NeedID: need.ID}, ErrInvalid},
		{"no such need", bravo.ID, IntroductionInput{OfferID: offer.ID, NeedID: "nope"}, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.CreateIntroduction(ctx, tc.from, tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	in, err := s.CreateIntroduction(ctx, bravo.ID, IntroductionInput{OfferID: offer.ID, NeedID: need.ID, Message: " Hello "})
	if err != nil {
		t.Fatal(err)
	}
	if in.State != IntroPending || in.Message != "Hello" || in.FromOrgID != bravo.ID || in.ToOrgID != alpha.ID || !in.Local {
		t.Fatalf("introduction = %+v", in)
	}
	if _, err := s.CreateIntroduction(ctx, bravo.ID, IntroductionInput{OfferID: offer.ID, NeedID: need.ID}); !errors.Is(err, ErrConflict) {
		t.Fatalf("twice: %v", err)
	}
	if _, err := s.AnswerIntroduction(ctx, in.ID, bravo.ID, true); !errors.Is(err, ErrForbidden) {
		t.Fatalf("answered by the offering side: %v", err)
	}
	got, err := s.AnswerIntroduction(ctx, in.ID, alpha.ID, true)
	if err != nil || got.State != IntroAccepted || got.AnsweredAt == nil {
		t.Fatalf("accept: %v %+v", err, got)
	}
	if _, err := s.AnswerIntroduction(ctx, in.ID, alpha.ID, false); !errors.Is(err, ErrConflict) {
		t.Fatalf("reject after accept: %v", err)
	}
	for _, org := range []*Organization{alpha, bravo} {
		list, err := s.Introductions(ctx, org.ID, 10)
		if err != nil || len(list) != 1 || list[0].Offer == nil || list[0].Need == nil || list[0].FromOrg == nil {
			t.Fatalf("%s's introductions: %v %+v", org.Handle, err, list)
		}
	}
}

// senderSpy records what would travel to other nodes.
type senderSpy struct {
	mu                       sync.Mutex
	offers, answers, entries []string
}

func (s *senderSpy) SendIntroductionWithdrawal(_ context.Context, in *Introduction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = append(s.answers, in.APID+" withdrawn")
	return nil
}

func (s *senderSpy) SendConversationEntry(_ context.Context, _ *Introduction, e *ConversationEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = append(s.entries, e.Kind+" "+e.Body)
	return nil
}

func (s *senderSpy) SendIntroduction(_ context.Context, in *Introduction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offers = append(s.offers, in.APID)
	return nil
}

func (s *senderSpy) SendIntroductionAnswer(_ context.Context, in *Introduction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = append(s.answers, in.APID+" "+in.State)
	return nil
}

func TestIntroductionsAcrossNodes(t *testing.T) {
	s := newIntroStore(t)
	spy := &senderSpy{}
	s.SubscribeIntroductions("introductions", spy)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.RunSubscribers(ctx) }()
	defer func() { cancel(); wg.Wait() }()

	alpha := newTestOrg(t, s, "alpha")
	need := newTestListing(t, s, Need, alpha, "We want to learn")
	far, remoteOffer := newRemoteOffer(t, s)
	in, err := s.ReceiveIntroduction(ctx, "https://far.test/activities/1", remoteOffer.ID, need.ID, "We can help")
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.ReceiveIntroduction(ctx, "https://far.test/activities/1", remoteOffer.ID, need.ID, "We can help")
	if err != nil || again.ID != in.ID {
		t.Fatalf("delivered twice: %v %+v", err, again)
	}
	if _, err := s.AnswerIntroduction(ctx, in.ID, alpha.ID, false); err != nil {
		t.Fatal(err)
	}

	// An introduction made here to a remote need goes out, and its answer comes back.
	remoteNeed, err := s.UpsertRemoteListing(ctx, &Listing{Kind: Need, OrgID: far.ID, APID: "https://far.test/needs/1", Title: "Remote need",
		Status: "open", Visibility: "public", Themes: []string{}, Languages: []string{"en"}, Countries: []string{}, Formats: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	offer := newTestListing(t, s, Offer, alpha, "We can share")
	out, err := s.CreateIntroduction(ctx, alpha.ID, IntroductionInput{OfferID: offer.ID, NeedID: remoteNeed.ID})
	if err != nil {
		t.Fatal(err)
	}
	wait, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	if err := s.WaitSubscribers(wait); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReceiveIntroductionAnswer(ctx, out.APID, alpha.ID, true); !errors.Is(err, ErrForbidden) {
		t.Fatalf("answer from the wrong actor: %v", err)
	}
	if got, err := s.ReceiveIntroductionAnswer(ctx, out.APID, far.ID, true); err != nil || got.State != IntroAccepted {
		t.Fatalf("answer: %v %+v", err, got)
	}
	if err := s.WaitSubscribers(wait); err != nil {
		t.Fatal(err)
	}
	spy.mu.Lock()
	defer spy.mu.Unlock()
	if len(spy.offers) != 1 || spy.offers[0] != out.APID {
		t.Errorf("offers sent = %v", spy.offers)
	}
	if len(spy.answers) != 1 || spy.answers[0] != "https://far.test/activities/1 rejected" {
		t.Errorf("answers sent = %v", spy.answers)
	}
}
