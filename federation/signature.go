package federation

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// Errors of signature verification; the inbox answers 401 to all of them,
// with their text, which names the problem and nothing secret.
var (
	errUnsigned     = errors.New("the request is not signed")
	errBadSignature = errors.New("the signature does not verify")
	errBadDigest    = errors.New("the digest does not match the body")
	errStaleDate    = errors.New("the signed date is missing or more than 12 hours off")
	errStaleCreated = errors.New("the signed created time is missing or more than 12 hours off")
	errExpired      = errors.New("the signature has expired")
	errUnsignedTime = errors.New("the signature must cover date or (created): an unsigned time proves nothing")
	errWeakHeaders  = errors.New("the signature must cover (request-target), host and date, and digest for a POST")
	errWrongHost    = errors.New("the signed host is not this node's")
)

// maxClockSkew is how far a signed Date or created time may be from now
// (Mastodon uses 12 hours).
const maxClockSkew = 12 * time.Hour

// signRequest signs an outgoing request with the actor's key: the Cavage draft
// with rsa-sha256 over (request-target) host date, plus digest for a body. The
// Host header is set explicitly, since the signature must cover it.
func (s *Service) signRequest(ctx context.Context, r *http.Request, actorID string, body []byte) error {
	return s.signAt(ctx, r, actorID, body, time.Now())
}

// signAt signs with the given Date.
func (s *Service) signAt(ctx context.Context, r *http.Request, actorID string, body []byte, date time.Time) error {
	key, err := s.keys.key(ctx, actorID)
	if err != nil {
		return err
	}
	r.Header.Set("Date", date.UTC().Format(http.TimeFormat))
	r.Header.Set("Host", r.URL.Host)
	r.Host = r.URL.Host
	headers := []string{httpsig.RequestTarget, "host", "date"}
	if body != nil || r.Method == http.MethodPost {
		headers = append(headers, "digest")
	}
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return fmt.Errorf("federation: signer: %w", err)
	}
	r.Header.Del("Digest")
	if err := signer.SignRequest(key.Private, key.KeyID, r, body); err != nil {
		return fmt.Errorf("federation: sign request: %w", err)
	}
	return nil
}

// signatureParams parses a Cavage Signature header into its parameters.
func signatureParams(h string) map[string]string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "Signature ")
	out := map[string]string{}
	for len(h) > 0 {
		eq := strings.IndexByte(h, '=')
		if eq < 0 {
			break
		}
		key := strings.ToLower(strings.TrimSpace(h[:eq]))
		rest := h[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				break
			}
			val, rest = rest[1:end+1], rest[end+2:]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			val, rest = rest[:end], rest[end:]
		}
		out[key] = val
		h = strings.TrimLeft(rest, ", ")
	}
	return out
}

// cavageSignature returns the parameters of the request's Cavage signature.
func cavageSignature(r *http.Request) (map[string]string, error) {
	h := r.Header.Get("Signature")
	if h == "" {
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Signature ") {
			h = a
		}
	}
	if h == "" {
		return nil, errUnsigned
	}
	p := signatureParams(h)
	if strings.Count(h, ",")+1 != len(p) {
		// go-fed splits at every comma and keeps the last of a repeated
		// parameter: what it verifies must be what we checked.
		return nil, fmt.Errorf("%w: malformed Signature header (a repeated parameter, or a comma inside a value)", errBadSignature)
	}
	if p["keyid"] == "" || p["signature"] == "" {
		return nil, fmt.Errorf("%w: keyId and signature are required", errBadSignature)
	}
	return p, nil
}

// checkCavageHeaders enforces what must be signed, the signed times, the
// signed host and the Digest. Only signed values count: a created or expires
// parameter whose pseudo-header is not in the signed list is not part of the
// signing string, so anyone could have written it.
func checkCavageHeaders(r *http.Request, p map[string]string, body []byte, ownHost string) error {
	signed := map[string]bool{}
	for _, h := range strings.Fields(strings.ToLower(p["headers"])) {
		signed[h] = true
	}
	if !signed["(request-target)"] || !signed["host"] {
		return errWeakHeaders
	}
	if !signed["date"] && !signed["(created)"] {
		return errUnsignedTime
	}
	if signed["date"] {
		if err := checkDate(r.Header.Values("Date")); err != nil {
			return err
		}
	}
	if signed["(created)"] {
		if err := checkCreated(p["created"]); err != nil {
			return err
		}
	}
	if signed["(expires)"] {
		if err := checkExpires(p["expires"]); err != nil {
			return err
		}
	}
	if err := checkHost(cavageHost(r), ownHost); err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if !signed["digest"] {
			return errWeakHeaders
		}
		return checkDigest(r.Header.Values("Digest"), body)
	}
	return nil
}

// checkDate refuses a Date that is not one HTTP date within 12 hours of now.
func checkDate(values []string) error {
	if len(values) != 1 {
		return errStaleDate
	}
	t, err := http.ParseTime(values[0])
	if err != nil || !withinSkew(t) {
		return errStaleDate
	}
	return nil
}

// checkCreated refuses a created time (Unix seconds) more than 12 hours off.
func checkCreated(created string) error {
	secs, err := strconv.ParseInt(created, 10, 64)
	if err != nil || !withinSkew(time.Unix(secs, 0)) {
		return errStaleCreated
	}
	return nil
}

// checkExpires refuses an expires time (Unix seconds) that has passed.
func checkExpires(expires string) error {
	secs, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || time.Now().Unix() > secs {
		return errExpired
	}
	return nil
}

func withinSkew(t time.Time) bool {
	d := time.Since(t)
	return d <= maxClockSkew && d >= -maxClockSkew
}

// cavageHost is the host the Cavage signature covers, read as go-fed's
// verifier reads it: a Host header if one is in the map, else the request's.
func cavageHost(r *http.Request) string {
	if h := r.Header.Get("Host"); h != "" {
		return h
	}
	return r.Host
}

// checkHost refuses a signature made for another server: a request signed
// for one node must not be accepted when replayed to another.
func checkHost(signed, own string) error {
	if normalHost(signed) != normalHost(own) {
		return fmt.Errorf("%w: it was signed for %q, this node is %q", errWrongHost, signed, own)
	}
	return nil
}

// normalHost lowercases a host[:port] and drops a default port.
func normalHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.TrimSuffix(strings.TrimSuffix(h, ":443"), ":80")
}

// checkDigest compares a Digest header (RFC 3230) with the body.
func checkDigest(values []string, body []byte) error {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			algo, enc, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				continue
			}
			var sum []byte
			switch strings.ToUpper(algo) {
			case "SHA-256":
				s := sha256.Sum256(body)
				sum = s[:]
			case "SHA-512":
				s := sha512.Sum512(body)
				sum = s[:]
			default:
				continue
			}
			got, err := base64.StdEncoding.DecodeString(enc)
			if err != nil || subtle.ConstantTimeCompare(got, sum) != 1 {
				return errBadDigest
			}
			return nil
		}
	}
	return errBadDigest
}

// cavageAlgorithm picks the algorithm to verify with; hs2019 and a missing
// value mean RSA-SHA256, as Mastodon and GoToSocial sign.
func cavageAlgorithm(p map[string]string) httpsig.Algorithm {
	if strings.EqualFold(p["algorithm"], "rsa-sha512") {
		return httpsig.RSA_SHA512
	}
	return httpsig.RSA_SHA256
}

// verifyCavage checks the request's Cavage signature with pub. Like
// GoToSocial, it tries the request target with and without the query string,
// since implementations disagree on including it.
func verifyCavage(r *http.Request, p map[string]string, pub any) error {
	v, err := httpsig.NewVerifier(r)
	if err != nil {
		return fmt.Errorf("%w: %v", errBadSignature, err)
	}
	if err := v.Verify(pub, cavageAlgorithm(p)); err == nil {
		return nil
	}
	if r.URL.RawQuery != "" {
		bare := r.Clone(r.Context())
		bare.URL.RawQuery = ""
		if v, err := httpsig.NewVerifier(bare); err == nil && v.Verify(pub, cavageAlgorithm(p)) == nil {
			return nil
		}
	}
	return errBadSignature
}
