// Package search is the node's Bleve index of every object it holds, local
// and federated (organisations, offers, needs, stories, events), kept up to
// date from the library's change log; faceted search over it; and the
// matcher that ranks the offers that could meet a need (and the reverse) with
// reasons in plain words, with the notifications and exchange circles built
// on it.
//
// Consent: remote content is indexed only when its organisation's Indexable
// flag is set and, for an offer, need, story or event, its own. Federation
// owns the flags: it sets an organisation's from its actor's indexable
// (FEP-5feb; missing means false, but consent for an actor of a peered node
// that says nothing), an object's from the object's indexable (missing means
// true), and changes them when an Update says so; each such change, recorded
// in the change log, re-indexes (or drops) the object or the organisation's
// content. Local content is always indexed here: its flags speak of other
// nodes. WithConsent replaces the policy for organisations.
package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/citizen-network/commonplace/library"
)

// SubscriberName is the search index's durable name in the change log.
const SubscriberName = "search"

// Service owns the index and answers searches and matches.
type Service struct {
	store   *library.Store
	log     *slog.Logger
	path    string
	host    string
	consent func(o *library.Organization) bool
	notify  float64 // matches at or above this score notify the need's organisation
	weights Weights
	timeout time.Duration // how long one search may run

	mu     sync.RWMutex // guards idx and feats against a rebuild swapping them
	idx    bleve.Index
	feats  *features  // what matching weighs of the index's listings
	facets facetTable // the facet values of the index's segments

	circles circleCache
	built   bool // Open had to build the index

	matched atomic.Int64 // matchings computed, for the metrics
}

// Option configures a Service.
type Option func(*Service)

// WithConsent replaces the rule deciding whether an organisation's content may
// be indexed; the default takes local organisations and those marked Indexable.
func WithConsent(fn func(o *library.Organization) bool) Option {
	return func(s *Service) { s.consent = fn }
}

// WithTimeout sets how long one search may run before it is stopped (the
// default is SearchTimeout).
func WithTimeout(d time.Duration) Option { return func(s *Service) { s.timeout = d } }

// WithNotifyThreshold sets the score from which a new offer notifies a need's organisation.
func WithNotifyThreshold(score float64) Option { return func(s *Service) { s.notify = score } }

// consents reports whether an object of org whose own flag is indexable may
// be indexed here: a local one always (its flag speaks of other nodes), a
// remote one when both its organisation and the object consent.
func (s *Service) consents(org *library.Organization, indexable bool) bool {
	return org != nil && s.consent(org) && (org.Local || indexable)
}

// DefaultConsent indexes local organisations, and remote ones that federation
// marked Indexable (their actor said so, or their node is a peer); not an
// organisation that moved away (its objects live at its new node).
func DefaultConsent(o *library.Organization) bool { return o.MovedTo == "" && (o.Local || o.Indexable) }

// ErrIndexBusy means another process (a running node) holds the index.
var ErrIndexBusy = errors.New("search: the index is in use by another process; stop the node first")

// Open opens the index at path, creating or rebuilding it from the database
// when it is missing, unreadable or was built with another mapping version.
// progress, if not nil, follows a rebuild.
func Open(ctx context.Context, path string, store *library.Store, log *slog.Logger, progress Progress, opts ...Option) (*Service, error) {
	s := &Service{store: store, log: log, path: path, host: hostOf(store.BaseURL()),
		consent: DefaultConsent, notify: 0.5, weights: DefaultWeights, timeout: SearchTimeout}
	for _, o := range opts {
		o(s)
	}
	idx, reason, err := openExisting(path)
	if err != nil {
		return nil, err
	}
	var feats *features
	if idx != nil {
		if feats, err = loadFeaturesSafely(ctx, idx); errors.Is(err, errCorrupt) {
			closeQuietly(idx)
			idx, reason = nil, err.Error()
		} else if err != nil {
			_ = idx.Close()
			return nil, err
		}
	}
	if idx == nil && strings.HasPrefix(reason, "unreadable") {
		// A damaged index is kept aside for whoever wants to look at it,
		// and rebuilt from the database like a missing one.
		aside := fmt.Sprintf("%s.corrupt-%s", path, time.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(path, aside); err != nil {
			return nil, fmt.Errorf("search: move the damaged index aside: %w", err)
		}
		log.Warn("the search index is damaged; it was moved aside and is rebuilt from the database", "path", path, "moved_to", aside, "reason", reason)
	}
	if idx != nil {
		// Reading the features read the stored fields of every listing,
		// which left most of the index's files resident in the node's
		// memory (mapped, about 115 MB for 100,000 objects); opened again,
		// the index maps them afresh, and searches bring in only what
		// they read.
		if err := idx.Close(); err != nil {
			return nil, fmt.Errorf("search: close index: %w", err)
		}
		if idx, _, err = openExisting(path); err != nil {
			return nil, fmt.Errorf("search: open index again: %w", err)
		}
		if idx == nil {
			return nil, fmt.Errorf("search: open index again: %s changed", path)
		}
		s.idx, s.feats = idx, feats
		return s, nil
	}
	log.Info("building the search index", "path", path, "reason", reason)
	if err := s.Rebuild(ctx, progress); err != nil {
		return nil, err
	}
	s.built = true
	return s, nil
}

// openIndex opens the index at path as a node uses it.
func openIndex(path string) (bleve.Index, error) {
	return bleve.OpenUsing(path, map[string]any{"bolt_timeout": "2s", "scorchMergePlanOptions": servingMerges})
}

// errCorrupt is an index whose files make Bleve panic.
var errCorrupt = errors.New("unreadable: the index files are damaged")

// closeQuietly closes an index that may be damaged, whose Close may panic too.
func closeQuietly(idx bleve.Index) {
	defer func() { _ = recover() }()
	_ = idx.Close()
}

// loadFeaturesSafely is loadFeatures, with a panic of the index's readers
// (a damaged segment: slice bounds out of range in zapx) turned into errCorrupt.
func loadFeaturesSafely(ctx context.Context, idx bleve.Index) (f *features, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w (%v)", errCorrupt, r)
		}
	}()
	return loadFeatures(ctx, idx)
}

// openExisting opens a usable index, or says why it must be rebuilt. A
// damaged index (Bleve and bbolt panic on some: "invalid freelist page")
// is unreadable, like one that fails to open.
func openExisting(path string) (idx bleve.Index, reason string, err error) {
	defer func() {
		if r := recover(); r != nil {
			if idx != nil {
				closeQuietly(idx)
			}
			idx, reason, err = nil, fmt.Sprintf("%v (%v)", errCorrupt, r), nil
		}
	}()
	idx, err = openIndex(path)
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		return nil, "missing", nil
	case err != nil && strings.Contains(err.Error(), "timeout"):
		return nil, "", ErrIndexBusy
	case err != nil:
		return nil, "unreadable: " + err.Error(), nil
	}
	v, err := idx.GetInternal(versionKey)
	if err != nil || string(v) != indexVersion() {
		_ = idx.Close()
		return nil, fmt.Sprintf("built with %q, need %q", v, indexVersion()), nil
	}
	return idx, "", nil
}

// Subscribe registers the index with the library's change log; the store must
// then run its subscribers (a node does).
func (s *Service) Subscribe() { s.store.Subscribe(SubscriberName, s.apply) }

// index returns the current index for reading.
func (s *Service) index() bleve.Index {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx
}

// reader returns the current index and its features, for matching.
func (s *Service) reader() (bleve.Index, *features) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx, s.feats
}

// Built reports whether Open had to build the index from the database.
func (s *Service) Built() bool { return s.built }

// Close closes the index.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx == nil {
		return nil
	}
	err := s.idx.Close()
	s.idx = nil
	return err
}

// Count is the number of documents in the index.
func (s *Service) Count() (uint64, error) { return s.index().DocCount() }

// removeIndex deletes an index folder left by a failed or outdated build.
func removeIndex(path string) error {
	if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("search: remove old index %s: %w", path, err)
	}
	return nil
}
