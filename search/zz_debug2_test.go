package search

import "github.com/blevesearch/bleve/v2"

func bleveRequest(s *Service, q Query) *bleve.SearchRequest {
	return bleve.NewSearchRequestOptions(s.searchQuery(q), 5, 0, true)
}
