package federation

import (
	"context"
	"time"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/citizen-network/commonplace/library"
)

// audience is who may receive a local object: its visibility, seen from federation.
type audience string

// Audiences, from narrowest to widest.
const (
	audienceNone    audience = "none"    // local: never leaves the node
	audienceNetwork audience = "network" // peered nodes only
	audiencePublic  audience = "public"  // anyone, Mastodon followers included
)

// audienceOf maps a visibility to an audience.
func audienceOf(visibility string) audience {
	switch visibility {
	case "public":
		return audiencePublic
	case "network":
		return audienceNetwork
	}
	return audienceNone
}

// rank orders audiences from none to public.
func (a audience) rank() int {
	switch a {
	case audiencePublic:
		return 2
	case audienceNetwork:
		return 1
	}
	return 0
}

// localObject is a local library object as federation sees it.
type localObject struct {
	ID        string
	Kind      library.ObjectKind
	APID      string
	Author    *library.Organization
	Audience  audience
	Published time.Time
	Deleted   *time.Time
	// FormerType is the ActivityStreams type, for Tombstones.
	FormerType string
	// vocab builds the object's ActivityStreams form.
	vocab func(s *Service) (vocab.Type, error)
}

// pageQuery selects local objects for outbox pages: ULIDs sort by time, so
// pages of several kinds merge by id.
type pageQuery struct {
	OrgID     string
	Audiences []string // visibilities to include
	MaxID     string   // older than this id
	MinID     string   // newer than this id
	Limit     int
}

// kindMapping federates one kind of library object: offers and needs as
// Notes (note.go), stories as Articles (article.go), events as Events
// (event.go); each file registers its mapping.
type kindMapping struct {
	// Kinds are the change-log kinds this mapping federates.
	Kinds []library.ObjectKind
	// Local loads a local object; ErrNotFound when it is remote or unknown.
	Local func(ctx context.Context, s *Service, kind library.ObjectKind, id string) (*localObject, error)
	// Page lists local objects for an outbox page, newest first.
	Page func(ctx context.Context, s *Service, q pageQuery) ([]*localObject, error)
	// Recognise reports whether an incoming object is of this mapping.
	Recognise func(o object) bool
	// Store saves an incoming object, written by the remote organisation orgID.
	Store func(ctx context.Context, s *Service, orgID string, o object) error
	// Remove deletes our copy of a remote object, if orgID owns it; false when we had none.
	Remove func(ctx context.Context, s *Service, apID, orgID string) (bool, error)
}

// mappings are every kind of object federation knows.
var mappings []*kindMapping

// registerMapping adds a mapping; each mapping file calls it from init.
func registerMapping(m *kindMapping) { mappings = append(mappings, m) }

// mappingFor returns the mapping of a change-log kind, or nil.
func mappingFor(kind library.ObjectKind) *kindMapping {
	for _, m := range mappings {
		for _, k := range m.Kinds {
			if k == kind {
				return m
			}
		}
	}
	return nil
}

// recognise returns the mapping of an incoming object, or nil.
func recognise(o object) *kindMapping {
	for _, m := range mappings {
		if m.Recognise(o) {
			return m
		}
	}
	return nil
}
