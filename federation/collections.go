package federation

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// Page sizes: organisations' outboxes are read by people's servers (about 30
// items, as GoToSocial serves); the instance actor's by back-filling peers.
const (
	orgPageSize      = 30
	instancePageSize = 100
	followPageSize   = 50
)

// viewerOf is who an ActivityPub request comes from, for library's rule of
// visibility: a peer for a GET signed by a peer's instance actor, else anonymous.
func (s *Service) viewerOf(r *http.Request) library.Viewer {
	if s.peerSigner(r) != nil {
		return library.PeerViewer
	}
	return library.AnonymousViewer
}

// sees reports whether the request may see an object; the signature is
// verified only when the object is not public, as verifying may fetch a key.
func (s *Service) sees(r *http.Request, visibility, orgID string) bool {
	return library.AnonymousViewer.CanSee(visibility, orgID) || s.viewerOf(r).CanSee(visibility, orgID)
}

// visibleTo returns the visibilities a request may see.
func (s *Service) visibleTo(r *http.Request) []string { return s.viewerOf(r).Visibilities() }

// serveOutbox answers an actor's outbox: an OrderedCollection whose pages
// hold a Create for each current object, newest first, paged by max_id and
// min_id (ULIDs sort by time).
func (s *Service) serveOutbox(c echo.Context, a localActor) error {
	ctx := c.Request().Context()
	vis := s.visibleTo(c.Request())
	orgID, size := "", instancePageSize
	if !a.isInstance() {
		orgID, size = a.Org.ID, orgPageSize
	}
	if c.QueryParam("page") == "" {
		total, err := s.store.CountLocalListings(ctx, orgID, vis)
		if err != nil {
			return err
		}
		return s.writeDoc(c, http.StatusOK, collection(a.outbox(), int(total), a.outbox()+"?page=true"))
	}
	q := pageQuery{OrgID: orgID, Audiences: vis, MaxID: c.QueryParam("max_id"), MinID: c.QueryParam("min_id"), Limit: size}
	items, err := s.pageObjects(ctx, q)
	if err != nil {
		return err
	}
	page := streams.NewActivityStreamsOrderedCollectionPage()
	page.SetJSONLDId(idProperty(pageURL(a.outbox(), q)))
	partOf := streams.NewActivityStreamsPartOfProperty()
	partOf.SetIRI(mustIRI(a.outbox()))
	page.SetActivityStreamsPartOf(partOf)
	ordered := streams.NewActivityStreamsOrderedItemsProperty()
	for _, lo := range items {
		obj, err := lo.vocab(s)
		if err != nil {
			return err
		}
		create := streams.NewActivityStreamsCreate()
		if err := s.fill(create, lo.APID+"#create", orgActor(lo.Author), obj, lo.Audience, lo.Published); err != nil {
			return err
		}
		ordered.AppendActivityStreamsCreate(create)
	}
	page.SetActivityStreamsOrderedItems(ordered)
	if len(items) > 0 {
		setPageLinks(page, a.outbox(), items[0].ID, items[len(items)-1].ID, len(items) == size)
	}
	return s.writeDoc(c, http.StatusOK, page)
}

// pageObjects merges a page across every mapping; ULIDs order them.
func (s *Service) pageObjects(ctx context.Context, q pageQuery) ([]*localObject, error) {
	var all []*localObject
	for _, m := range mappings {
		if m.Page == nil {
			continue
		}
		items, err := m.Page(ctx, s, q)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
	}
	slices.SortFunc(all, func(a, b *localObject) int { return strings.Compare(b.ID, a.ID) })
	if q.MinID != "" && len(all) > q.Limit {
		all = all[len(all)-q.Limit:] // the page just above min_id
	}
	if len(all) > q.Limit {
		all = all[:q.Limit]
	}
	return all, nil
}

func pageURL(base string, q pageQuery) string {
	v := url.Values{"page": {"true"}}
	if q.MaxID != "" {
		v.Set("max_id", q.MaxID)
	}
	if q.MinID != "" {
		v.Set("min_id", q.MinID)
	}
	return base + "?" + v.Encode()
}

func setPageLinks(page vocab.ActivityStreamsOrderedCollectionPage, base, newest, oldest string, more bool) {
	if more {
		next := streams.NewActivityStreamsNextProperty()
		next.SetIRI(mustIRI(pageURL(base, pageQuery{MaxID: oldest})))
		page.SetActivityStreamsNext(next)
	}
	prev := streams.NewActivityStreamsPrevProperty()
	prev.SetIRI(mustIRI(pageURL(base, pageQuery{MinID: newest})))
	page.SetActivityStreamsPrev(prev)
}

// collection is an OrderedCollection that points at its first page.
func collection(id string, total int, first string) vocab.ActivityStreamsOrderedCollection {
	col := streams.NewActivityStreamsOrderedCollection()
	col.SetJSONLDId(idProperty(id))
	n := streams.NewActivityStreamsTotalItemsProperty()
	n.Set(total)
	col.SetActivityStreamsTotalItems(n)
	f := streams.NewActivityStreamsFirstProperty()
	f.SetIRI(mustIRI(first))
	col.SetActivityStreamsFirst(f)
	return col
}

// serveFollows answers followers (followee side) or following, as IRIs.
func (s *Service) serveFollows(c echo.Context, a localActor, followers bool) error {
	ctx := c.Request().Context()
	id, col, other := a.following(), "followee", "follower"
	if followers {
		id, col, other = a.followers(), "follower", "followee"
	}
	base := s.db.WithContext(ctx).Table("federation_follows").Where(other+" = ? AND state = ?", a.ID, followAccepted)
	var total int64
	if err := base.Count(&total).Error; err != nil {
		return err
	}
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	if pageNo < 1 {
		return s.writeDoc(c, http.StatusOK, collection(id, int(total), id+"?page=1"))
	}
	var iris []string
	err := s.db.WithContext(ctx).Table("federation_follows").Where(other+" = ? AND state = ?", a.ID, followAccepted).
		Order("created_at, id").Limit(followPageSize).Offset((pageNo-1)*followPageSize).Pluck(col, &iris).Error
	if err != nil {
		return err
	}
	page := streams.NewActivityStreamsOrderedCollectionPage()
	page.SetJSONLDId(idProperty(id + "?page=" + strconv.Itoa(pageNo)))
	partOf := streams.NewActivityStreamsPartOfProperty()
	partOf.SetIRI(mustIRI(id))
	page.SetActivityStreamsPartOf(partOf)
	n := streams.NewActivityStreamsTotalItemsProperty()
	n.Set(int(total))
	page.SetActivityStreamsTotalItems(n)
	items := streams.NewActivityStreamsOrderedItemsProperty()
	for _, iri := range iris {
		items.AppendIRI(mustIRI(iri))
	}
	page.SetActivityStreamsOrderedItems(items)
	if int64(pageNo*followPageSize) < total {
		next := streams.NewActivityStreamsNextProperty()
		next.SetIRI(mustIRI(id + "?page=" + strconv.Itoa(pageNo+1)))
		page.SetActivityStreamsNext(next)
	}
	if pageNo > 1 {
		prev := streams.NewActivityStreamsPrevProperty()
		prev.SetIRI(mustIRI(id + "?page=" + strconv.Itoa(pageNo-1)))
		page.SetActivityStreamsPrev(prev)
	}
	return s.writeDoc(c, http.StatusOK, page)
}

// writeDoc serialises a go-fed value with our @context as activity+json.
func (s *Service) writeDoc(c echo.Context, status int, t vocab.Type) error {
	doc, err := serialize(t)
	if err != nil {
		return err
	}
	return s.writeJSONDoc(c, status, doc)
}

func (s *Service) writeJSONDoc(c echo.Context, status int, doc document) error {
	c.Response().Header().Set("Vary", "Accept")
	return c.Blob(status, mediaActivity+"; charset=utf-8", doc.bytes())
}
