package library

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// The visibilities of an object (see Visibilities), from widest to narrowest.
const (
	// VisibilityPublic is readable by anyone, federated and indexed anywhere.
	VisibilityPublic = "public"
	// VisibilityNetwork is readable by this node's members and by peered
	// nodes (a GET signed by a peer's instance actor), not by anonymous visitors.
	VisibilityNetwork = "network"
	// VisibilityLocal is readable by this node's members only; never federated.
	VisibilityLocal = "local"
)

// ViewerKind is who a request comes from, as far as visibility is concerned.
type ViewerKind int

// The kinds of viewer, from least to most trusted. The zero kind is an
// anonymous visitor, so that a query or check that forgot its viewer shows
// only what is public.
const (
	// Anonymous is a visitor who is not logged in and sent no token.
	Anonymous ViewerKind = iota
	// Peer is a request signed by the instance actor of a peered node.
	Peer
	// Member is a logged-in account or an API token of this node.
	Member
	// Coordinator is a coordinator's account or token.
	Coordinator
	// System is the node's own code (the CLI, matching, federation's queues).
	System
)

// Viewer is who is looking at objects: every surface (pages, API, lists,
// search, feeds, ActivityPub) asks CanSee or Scope, so that visibility is
// decided here only. The zero Viewer is an anonymous visitor.
type Viewer struct {
	Kind ViewerKind
	// OrgID is the organisation of a member's account or token, if any.
	OrgID string
}

// Viewers that need no organisation.
var (
	AnonymousViewer = Viewer{Kind: Anonymous}
	PeerViewer      = Viewer{Kind: Peer}
	SystemViewer    = Viewer{Kind: System}
)

// MemberViewer is a logged-in member of this node, of the organisation orgID ("" for none).
func MemberViewer(orgID string) Viewer { return Viewer{Kind: Member, OrgID: orgID} }

// Visibilities are the visibilities the viewer may see of any organisation's objects.
func (v Viewer) Visibilities() []string {
	switch v.Kind {
	case Anonymous:
		return []string{VisibilityPublic}
	case Peer:
		return []string{VisibilityPublic, VisibilityNetwork}
	}
	return []string{VisibilityPublic, VisibilityNetwork, VisibilityLocal}
}

// seesAll reports whether the viewer sees every object of the organisation,
// whatever its visibility (even one this code does not know).
func (v Viewer) seesAll(orgID string) bool {
	return v.Kind == System || v.Kind == Coordinator || (v.Kind == Member && v.OrgID != "" && v.OrgID == orgID)
}

// CanSee reports whether the viewer may see an object of the organisation
// with this visibility. An unknown visibility is seen only by its
// organisation and the node's coordinators.
func (v Viewer) CanSee(visibility, orgID string) bool {
	return v.seesAll(orgID) || slices.Contains(v.Visibilities(), visibility)
}

// Scope limits a query of objects (with visibility and org_id columns) to those the viewer may see.
func (v Viewer) Scope(tx *gorm.DB) *gorm.DB {
	if v.Kind != System {
		// An organisation that moved away keeps its objects here only to
		// redirect to them.
		tx = tx.Where("org_id NOT IN (SELECT id FROM organizations WHERE moved_to <> '')")
	}
	switch {
	case v.Kind == System || v.Kind == Coordinator:
		return tx
	case v.Kind == Member && v.OrgID != "":
		return tx.Where("(visibility IN ? OR org_id = ?)", v.Visibilities(), v.OrgID)
	}
	return tx.Where("visibility IN ?", v.Visibilities())
}

// Visible is an object whose visibility a viewer is asked about.
type Visible interface {
	// Audience is the object's visibility and the id of its organisation.
	Audience() (visibility, orgID string)
}

// Sees reports whether the viewer may see the object.
func (v Viewer) Sees(o Visible) bool {
	vis, org := o.Audience()
	return v.CanSee(vis, org)
}

// Show returns ErrNotFound when the viewer may not see the object, so that a
// hidden object answers like one that does not exist.
func (v Viewer) Show(o Visible) error {
	if !v.Sees(o) {
		return ErrNotFound
	}
	return nil
}

// Audience is the listing's visibility and organisation.
func (l *Listing) Audience() (string, string) { return l.Visibility, l.OrgID }

// Audience is the story's visibility and organisation.
func (st *Story) Audience() (string, string) { return st.Visibility, st.OrgID }

// Audience is the event's visibility and organisation.
func (e *Event) Audience() (string, string) { return e.Visibility, e.OrgID }

// VisibleListingIDs reports which of the listings (by id) the viewer may see,
// for lists made elsewhere (matches) that hold only ids.
func (s *Store) VisibleListingIDs(ctx context.Context, v Viewer, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var seen []string
	err := v.Scope(s.db.WithContext(ctx).Model(&Listing{})).Where("id IN ?", ids).Pluck("id", &seen).Error
	if err != nil {
		return nil, fmt.Errorf("library: visible listings: %w", err)
	}
	for _, id := range seen {
		out[id] = true
	}
	return out, nil
}
