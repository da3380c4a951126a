package library

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingCompare wraps the store's password comparison, counting the hashes
// run and the most that ran at once.
type countingCompare struct {
	calls, running, most atomic.Int32
}

func (cc *countingCompare) wrap(s *Store) {
	inner := s.pw.compare
	s.pw.compare = func(password, hash string) (bool, error) {
		cc.calls.Add(1)
		n := cc.running.Add(1)
		defer cc.running.Add(-1)
		for m := cc.most.Load(); n > m && !cc.most.CompareAndSwap(m, n); m = cc.most.Load() {
		}
		return inner(password, hash)
	}
}

func TestAuthenticateHashesForUnknownEmails(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	token, _ := s.EnsureCoordinator(ctx, "coord@node.example")
	if _, err := s.RedeemSetupToken(ctx, token, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateAccount(ctx, "invited@node.example", RoleCoordinator, ""); err != nil { // no password yet
		t.Fatal(err)
	}
	var cc countingCompare
	cc.wrap(s)
	for _, email := range []string{"coord@node.example", "nobody@node.example", "invited@node.example"} {
		before := cc.calls.Load()
		if _, err := s.Authenticate(ctx, email, "wrong password!"); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", email, err)
		}
		if cc.calls.Load() != before+1 {
			t.Errorf("%s: %d hashes checked, want 1 like any other address", email, cc.calls.Load()-before)
		}
	}
}

func TestPasswordChecksAreBounded(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	s.pw = newPasswords(2, 30*time.Second)
	var cc countingCompare
	cc.wrap(s)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { _, _ = s.Authenticate(ctx, "nobody@node.example", "guess") })
	}
	wg.Wait()
	if cc.calls.Load() != 8 || cc.most.Load() > 2 {
		t.Errorf("%d hashes, at most %d at once; want 8, at most 2", cc.calls.Load(), cc.most.Load())
	}

	// With every slot taken, a check waits its while and gives up with ErrBusy.
	s.pw = newPasswords(1, 20*time.Millisecond)
	release, err := s.pw.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := s.Authenticate(ctx, "nobody@node.example", "guess"); !errors.Is(err, ErrBusy) {
		t.Errorf("all slots taken: %v, want ErrBusy", err)
	}
	if _, err := s.RedeemSetupToken(ctx, "no-such-token", "a long enough password"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown setup token: %v", err)
	}
}

// BenchmarkAuthenticateWrongPassword times a wrong password for an account and
// for an e-mail without one, in the same run: the two should cost the same,
// or the time would tell which addresses have accounts. (That an unknown
// e-mail runs a hash at all is TestAuthenticateHashesForUnknownEmails.)
func BenchmarkAuthenticateWrongPassword(b *testing.B) {
	ctx := context.Background()
	s := newTestStore(b)
	token, _ := s.EnsureCoordinator(ctx, "coord@node.example")
	if _, err := s.RedeemSetupToken(ctx, token, "a long enough password"); err != nil {
		b.Fatal(err)
	}
	for _, email := range []string{"coord@node.example", "nobody@node.example"} {
		b.Run(email, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Authenticate(ctx, email, "wrong password!"); !errors.Is(err, ErrNotFound) {
					b.Fatal(err)
				}
			}
		})
	}
}
