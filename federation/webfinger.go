package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
)

// jrd is a WebFinger answer (RFC 7033).
type jrd struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []jrdLink `json:"links"`
}

type jrdLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// webfinger answers acct:name@host (the host with its port, if any) and
// actor URLs, for every organisation and the instance actor. Mastodon and
// GoToSocial reject an actor whose WebFinger does not point back to it.
func (s *Service) webfinger(c echo.Context) error {
	res := strings.TrimSpace(c.QueryParam("resource"))
	if res == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "resource is required")
	}
	a, err := s.webfingerActor(c.Request().Context(), res)
	if err != nil {
		return err
	}
	profile := s.cfg.BaseURL + "/"
	if !a.isInstance() {
		profile = a.Org.URL
	}
	out := jrd{
		Subject: "acct:" + a.username() + "@" + s.host,
		Aliases: []string{a.ID, profile},
		Links: []jrdLink{
			{Rel: "self", Type: mediaActivity, Href: a.ID},
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: profile},
		},
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSON(c, http.StatusOK, "application/jrd+json", out)
}

// webfingerActor finds the local actor a WebFinger resource names.
func (s *Service) webfingerActor(ctx context.Context, res string) (localActor, error) {
	if strings.HasPrefix(res, "http://") || strings.HasPrefix(res, "https://") {
		if res == s.cfg.BaseURL || res == s.cfg.BaseURL+"/" {
			return s.instance(), nil
		}
		return s.localActorByIRI(ctx, res)
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(res, "acct:"), "@")
	name, host, ok := strings.Cut(acct, "@")
	if !ok || !strings.EqualFold(host, s.host) {
		return localActor{}, fmt.Errorf("federation: webfinger %s: %w", res, library.ErrNotFound)
	}
	if strings.EqualFold(name, s.host) {
		return s.instance(), nil // Mastodon's convention for an instance actor
	}
	return s.localActorByUsername(ctx, name)
}

// webfingerLookup asks host who acct:name@host is and returns the actor IRI.
func (s *Service) webfingerLookup(ctx context.Context, scheme, name, host string) (string, error) {
	q := url.Values{"resource": {"acct:" + name + "@" + host}}
	u := scheme + "://" + host + "/.well-known/webfinger?" + q.Encode()
	body, _, err := s.fetcher.get(ctx, u, "application/jrd+json, application/json", false)
	if err != nil {
		return "", err
	}
	var out jrd
	if err := json.Unmarshal(body, &out); err != nil {
		return "", fmt.Errorf("federation: webfinger %s@%s: %v: %w", name, host, err, errRemoteNotFound)
	}
	for _, l := range out.Links {
		if l.Rel == "self" && isActivityJSON(l.Type) && l.Href != "" {
			return l.Href, nil
		}
	}
	return "", fmt.Errorf("federation: webfinger %s@%s names no ActivityPub actor: %w", name, host, errRemoteNotFound)
}

// resolveAccount turns acct:user@host, user@host, @user@host or an actor URL into an actor IRI.
func (s *Service) resolveAccount(ctx context.Context, target string) (string, error) {
	target = strings.TrimSpace(target)
	if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
		return target, nil
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(target, "acct:"), "@")
	name, host, ok := strings.Cut(acct, "@")
	if !ok || name == "" || host == "" {
		return "", library.Invalid("account", "must be user@host or an actor URL")
	}
	scheme := "https"
	if s.cfg.InsecureLocalFederation {
		scheme = "http" // loopback tests and the demo run without TLS
	}
	actor, err := s.webfingerLookup(ctx, scheme, name, host)
	if err != nil {
		return "", remoteFailure(target, host, err)
	}
	return actor, nil
}

// writeJSON writes v with a media type of our choice (Echo's JSON sets its own).
func writeJSON(c echo.Context, status int, mediaType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, mediaType, b)
}

// notFound is the error web maps to 404.
func notFound(what string) error { return fmt.Errorf("federation: %s: %w", what, library.ErrNotFound) }
