package federation

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/citizen-network/commonplace/library/ratelimit"
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
//
// Two budgets bound the work: one per client address, spent before anything
// is verified, and one per remote host, spent only once the signature proves
// the request comes from that host, so that nobody can use up another
// server's budget by naming its keys.
func (s *Service) receive(c echo.Context) error {
	r := c.Request()
	if ok, wait := s.sources.Allow(ratelimit.ClientKey(c.RealIP())); !ok {
		return tooMany(c, wait, "too many requests from this address")
	}
	if !isActivityJSON(r.Header.Get("Content-Type")) {
		return inboxError(http.StatusUnsupportedMediaType, "send application/activity+json")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	var tooBig *http.MaxBytesError // the web layer's limit, met by a chunked body
	if err != nil && !errors.As(err, &tooBig) {
		return inboxError(http.StatusBadRequest, "could not read the body")
	}
	if len(body) > maxBody || tooBig != nil {
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
	if !s.admits(r.Context(), keyHost, a) {
		return inboxError(http.StatusForbidden, "this node does not federate with "+keyHost)
	}
	sg, err := s.verifyInbox(c, body, a)
	if errors.Is(err, errDropped) {
		return c.NoContent(http.StatusAccepted)
	}
	if err != nil {
		return err
	}
	if ok, wait := s.inbound.Allow(sg.Actor.Domain); !ok {
		return tooMany(c, wait, "too many requests from "+sg.Actor.Domain)
	}
	a, body, err = s.authenticate(r.Context(), sg, body, a)
	if err != nil {
		return err
	}
	if err := s.inbox.store(r.Context(), a, body); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// tooMany answers 429 with the seconds until the budget allows another.
func tooMany(c echo.Context, wait time.Duration, msg string) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(wait.Seconds(), 1)))))
	return inboxError(http.StatusTooManyRequests, msg)
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

// verifyInbox verifies the signature of an inbox request. A refusal is 401
// with the problem named; the detail is logged at debug level only, since a
// flood of bad requests must not flood the log.
func (s *Service) verifyInbox(c echo.Context, body []byte, a object) (*signer, error) {
	r := c.Request()
	ctx := r.Context()
	sg, err := s.verifyRequest(ctx, r, body)
	if err == nil {
		return sg, nil
	}
	if a.typ() == "Delete" && a.objectIRI() == a.iri("actor") && errors.Is(err, errRemoteGone) &&
		hostOf(keyIDOf(r)) == hostOf(a.iri("actor")) && s.actorIsGone(ctx, a.iri("actor")) {
		// The actor is gone and so is its key: the deletion is proven by its origin.
		if err := s.actorDeleted(ctx, a.iri("actor")); err != nil {
			return nil, err
		}
		return nil, errDropped
	}
	s.log.Debug("inbox refused a request", "key_id", keyIDOf(r), "activity_type", a.typ(), "error", err)
	switch {
	case errors.Is(err, errKeyFetchLimited):
		return nil, tooMany(c, keyRefreshInterval/6, err.Error())
	case errors.Is(err, errKeyUnavailable):
		return nil, inboxError(http.StatusUnauthorized, "the HTTP signature could not be verified: the key "+keyIDOf(r)+" could not be fetched")
	case errors.Is(err, errBlocked):
		return nil, inboxError(http.StatusUnauthorized, "the HTTP signature could not be verified: "+errBlocked.Error())
	case isAuthError(err):
		return nil, inboxError(http.StatusUnauthorized, "the HTTP signature could not be verified: "+err.Error())
	}
	return nil, err
}

// actorIsGone asks the actor's own server: only its 410 proves a deletion,
// whatever the key named in the request answered.
func (s *Service) actorIsGone(ctx context.Context, actor string) bool {
	_, err := s.fetcher.getObject(ctx, actor)
	return errors.Is(err, errRemoteGone)
}

// authenticate checks that the verified signer is the activity's actor.
// When it is not (a forwarded activity), the activity is fetched from its
// origin instead, and that copy is used.
func (s *Service) authenticate(ctx context.Context, sg *signer, body []byte, a object) (object, []byte, error) {
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
