package search

// MatchesComputed counts the matchings computed since the node started (for
// a listing's page or API, and for each new offer's notifications).
func (s *Service) MatchesComputed() int64 { return s.matched.Load() }
