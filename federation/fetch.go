package federation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/citizen-network/commonplace/library/ratelimit"
)

// Limits on what we read from other servers.
const (
	maxBody   = 1 << 20 // 1 MiB
	maxDepth  = 32
	userAgent = "Commonplace/%s (+%s)"
)

// Media types of ActivityStreams documents.
const (
	mediaActivity = "application/activity+json"
	mediaLD       = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	acceptAS      = mediaActivity + ", " + mediaLD
)

// Errors of remote calls.
var (
	errRemoteGone     = errors.New("remote object is gone")
	errRemoteNotFound = errors.New("remote object not found")
	errForbiddenAddr  = errors.New("address not allowed (private or loopback)")
	errBlocked        = errors.New("domain is blocked")
	errBadURL         = errors.New("an https URL is required")
)

// statusError is an unexpected HTTP status from another server.
type statusError struct {
	Status int
	URL    string
}

// Error names the URL and the status.
func (e *statusError) Error() string { return fmt.Sprintf("%s answered %d", e.URL, e.Status) }

// fetcher makes every outgoing HTTP request: SSRF-guarded, rate-limited per
// host, with timeouts and a body limit.
type fetcher struct {
	s       *Service
	client  *http.Client
	limiter *ratelimit.Table
	ua      string
}

func newFetcher(s *Service) *fetcher {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !s.addressAllowed(ip) {
				return fmt.Errorf("%w: %s", errForbiddenAddr, host)
			}
			return nil
		}}
	transport := &http.Transport{
		Proxy: nil, DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
		MaxIdleConns: 512, MaxIdleConnsPerHost: 32, IdleConnTimeout: 90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: 30 * time.Second,
	}
	return &fetcher{s: s, client: &http.Client{Transport: transport, CheckRedirect: limitRedirects(s)},
		limiter: ratelimit.New(ratelimit.Limits{Rate: 50, Burst: 200}), ua: fmt.Sprintf(userAgent, s.cfg.Version, s.cfg.BaseURL)}
}

// limitRedirects follows at most three redirects, each checked like the
// first URL. Go copies the headers to the new target, signature included;
// a signed GET is signed again for its new host and path, so that no server
// receives a signature made for another, and a signed POST is not followed
// (an activity is delivered to the inbox it was addressed to, or not at all).
func limitRedirects(s *Service) func(*http.Request, []*http.Request) error {
	return func(r *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("too many redirects")
		}
		if err := s.checkURL(r.URL); err != nil {
			return err
		}
		if via[0].Header.Get("Signature") == "" {
			return nil
		}
		if r.Method != http.MethodGet {
			return http.ErrUseLastResponse
		}
		r.Header.Del("Signature")
		return s.signRequest(r.Context(), r, s.InstanceActor(), nil)
	}
}

// addressAllowed refuses private, loopback and other internal addresses unless
// the node runs with --insecure-local-federation.
func (s *Service) addressAllowed(ip net.IP) bool {
	if s.cfg.InsecureLocalFederation {
		return true
	}
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || inSpecialRange(ip))
}

// specialRanges are the other addresses that are not the public internet
// (IANA's special-purpose registries): "this network", carrier-grade NAT,
// IETF protocol assignments, benchmarking, reserved, and NAT64, which
// reaches IPv4 addresses through an IPv6 prefix.
var specialRanges = []*net.IPNet{
	mustCIDR("0.0.0.0/8"), mustCIDR("100.64.0.0/10"), mustCIDR("192.0.0.0/24"),
	mustCIDR("198.18.0.0/15"), mustCIDR("240.0.0.0/4"), mustCIDR("64:ff9b::/96"), mustCIDR("64:ff9b:1::/48"),
}

func mustCIDR(s string) *net.IPNet {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		panic(err)
	}
	return n
}

// inSpecialRange reports whether ip is in one of specialRanges.
func inSpecialRange(ip net.IP) bool {
	for _, n := range specialRanges {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// checkURL accepts https URLs (and http ones in insecure local mode) of hosts that are not blocked.
func (s *Service) checkURL(u *url.URL) error {
	if u.Host == "" || u.User != nil || (u.Scheme != "https" && !(u.Scheme == "http" && s.cfg.InsecureLocalFederation)) {
		return fmt.Errorf("federation: refusing to fetch %q: %w", u.Redacted(), errBadURL)
	}
	if s.domainBlocked(strings.ToLower(u.Host)) {
		return fmt.Errorf("federation: %s: %w", u.Host, errBlocked)
	}
	return nil
}

// get fetches a URL, signed by the instance actor when signed is true.
func (f *fetcher) get(ctx context.Context, rawURL, accept string, signed bool) ([]byte, http.Header, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("federation: bad URL %q: %v: %w", rawURL, err, errBadURL)
	}
	u.Fragment = ""
	if err := f.s.checkURL(u); err != nil {
		return nil, nil, err
	}
	if err := f.limiter.Wait(ctx, u.Host); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.s.cfg.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", f.ua)
	if signed {
		if err := f.s.signRequest(ctx, req, f.s.InstanceActor(), nil); err != nil {
			return nil, nil, err
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("federation: fetch %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, nil, fmt.Errorf("federation: fetch %s: %w", u.Redacted(), err)
	}
	switch {
	case resp.StatusCode == http.StatusGone:
		return nil, nil, fmt.Errorf("federation: fetch %s: %w", u.Redacted(), errRemoteGone)
	case resp.StatusCode == http.StatusNotFound:
		return nil, nil, fmt.Errorf("federation: fetch %s: %w", u.Redacted(), errRemoteNotFound)
	case resp.StatusCode != http.StatusOK:
		return nil, nil, &statusError{resp.StatusCode, u.Redacted()}
	case len(body) > maxBody:
		return nil, nil, fmt.Errorf("federation: fetch %s: the document is larger than 1 MiB", u.Redacted())
	}
	return body, resp.Header, nil
}

// getObject fetches an ActivityStreams document with a signed GET and checks
// that it is what it claims: its id must be on the host it came from.
func (f *fetcher) getObject(ctx context.Context, iri string) (object, error) {
	body, h, err := f.get(ctx, iri, acceptAS, true)
	if err != nil {
		return nil, err
	}
	if !isActivityJSON(h.Get("Content-Type")) {
		return nil, fmt.Errorf("federation: %s is not ActivityStreams (%s)", iri, h.Get("Content-Type"))
	}
	if !jsonDepthOK(body, maxDepth) {
		return nil, fmt.Errorf("federation: %s nests too deeply", iri)
	}
	o, err := parseObject(body)
	if err != nil {
		return nil, fmt.Errorf("federation: %s: %w", iri, err)
	}
	if id := o.id(); id != "" && hostOf(id) != hostOf(iri) {
		return nil, fmt.Errorf("federation: %s answered with an object of another host (%s)", iri, id)
	}
	return o, nil
}

// isActivityJSON accepts the ActivityStreams media types, and plain JSON,
// which some servers still send.
func isActivityJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "application/activity+json", "application/json":
		return true
	case "application/ld+json":
		return params["profile"] == "" || strings.Contains(params["profile"], "https://www.w3.org/ns/activitystreams")
	}
	return false
}

// post delivers a signed activity to an inbox and reports the answer.
func (f *fetcher) post(ctx context.Context, inbox, actorID string, body []byte) (int, http.Header, error) {
	u, err := url.Parse(inbox)
	if err != nil {
		return 0, nil, err
	}
	if err := f.s.checkURL(u); err != nil {
		return 0, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.s.cfg.DeliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", mediaActivity)
	req.Header.Set("Accept", acceptAS)
	req.Header.Set("User-Agent", f.ua)
	if err := f.s.signRequest(ctx, req, actorID, body); err != nil {
		return 0, nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, resp.Header, nil
}
