package federation

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"

	"github.com/labstack/echo/v4"
)

// errDropped means an activity was answered 202 and not stored.
var errDropped = errors.New("dropped")

// inboxError is an inbox refusal: the status and a message safe to show.
func inboxError(status int, msg string) error { return echo.NewHTTPError(status, msg) }

// receive is every inbox: the shared one, the instance actor's and each
// organisation's. It verifies the request and stores the activity; the inbox
// worker has the side effects, so a failure there is retried and the sender
// gets its answer at once. The same activity id twice is stored once.
func (s *Service) receive(c echo.Context) error {
	r := c.Request()
	if !isActivityJSON(r.Header.Get("Content-Type")) {
		return inboxError(http.StatusUnsupportedMediaType, "send application/activity+json")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return inboxError(http.StatusBadRequest, "could not read the body")
	}
	if len(body) > maxBody {
		return inboxError(http.StatusRequestEntityTooLarge, "the body is larger than 1 MiB")
	}
	if !jsonDepthOK(body, maxDepth) {
		return inboxError(http.StatusBadRequest, "the JSON nests too deeply")
	}
	a, err := parseObject(body)
	if err != nil || a.id() == "" || a.typ() == "" || a.iri("actor") == "" {
		return inboxError(http.StatusBadRequest, "an activity with id, type and actor is required")
	}
	keyHost := hostOf(keyIDOf(r))
	if keyHost == "" {
		return inboxError(http.StatusUnauthorized, "the request must carry an HTTP signature")
	}
	// The keyId is not proven yet: a cheap budget per address the request
	// came from first, so that forged requests naming a peer never spend
	// that peer's budget; the peer's own budget once the signature holds.
	if !s.sources.allow(sourceAddr(r)) {
		return tooMany(c, "too many requests from this address")
	}
	if !s.admits(r.Context(), keyHost, a) {
		return inboxError(http.StatusForbidden, "this node does not federate with "+keyHost)
	}
	a, body, err = s.authenticate(r, body, a)
	if errors.Is(err, errDropped) {
		return c.NoContent(http.StatusAccepted)
	}
	if err != nil {
		return err
	}
	if !s.inbound.allow(keyHost) {
		return tooMany(c, "too many requests from "+keyHost)
	}
	if err := s.inbox.store(r.Context(), a, body); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// admits applies the domain policies: blocked domains never; in allowlist
// mode, other domains only to ask the instance actor for peering.
func (s *Service) admits(ctx context.Context, host string, a object) bool {
	if s.domainBlocked(host) || s.domainBlocked(hostOf(a.iri("actor"))) {
		return false
	}
	if s.federates(ctx, host) {
		return true
	}
	switch a.typ() {
	case "Follow":
		return a.objectIRI() == s.InstanceActor()
	case "Undo":
		inner, _ := a.obj("object")
		return inner.typ() == "Follow" && inner.objectIRI() == s.InstanceActor()
	}
	return false
}

// authenticate verifies the signature and that its key belongs to the
// activity's actor. When it does not (a forwarded activity), the activity is
// fetched from its origin instead, and that copy is used.
func (s *Service) authenticate(r *http.Request, body []byte, a object) (object, []byte, error) {
	ctx := r.Context()
	sg, err := s.verifyRequest(ctx, r, body)
	if err != nil {
		if a.typ() == "Delete" && a.objectIRI() == a.iri("actor") && errors.Is(err, errRemoteGone) {
			// The actor is gone and so is its key: the deletion is proven by its origin.
			if err := s.actorDeleted(ctx, a.iri("actor")); err != nil {
				return nil, nil, err
			}
			return nil, nil, errDropped
		}
		if isAuthError(err) || errors.Is(err, errBlocked) || errors.Is(err, errForbiddenAddr) {
			s.log.Debug("inbox refused a request", "key_id", keyIDOf(r), "activity_type", a.typ(), "error", err)
			return nil, nil, inboxError(http.StatusUnauthorized, "the HTTP signature could not be verified")
		}
		return nil, nil, err
	}
	if sg.Actor.ID == a.iri("actor") {
		return a, body, nil
	}
	if hostOf(a.id()) != hostOf(a.iri("actor")) {
		return nil, nil, inboxError(http.StatusUnauthorized, "the signer is not the activity's actor")
	}
	fetched, err := s.fetcher.getObject(ctx, a.id())
	if err != nil || fetched.iri("actor") != a.iri("actor") || fetched.typ() != a.typ() {
		return nil, nil, inboxError(http.StatusUnauthorized, "the signer is not the activity's actor")
	}
	return fetched, fetched.bytes(), nil
}

// bytes re-encodes an object.
func (o object) bytes() []byte { return document(o).bytes() }

// tooMany answers 429 with a Retry-After.
func tooMany(c echo.Context, msg string) error {
	c.Response().Header().Set("Retry-After", "10")
	return inboxError(http.StatusTooManyRequests, msg)
}

// sourceAddr is the address a request came from: the connection's, not a
// header a client could write.
func sourceAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
