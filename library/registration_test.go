package library

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// newEventFor creates an event of host with the given capacity and join mode.
func newEventFor(t testing.TB, s *Store, host *Organization, capacity int, mode string) *Event {
	t.Helper()
	in := eventIn(7)
	in.Capacity, in.JoinMode = &capacity, &mode
	e, err := s.CreateEvent(context.Background(), host.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func register(t testing.TB, s *Store, e *Event, org *Organization) *Registration {
	t.Helper()
	r, _, err := s.Register(context.Background(), e.ID, org.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func statusOf(t testing.TB, s *Store, e *Event, org *Organization) string {
	t.Helper()
	r, err := s.RegistrationFor(context.Background(), e.ID, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r.Status
}

func TestConcurrentRegistrationsNeverExceedCapacity(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	e := newEventFor(t, s, newTestOrg(t, s, "host"), 10, "open")
	orgs := make([]*Organization, 50)
	for i := range orgs {
		orgs[i] = newTestOrg(t, s, fmt.Sprintf("org%02d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(orgs))
	for _, o := range orgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := s.Register(ctx, e.ID, o.ID, ""); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	counts, err := s.RegistrationCounts(ctx, e.ID)
	if err != nil || counts[RegistrationAccepted] != 10 || counts[RegistrationWaitlisted] != 40 {
		t.Fatalf("counts %v %v, want 10 accepted and 40 waitlisted", counts, err)
	}
	got, _ := s.Event(ctx, e.ID)
	if got.ParticipantCount != 10 || got.RemainingCapacity() != 0 {
		t.Errorf("participant count %d, remaining %d", got.ParticipantCount, got.RemainingCapacity())
	}
}

func TestWaitingListIsServedInOrder(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	e := newEventFor(t, s, newTestOrg(t, s, "host"), 1, "open")
	a, b, c := newTestOrg(t, s, "a"), newTestOrg(t, s, "b"), newTestOrg(t, s, "c")
	for _, o := range []*Organization{a, b, c} {
		register(t, s, e, o)
	}
	if statusOf(t, s, e, a) != "accepted" || statusOf(t, s, e, b) != "waitlisted" || statusOf(t, s, e, c) != "waitlisted" {
		t.Fatal("the first should hold the place and the others wait")
	}
	if again, created, err := s.Register(ctx, e.ID, b.ID, ""); err != nil || created || again.Status != "waitlisted" {
		t.Fatalf("registering twice: %v %v %v", again, created, err)
	}
	left, err := s.Leave(ctx, e.ID, a.ID)
	if err != nil || left.Status != "cancelled" {
		t.Fatalf("leave: %+v %v", left, err)
	}
	if statusOf(t, s, e, b) != "accepted" || statusOf(t, s, e, c) != "waitlisted" {
		t.Fatal("the freed place should go to the first on the waiting list")
	}
	if _, err := s.Leave(ctx, e.ID, a.ID); err != nil {
		t.Fatalf("leaving twice: %v", err)
	}
	register(t, s, e, a)
	if statusOf(t, s, e, a) != "waitlisted" {
		t.Fatal("coming back puts you at the end of the line")
	}
	if _, err := s.UpdateEvent(ctx, e.ID, EventInput{Capacity: ptr(3)}); err != nil {
		t.Fatal(err)
	}
	if statusOf(t, s, e, c) != "accepted" || statusOf(t, s, e, a) != "accepted" {
		t.Fatal("new places should go to the waiting list")
	}
	if got, _ := s.Event(ctx, e.ID); got.ParticipantCount != 3 {
		t.Errorf("participant count %d, want 3", got.ParticipantCount)
	}
}

func TestApprovalMode(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	host := newTestOrg(t, s, "host")
	e := newEventFor(t, s, host, 1, "approval")
	a, b, c := newTestOrg(t, s, "a"), newTestOrg(t, s, "b"), newTestOrg(t, s, "c")
	ra, rb, rc := register(t, s, e, a), register(t, s, e, b), register(t, s, e, c)
	if ra.Status != "pending" || rb.Status != "pending" {
		t.Fatalf("approval mode: %s %s", ra.Status, rb.Status)
	}
	steps := []struct {
		reg    *Registration
		accept bool
		want   string
	}{
		{ra, true, "accepted"}, {rb, true, "waitlisted"}, {rc, false, "rejected"}, {ra, false, "rejected"},
	}
	for _, st := range steps {
		r, err := s.DecideRegistration(ctx, st.reg.ID, st.accept)
		if err != nil || r.Status != st.want {
			t.Fatalf("decide %s accept=%v: %v %v, want %s", r.Org.Handle, st.accept, r.Status, err, st.want)
		}
	}
	if statusOf(t, s, e, b) != "accepted" {
		t.Fatal("declining an accepted registration should free its place for the waiting list")
	}
	if _, _, err := s.Register(ctx, e.ID, c.ID, ""); !errors.Is(err, ErrConflict) {
		t.Fatalf("a declined organisation registering again: %v", err)
	}
	if _, _, err := s.Register(ctx, e.ID, host.ID, ""); !isField(err, "org") {
		t.Fatalf("the host registering: %v", err)
	}
}

func TestRegistrationRefusedWhenClosed(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	host, org := newTestOrg(t, s, "host"), newTestOrg(t, s, "a")
	cancelled := newEventFor(t, s, host, 0, "open")
	if _, err := s.CancelEvent(ctx, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	late := eventIn(7)
	late.RegistrationDeadline = Some(time.Now().Add(-time.Minute).Format(time.RFC3339))
	closed, err := s.CreateEvent(ctx, host.ID, late)
	if err != nil {
		t.Fatal(err)
	}
	past := eventIn(-7)
	over, err := s.CreateEvent(ctx, host.ID, past)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, id, field string
	}{{"cancelled", cancelled.ID, "status"}, {"after the deadline", closed.ID, "registration_deadline"}, {"over", over.ID, "end"}} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := s.Register(ctx, tc.id, org.ID, ""); !isField(err, tc.field) {
				t.Fatalf("want a validation error on %s, got %v", tc.field, err)
			}
		})
	}
	if err := s.DeleteEvent(ctx, closed.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Register(ctx, closed.ID, org.ID, ""); !errors.Is(err, ErrGone) {
		t.Fatalf("deleted event: %v", err)
	}
}

func TestRegistrationForARemoteEvent(t *testing.T) {
	ctx := context.Background()
	s := newEventStore(t)
	host, err := s.UpsertRemoteOrganization(ctx, &Organization{APID: "https://far.example/orgs/lakeside", Handle: "lakeside", Domain: "far.example", Name: "Lakeside"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.UpsertRemoteEvent(ctx, &Event{APID: "https://far.example/events/1", OrgID: host.ID, Title: "Remote",
		Start: time.Now().Add(time.Hour), Timezone: "UTC", Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	org := newTestOrg(t, s, "riverside")
	r, created, err := s.Register(ctx, e.ID, org.ID, "")
	if err != nil || !created || r.Status != "pending" || !strings.HasPrefix(r.JoinID, "https://node.example/registrations/"+r.ID+"/joins/") {
		t.Fatalf("register: %+v %v", r, err)
	}
	stranger, err := s.UpsertRemoteOrganization(ctx, &Organization{APID: "https://other.example/orgs/x", Handle: "x", Domain: "other.example", Name: "X"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Register(ctx, e.ID, stranger.ID, ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a remote organisation registering here for a remote event: %v", err)
	}
	got, err := s.ApplyRegistrationAnswer(ctx, r.JoinID, "waitlisted")
	if err != nil || got.Status != "waitlisted" {
		t.Fatalf("answer: %+v %v", got, err)
	}
	if after, _ := s.Event(ctx, e.ID); after.ParticipantCount != 0 {
		t.Errorf("the copy's count is the host's, not ours: %d", after.ParticipantCount)
	}
	if _, err := s.Leave(ctx, e.ID, org.ID); err != nil {
		t.Fatal(err)
	}
	if late, err := s.ApplyRegistrationAnswer(ctx, r.JoinID, "accepted"); err != nil || late.Status != "cancelled" {
		t.Fatalf("a late answer after leaving: %+v %v", late, err)
	}
	if _, err := s.ApplyRegistrationAnswer(ctx, r.JoinID, "bogus"); !isField(err, "status") {
		t.Fatalf("unknown answer: %v", err)
	}
}
