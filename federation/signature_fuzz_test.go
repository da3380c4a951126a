package federation

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-fed/httpsig"
)

// fuzzKey is one RSA key for every fuzzer that signs; 1024 bits keeps each
// execution quick (the verifier does not care about the size).
var fuzzKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	return k
})

// paramToken is what a Cavage parameter name is in practice.
var paramToken = regexp.MustCompile(`^[a-z0-9()_-]+$`)

// FuzzSignatureParams parses a Cavage Signature header, and signs and
// verifies a request to a fuzzed path with a fuzzed body. Properties:
// parameter names are lower case; a header written back from the parameters
// parses to the same parameters; a genuine signature verifies, with its
// Digest, and the same signature over another body is refused.
func FuzzSignatureParams(f *testing.F) {
	for _, h := range seedLines(f, "signatures.txt") {
		f.Add(h, "users/username/inbox", []byte(`{"type":"Create"}`))
	}
	for _, b := range seedFiles(f, "activities") {
		f.Add(`keyId="https://x/u#main-key",signature="YWJj"`, "inbox", b)
	}
	key := fuzzKey()
	f.Fuzz(func(t *testing.T, header, path string, body []byte) {
		p := signatureParams(header)
		for k := range p {
			if strings.ToLower(k) != k {
				t.Fatalf("parameter %q is not lower case", k)
			}
		}
		checkParamsRoundTrip(t, p)
		r, _ := http.NewRequest(http.MethodPost, "https://node.example/inbox", nil)
		r.Header.Set("Signature", header)
		r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		if p, err := cavageSignature(r); err == nil {
			if p["keyid"] == "" || p["signature"] == "" {
				t.Fatalf("accepted without keyId or signature: %v", p)
			}
			if err := checkCavageHeaders(r, p, body); err == nil && !hasDigestOf(r.Header.Values("Digest"), body) {
				t.Fatalf("headers accepted without a digest of the body: %q", header)
			}
		}
		checkCavageRoundTrip(t, key, path, body)
	})
}

// checkParamsRoundTrip writes parameters back as name="value" and parses them again.
func checkParamsRoundTrip(t *testing.T, p map[string]string) {
	t.Helper()
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		if !paramToken.MatchString(k) || strings.Contains(p[k], `"`) {
			return
		}
		parts = append(parts, k+`="`+p[k]+`"`)
	}
	again := signatureParams(strings.Join(parts, ","))
	if !maps.Equal(p, again) {
		t.Fatalf("round trip: %v became %v", p, again)
	}
}

// checkCavageRoundTrip signs as Mastodon does and checks that we accept it.
func checkCavageRoundTrip(t *testing.T, key *rsa.PrivateKey, path string, body []byte) {
	t.Helper()
	u, err := url.Parse("https://node.example/" + path)
	if err != nil || u.Host != "node.example" {
		return
	}
	r, err := http.NewRequest(http.MethodPost, u.String(), nil)
	if err != nil {
		return
	}
	r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	r.Header.Set("Host", r.URL.Host)
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		[]string{httpsig.RequestTarget, "host", "date", "digest"}, httpsig.Signature, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := signer.SignRequest(key, "https://remote.example/users/a#main-key", r, body); err != nil {
		t.Fatalf("sign: %v", err)
	}
	p, err := cavageSignature(r)
	if err != nil {
		t.Fatalf("own signature does not parse: %v (%q)", err, r.Header.Get("Signature"))
	}
	if err := checkCavageHeaders(r, p, body); err != nil {
		t.Fatalf("genuine headers refused: %v", err)
	}
	if err := verifyCavage(r, p, &key.PublicKey); err != nil {
		t.Fatalf("genuine signature for %q refused: %v", r.URL.RequestURI(), err)
	}
	if err := checkCavageHeaders(r, p, append(slices.Clone(body), 'x')); !errors.Is(err, errBadDigest) {
		t.Fatalf("another body accepted: %v", err)
	}
}

// hasDigestOf reports whether any value carries the base64 SHA-256 or SHA-512 of body.
func hasDigestOf(values []string, body []byte) bool {
	s256, s512 := sha256.Sum256(body), sha512.Sum512(body)
	joined := strings.Join(values, ",")
	return strings.Contains(joined, base64.StdEncoding.EncodeToString(s256[:])) ||
		strings.Contains(joined, base64.StdEncoding.EncodeToString(s512[:]))
}

// FuzzDigest checks Digest (RFC 3230) and Content-Digest (RFC 9530) against
// a body. Properties: a header is accepted only if it carries the body's
// real digest; the genuine header of each algorithm is accepted, in either
// case of the algorithm name; the genuine header of another body is refused.
func FuzzDigest(f *testing.F) {
	for _, d := range seedLines(f, "digests.txt") {
		f.Add(d, []byte(`{"type":"Create"}`))
		f.Add(d, []byte("hello world"))
	}
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		if checkDigest([]string{header}, body) == nil && !hasDigestOf([]string{header}, body) {
			t.Fatalf("Digest %q accepted for a body it does not name", header)
		}
		if checkContentDigest(header, body) == nil && !hasDigestOf([]string{header}, body) {
			t.Fatalf("Content-Digest %q accepted for a body it does not name", header)
		}
		s256, s512 := sha256.Sum256(body), sha512.Sum512(body)
		other := append(slices.Clone(body), 0)
		for _, g := range []struct{ algo, sum string }{
			{"SHA-256", base64.StdEncoding.EncodeToString(s256[:])},
			{"sha-512", base64.StdEncoding.EncodeToString(s512[:])},
		} {
			if err := checkDigest([]string{g.algo + "=" + g.sum}, body); err != nil {
				t.Fatalf("genuine Digest %s refused: %v", g.algo, err)
			}
			if err := checkContentDigest(strings.ToLower(g.algo)+"=:"+g.sum+":", body); err != nil {
				t.Fatalf("genuine Content-Digest %s refused: %v", g.algo, err)
			}
			if checkDigest([]string{g.algo + "=" + g.sum}, other) == nil || checkContentDigest(g.algo+"=:"+g.sum+":", other) == nil {
				t.Fatalf("digest %s accepted for another body", g.algo)
			}
		}
	})
}
