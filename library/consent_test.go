package library

import (
	"context"
	"errors"
	"testing"
)

// TestConsent: an organisation and each of its objects start indexable; each
// can withdraw, which is a change in the log, and a remote copy cannot.
func TestConsent(t *testing.T) {
	s := newEventStore(t)
	ctx := context.Background()
	org := newTestOrg(t, s, "riverside")
	offer, err := s.CreateListing(ctx, Offer, org.ID, ListingInput{Title: ptr("Peer support")})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.CreateEvent(ctx, org.ID, eventIn(3))
	if err != nil {
		t.Fatal(err)
	}
	if !org.Indexable || !offer.Indexable || !ev.Indexable {
		t.Fatalf("new objects not indexable: %v %v %v", org.Indexable, offer.Indexable, ev.Indexable)
	}
	before := lastSeq(t, s)
	if got, err := s.SetOrganizationConsent(ctx, org.ID, ConsentInput{Indexable: ptr(false)}); err != nil || got.Indexable || !got.Discoverable {
		t.Fatalf("withdraw: %+v %v", got, err)
	}
	for _, kind := range []ObjectKind{KindOffer, KindEvent} {
		id := offer.ID
		if kind == KindEvent {
			id = ev.ID
		}
		if owner, err := s.SetIndexable(ctx, kind, id, false); err != nil || owner != org.ID {
			t.Fatalf("withdraw %s: %q %v", kind, owner, err)
		}
	}
	if o, _ := s.Organization(ctx, org.ID); o.Indexable {
		t.Fatal("organisation still indexable")
	}
	if l, _ := s.Listing(ctx, Offer, offer.ID); l.Indexable {
		t.Fatal("offer still indexable")
	}
	objs, err := s.Unindexed(ctx, org.ID)
	if err != nil || len(objs) != 2 || objs[0].APID != offer.APID {
		t.Fatalf("unindexed: %+v %v", objs, err)
	}
	if n := lastSeq(t, s) - before; n != 3 {
		t.Fatalf("%d changes recorded, want 3", n)
	}
	if _, err := s.SetIndexable(ctx, KindNeed, offer.ID, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an offer's id as a need: %v", err)
	}
	far, err := s.UpsertRemoteOrganization(ctx, &Organization{Handle: "far", Domain: "far.test", Name: "Far", APID: "https://far.test/orgs/far"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetOrganizationConsent(ctx, far.ID, ConsentInput{Indexable: ptr(true)}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("remote organisation's consent changed: %v", err)
	}
}
