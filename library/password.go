package library

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"runtime"
	"time"

	"github.com/alexedwards/argon2id"
	"golang.org/x/crypto/argon2"
)

// passwords hashes and checks passwords with argon2id, a few at a time: each
// hash takes 64 MiB for as long as it runs, so sixteen guesses at once would
// take a gigabyte. Callers past the bound queue, for a while, then get ErrBusy.
type passwords struct {
	slots  chan struct{}
	wait   time.Duration
	params *argon2id.Params
	// dummy is a hash of no one's password, with the same parameters as real
	// ones: an unknown e-mail is checked against it so that it costs as much.
	dummy   string
	compare func(password, hash string) (bool, error)
}

// defaultPasswordHashes is how many hashes may run at once. Memory, not
// processors, is what runs out: each hash takes 64 MiB, so one at a time, which
// is still tens of checks a second, more than a node's staff need. A node with
// memory to spare may allow more (Config.PasswordHashes).
const defaultPasswordHashes = 1

func newPasswords(n int, wait time.Duration) *passwords {
	if n <= 0 {
		n = defaultPasswordHashes
	}
	if wait <= 0 {
		wait = 5 * time.Second
	}
	p := &passwords{slots: make(chan struct{}, n), wait: wait, params: argon2id.DefaultParams, compare: argon2id.ComparePasswordAndHash}
	p.dummy = dummyHash(p.params)
	return p
}

// dummyHash is a well-formed hash of random bytes: no password matches it, and
// checking one against it does the full work.
func dummyHash(params *argon2id.Params) string {
	salt, key := make([]byte, params.SaltLength), make([]byte, params.KeyLength)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, params.Memory, params.Iterations,
		params.Parallelism, base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// acquire waits for a free slot, at most p.wait; release it when done.
func (p *passwords) acquire(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(p.wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
		return func() {
			// The hash's 64 MiB is garbage now, but the collector's pacing
			// would let it linger until the heap doubles, so each slot could
			// hold two of them; collecting before the slot is free keeps the
			// bound on hashes a bound on memory too. A few milliseconds,
			// against the hash's tens.
			runtime.GC()
			<-p.slots
		}, nil
	case <-t.C:
		return nil, fmt.Errorf("library: password check: %w", ErrBusy)
	case <-ctx.Done():
		return nil, fmt.Errorf("library: password check: %w", ctx.Err())
	}
}

// check compares a password with a hash; hash "" (no account, or no password
// chosen yet) is checked against the dummy and never matches.
func (p *passwords) check(ctx context.Context, password, hash string) (bool, error) {
	release, err := p.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if hash == "" {
		_, _ = p.compare(password, p.dummy)
		return false, nil
	}
	ok, err := p.compare(password, hash)
	return ok && err == nil, nil
}

// create hashes a new password.
func (p *passwords) create(ctx context.Context, password string) (string, error) {
	release, err := p.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	hash, err := argon2id.CreateHash(password, p.params)
	if err != nil {
		return "", fmt.Errorf("library: hash password: %w", err)
	}
	return hash, nil
}
