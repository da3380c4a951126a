package federation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// signer is who signed a request, once verified.
type signer struct {
	KeyID string
	Actor *remoteActor
}

// keyIDOf returns the key id of the request's signature, of either kind, or "".
func keyIDOf(r *http.Request) string {
	if r.Header.Get("Signature-Input") != "" {
		if ms, err := parseMessageSignature(r); err == nil {
			return ms.params["keyid"]
		}
		return ""
	}
	if p, err := cavageSignature(r); err == nil {
		return p["keyid"]
	}
	return ""
}

// verifyRequest checks an incoming request's signature (RFC 9421 when
// Signature-Input is present, else the Cavage draft): what is covered, the
// date, the digest against the body, and the signature with the key of its
// owner. A key that fails is fetched again once, in case it was rotated.
func (s *Service) verifyRequest(ctx context.Context, r *http.Request, body []byte) (*signer, error) {
	return s.verify(ctx, r, body, true)
}

// verify is verifyRequest; without fetch, only keys already known are used,
// so that serving an actor never waits on fetching another (two nodes that
// each verified the other's fetch of its actor would wait on each other).
func (s *Service) verify(ctx context.Context, r *http.Request, body []byte, fetch bool) (*signer, error) {
	if !sameHost(r.Host, s.base) {
		return nil, errWrongHost
	}
	var keyID string
	var check func(a *remoteActor) error
	if r.Header.Get("Signature-Input") != "" {
		ms, err := parseMessageSignature(r)
		if err != nil {
			return nil, err
		}
		if err := ms.check(r, body); err != nil {
			return nil, err
		}
		keyID = ms.params["keyid"]
		check = func(a *remoteActor) error { return ms.verify(r, s.base.Scheme, a.pub) }
	} else {
		p, err := cavageSignature(r)
		if err != nil {
			return nil, err
		}
		if err := checkCavageHeaders(r, p, body); err != nil {
			return nil, err
		}
		keyID = p["keyid"]
		check = func(a *remoteActor) error { return verifyCavage(r, p, a.pub) }
	}
	if s.domainBlocked(hostOf(keyID)) {
		return nil, errBlocked
	}
	a, fresh, err := s.keyOwner(ctx, keyID, false, fetch)
	if err != nil {
		return nil, err
	}
	if err := check(a); err != nil {
		if fresh || !fetch {
			return nil, err
		}
		if a, _, err = s.keyOwner(ctx, keyID, true, true); err != nil {
			return nil, err
		}
		if err := check(a); err != nil {
			return nil, err
		}
	}
	s.queue.signOfLife(a.Domain)
	return &signer{KeyID: keyID, Actor: a}, nil
}

// isAuthError reports whether err means "not authenticated" (401) rather
// than a failure on our side.
func isAuthError(err error) bool {
	for _, e := range []error{errUnsigned, errBadSignature, errBadDigest, errStaleDate, errWeakHeaders, errWrongHost, errKeyUnavailable, errRemoteGone, errRemoteNotFound, errBadActor} {
		if errors.Is(err, e) {
			return true
		}
	}
	var se *statusError
	return errors.As(err, &se)
}

// peerSigner returns the verified signer of a GET when it is a peer node's
// instance actor, which may read network-visible objects; nil otherwise.
func (s *Service) peerSigner(r *http.Request) *remoteActor {
	if r.Header.Get("Signature") == "" && r.Header.Get("Signature-Input") == "" && !strings.HasPrefix(r.Header.Get("Authorization"), "Signature ") {
		return nil
	}
	sg, err := s.verifyRequest(r.Context(), r, nil)
	if err != nil {
		s.log.Debug("unverified signed fetch", "path", r.URL.Path, "error", err)
		return nil
	}
	if !s.isPeerActor(r.Context(), sg.Actor.ID) {
		return nil
	}
	return sg.Actor
}

// sameHost reports whether host (a request's Host, which both kinds of
// signature cover) is this node's own: a request signed for another server
// must not be accepted here. Default ports are ignored.
func sameHost(host string, base *url.URL) bool {
	strip := func(h string) string {
		h = strings.ToLower(h)
		switch {
		case base.Scheme == "https" && strings.HasSuffix(h, ":443"):
			return strings.TrimSuffix(h, ":443")
		case base.Scheme == "http" && strings.HasSuffix(h, ":80"):
			return strings.TrimSuffix(h, ":80")
		}
		return h
	}
	return strip(host) == strip(base.Host)
}
