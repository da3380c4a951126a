package library

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// EventSuggestion is an upcoming event that meets some of an organisation's
// needs, with the needs it meets and the themes they share, as reasons.
type EventSuggestion struct {
	Event  Event
	Needs  []Listing
	Themes []string
}

// EventsMeetingNeeds suggests upcoming events, hosted by others and not
// cancelled, that share a theme with one of the organisation's open needs;
// those that meet the most needs come first, then the soonest.
func (s *Store) EventsMeetingNeeds(ctx context.Context, orgID string, limit int) ([]EventSuggestion, error) {
	needs, err := s.Listings(ctx, ListingQuery{Kind: Need, OrgID: orgID, OpenOnly: true, Viewer: MemberViewer(orgID), Limit: 200})
	if err != nil {
		return nil, err
	}
	var wanted []string
	for _, n := range needs {
		for _, t := range n.Themes {
			wanted = appendUnique(wanted, t)
		}
	}
	if len(wanted) == 0 {
		return []EventSuggestion{}, nil
	}
	events, err := s.Events(ctx, EventQuery{EndsAfter: time.Now(), AnyTheme: wanted, ExcludeCancelled: true,
		ExcludeOrgID: orgID, Viewer: MemberViewer(orgID), Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("library: events meeting needs of %s: %w", orgID, err)
	}
	out := make([]EventSuggestion, 0, len(events))
	for _, e := range events {
		sug := EventSuggestion{Event: e}
		for _, n := range needs {
			shared := intersect(n.Themes, e.Themes)
			if len(shared) > 0 {
				sug.Needs = append(sug.Needs, n)
				for _, t := range shared {
					sug.Themes = appendUnique(sug.Themes, t)
				}
			}
		}
		out = append(out, sug)
	}
	slices.SortStableFunc(out, func(a, b EventSuggestion) int { return len(b.Needs) - len(a.Needs) })
	return out[:min(len(out), limitOr(limit, 10))], nil
}

// UpcomingEventsOn lists upcoming, not cancelled events that carry any of
// the themes and that the viewer may see.
func (s *Store) UpcomingEventsOn(ctx context.Context, v Viewer, themes []string, limit int) ([]Event, error) {
	if len(themes) == 0 {
		return []Event{}, nil
	}
	return s.Events(ctx, EventQuery{EndsAfter: time.Now(), AnyTheme: themes, ExcludeCancelled: true, Viewer: v, Limit: limit})
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = appendUnique(out, x)
			}
		}
	}
	return out
}
