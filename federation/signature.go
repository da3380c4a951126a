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

// Errors of signature verification; the inbox answers 401 to all of them.
var (
	errUnsigned     = errors.New("the request is not signed")
	errBadSignature = errors.New("the signature does not verify")
	errBadDigest    = errors.New("the digest does not match the body")
	errStaleDate    = errors.New("the signed date is missing or more than 12 hours off")
	errWeakHeaders  = errors.New("the signature must cover (request-target), host and date, and digest for a POST")
	errWrongHost    = errors.New("the request was signed for another host")
)

// maxClockSkew is how far a signed Date may be from now (Mastodon uses 12 hours).
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
	if body != nil {
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
	if p["keyid"] == "" || p["signature"] == "" {
		return nil, fmt.Errorf("%w: keyId and signature are required", errBadSignature)
	}
	return p, nil
}

// checkCavageHeaders enforces what must be signed, the Date and the Digest.
func checkCavageHeaders(r *http.Request, p map[string]string, body []byte) error {
	signed := map[string]bool{}
	for _, h := range strings.Fields(strings.ToLower(p["headers"])) {
		signed[h] = true
	}
	if !signed["(request-target)"] || !signed["host"] || !(signed["date"] || signed["(created)"]) {
		return errWeakHeaders
	}
	if err := checkSignedTimes(r, p, signed); err != nil {
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

// checkSignedTimes judges a Cavage request's age only from values the
// signature covers: the Date header when date is signed, the created and
// expires parameters only when (created) and (expires) are in the signed
// list. An unsigned created="<now>" appended to a captured signature is
// never read, so an old request cannot be made to look new.
func checkSignedTimes(r *http.Request, p map[string]string, signed map[string]bool) error {
	if signed["date"] {
		if err := checkDate(r.Header.Get("Date"), ""); err != nil {
			return err
		}
	}
	if signed["(created)"] {
		if p["created"] == "" {
			return errStaleDate
		}
		if err := checkDate("", p["created"]); err != nil {
			return err
		}
	}
	if signed["(expires)"] {
		secs, err := strconv.ParseInt(p["expires"], 10, 64)
		if err != nil || time.Now().Unix() > secs {
			return errStaleDate
		}
	}
	return nil
}

// checkDate refuses a request whose Date (or created time) is more than 12 hours off.
func checkDate(date, created string) error {
	var t time.Time
	if created != "" {
		var secs int64
		if _, err := fmt.Sscan(created, &secs); err != nil {
			return errStaleDate
		}
		t = time.Unix(secs, 0)
	} else {
		parsed, err := http.ParseTime(date)
		if err != nil {
			return errStaleDate
		}
		t = parsed
	}
	if d := time.Since(t); d > maxClockSkew || d < -maxClockSkew {
		return errStaleDate
	}
	return nil
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
