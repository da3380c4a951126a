package library

import (
	"context"
	"testing"
)

func newRemoteOrg(t testing.TB, s *Store, handle, domain string) *Organization {
	t.Helper()
	o, err := s.UpsertRemoteOrganization(context.Background(), &Organization{
		APID: "https://" + domain + "/orgs/" + handle, Handle: handle, Domain: domain, Name: "Org " + handle})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// changesSince returns the change log after seq.
func changesSince(t testing.TB, s *Store, seq int64) []Change {
	t.Helper()
	var out []Change
	if err := s.db.Where("seq > ?", seq).Order("seq").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func lastSeq(t testing.TB, s *Store) int64 {
	t.Helper()
	var seq int64
	if err := s.db.Model(&Change{}).Select("COALESCE(MAX(seq), 0)").Scan(&seq).Error; err != nil {
		t.Fatal(err)
	}
	return seq
}

func TestPurgeDomainPromotesTheWaitingList(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	e := newEventFor(t, s, newTestOrg(t, s, "host"), 2, "open")
	blocked1, blocked2 := newRemoteOrg(t, s, "b1", "blocked.example"), newRemoteOrg(t, s, "b2", "blocked.example")
	other, local, last := newRemoteOrg(t, s, "far", "other.example"), newTestOrg(t, s, "riverside"), newTestOrg(t, s, "hillside")
	for _, o := range []*Organization{blocked1, blocked2, other, local, last} {
		joinID := ""
		if !o.Local {
			joinID = o.APID + "/joins/1"
		}
		if _, _, err := s.Register(ctx, e.ID, o.ID, joinID); err != nil {
			t.Fatal(err)
		}
	}
	if statusOf(t, s, e, blocked2) != RegistrationAccepted || statusOf(t, s, e, other) != RegistrationWaitlisted {
		t.Fatal("the blocked domain should hold both places and the others wait")
	}
	before := lastSeq(t, s)

	if err := s.PurgeDomain(ctx, "blocked.example"); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		org  *Organization
		want string
	}{{other, RegistrationAccepted}, {local, RegistrationAccepted}, {last, RegistrationWaitlisted}} {
		if got := statusOf(t, s, e, tc.org); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.org.Address(), got, tc.want)
		}
	}
	counts, err := s.RegistrationCounts(ctx, e.ID)
	if err != nil || len(counts) != 2 || counts[RegistrationAccepted] != 2 || counts[RegistrationWaitlisted] != 1 {
		t.Fatalf("counts %v %v, want 2 accepted and 1 waitlisted", counts, err)
	}
	got, err := s.Event(ctx, e.ID)
	if err != nil || got.ParticipantCount != 2 || got.RemainingCapacity() != 0 {
		t.Fatalf("participant count %d, remaining %d, %v", got.ParticipantCount, got.RemainingCapacity(), err)
	}

	// Federation answers the promoted from these changes, as after a Leave:
	// each promoted registration, the event's count, then the purge itself.
	ro, _ := s.RegistrationFor(ctx, e.ID, other.ID)
	rl, _ := s.RegistrationFor(ctx, e.ID, local.ID)
	want := map[Change]bool{
		{ObjectKind: KindRegistration, ObjectID: ro.ID, Op: OpUpdate}: true,
		{ObjectKind: KindRegistration, ObjectID: rl.ID, Op: OpUpdate}: true,
		{ObjectKind: KindEvent, ObjectID: e.ID, Op: OpUpdate}:         true,
	}
	log := changesSince(t, s, before)
	for i, c := range log {
		key := Change{ObjectKind: c.ObjectKind, ObjectID: c.ObjectID, Op: c.Op}
		switch {
		case i == len(log)-1:
			if key != (Change{ObjectKind: KindDomain, ObjectID: "blocked.example", Op: OpPurge}) {
				t.Errorf("last change %+v, want the purge", key)
			}
		case want[key]:
			delete(want, key)
		case key.ObjectKind != KindEvent:
			t.Errorf("unexpected change %+v", key)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing changes %v", want)
	}
}

func TestPurgeDomainRecountsAnEventOverCapacity(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	e := newEventFor(t, s, newTestOrg(t, s, "host"), 3, "open")
	blocked, a, b := newRemoteOrg(t, s, "b1", "blocked.example"), newTestOrg(t, s, "a"), newTestOrg(t, s, "b")
	if _, _, err := s.Register(ctx, e.ID, blocked.ID, "https://blocked.example/joins/1"); err != nil {
		t.Fatal(err)
	}
	register(t, s, e, a)
	register(t, s, e, b)
	if _, err := s.UpdateEvent(ctx, e.ID, EventInput{Capacity: ptr(1)}); err != nil {
		t.Fatal(err)
	}
	if err := s.PurgeDomain(ctx, "blocked.example"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Event(ctx, e.ID)
	if err != nil || got.ParticipantCount != 2 || got.RemainingCapacity() != 0 {
		t.Fatalf("participant count %d, remaining %d, %v; want 2 and 0", got.ParticipantCount, got.RemainingCapacity(), err)
	}
}
