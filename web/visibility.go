package web

import (
	"context"
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// viewer is who a request comes from, as library.Viewer judges visibility:
// an API token's principal, else the session's account, else an anonymous
// visitor. ActivityPub requests are judged by federation (a signed peer).
func viewer(c echo.Context) library.Viewer {
	if p := principal(c); p != nil {
		if p.Admin {
			return library.Viewer{Kind: library.Coordinator}
		}
		return library.MemberViewer(p.OrgID)
	}
	if a := account(c); a != nil {
		if a.Role == library.RoleCoordinator {
			return library.Viewer{Kind: library.Coordinator}
		}
		orgID := ""
		if a.OrgID != nil {
			orgID = *a.OrgID
		}
		return library.MemberViewer(orgID)
	}
	return library.AnonymousViewer
}

// shown loads one object for the request's viewer. One it may not see
// answers ErrNotFound, like one that never existed: deleted ones too, so that
// neither a 410 nor a 403 tells that a hidden object is there.
func shown[T any, P interface {
	*T
	library.Visible
	MovedIRI() string
}](c echo.Context, live, deleted func(ctx context.Context) (P, error)) (P, error) {
	ctx := c.Request().Context()
	v := viewer(c)
	o, err := live(ctx)
	if errors.Is(err, library.ErrGone) {
		if d, derr := deleted(ctx); derr == nil && !v.Sees(d) {
			return nil, library.ErrNotFound
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if err := movedAway(o); err != nil {
		return nil, err
	}
	if err := v.Show(o); err != nil {
		return nil, err
	}
	return o, nil
}

// movedError answers a request for an object whose organisation moved to
// another node with a permanent redirect to the object there.
type movedError struct{ to string }

func (e *movedError) Error() string { return "moved to " + e.to }

// movedAway is a *movedError when o's organisation has moved.
func movedAway(o interface{ MovedIRI() string }) error {
	if to := o.MovedIRI(); to != "" {
		return &movedError{to: to}
	}
	return nil
}

// shownListing is the offer or need of the URL, for the request's viewer.
func (s *Server) shownListing(c echo.Context, kind library.ListingKind, id string) (*library.Listing, error) {
	return shown(c,
		func(ctx context.Context) (*library.Listing, error) { return s.store.Listing(ctx, kind, id) },
		func(ctx context.Context) (*library.Listing, error) { return s.store.DeletedListing(ctx, kind, id) })
}

// shownStory is the story of the URL, for the request's viewer.
func (s *Server) shownStory(c echo.Context, id string) (*library.Story, error) {
	return shown(c,
		func(ctx context.Context) (*library.Story, error) { return s.store.Story(ctx, id) },
		func(ctx context.Context) (*library.Story, error) { return s.store.DeletedStory(ctx, id) })
}

// shownEvent is the event of the URL, for the request's viewer.
func (s *Server) shownEvent(c echo.Context, id string) (*library.Event, error) {
	return shown(c,
		func(ctx context.Context) (*library.Event, error) { return s.store.Event(ctx, id) },
		func(ctx context.Context) (*library.Event, error) { return s.store.DeletedEvent(ctx, id) })
}
