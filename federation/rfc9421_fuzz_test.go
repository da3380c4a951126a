package federation

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzMessageSignature parses RFC 9421 Signature-Input and Signature
// headers, and signs and verifies a request to a fuzzed path with a fuzzed
// body. Properties: covered components are lower case; the signed input is
// part of the header; the signature base ends with the signed parameters;
// the key id seen by the inbox is the parsed one; a genuine signature
// verifies, and the same one over another body is refused.
func FuzzMessageSignature(f *testing.F) {
	lines := seedLines(f, "message-signatures.txt")
	for i := 0; i+1 < len(lines); i += 2 {
		f.Add(lines[i], lines[i+1], "users/username/inbox", []byte(`{"type":"Create"}`))
	}
	f.Fuzz(func(t *testing.T, input, sig, path string, body []byte) {
		r, _ := http.NewRequest(http.MethodPost, "https://node.example/inbox", nil)
		r.Header.Set("Signature-Input", input)
		r.Header.Set("Signature", sig)
		r.Header.Set("Content-Digest", "sha-256=:AAAA:")
		ms, err := parseMessageSignature(r)
		if err == nil {
			checkParsedMessage(t, r, ms, input, body)
		}
		checkMessageRoundTrip(t, path, body)
	})
}

func checkParsedMessage(t *testing.T, r *http.Request, ms *messageSignature, input string, body []byte) {
	t.Helper()
	for _, c := range ms.components {
		if strings.ToLower(c) != c {
			t.Fatalf("component %q is not lower case", c)
		}
	}
	if !strings.Contains(input, ms.rawInput) {
		t.Fatalf("signed input %q is not in the header %q", ms.rawInput, input)
	}
	if base, err := ms.base(r, "https"); err == nil && !strings.HasSuffix(base, `"@signature-params": `+ms.rawInput) {
		t.Fatalf("base does not end with the signed parameters: %q", base)
	}
	if got := keyIDOf(r); got != ms.params["keyid"] {
		t.Fatalf("inbox reads key id %q, parser %q", got, ms.params["keyid"])
	}
	_ = ms.check(r, body) // must not panic; refusals are judged by the round trip
}

// checkMessageRoundTrip signs as Mastodon 4.5 does and checks that we accept it.
func checkMessageRoundTrip(t *testing.T, path string, body []byte) {
	t.Helper()
	u, err := url.Parse("https://node.example/" + path)
	if err != nil || u.Host != "node.example" {
		return
	}
	r, err := http.NewRequest(http.MethodPost, u.String(), nil)
	if err != nil {
		return
	}
	priv := fuzzKey()
	if err := signMessage(r, priv, "https://remote.example/users/a#main-key", body); err != nil {
		t.Fatalf("sign: %v", err)
	}
	ms, err := parseMessageSignature(r)
	if err != nil {
		t.Fatalf("own signature does not parse: %v", err)
	}
	if err := ms.check(r, body); err != nil {
		t.Fatalf("genuine signature refused by check: %v", err)
	}
	if err := ms.verify(r, "https", &priv.PublicKey); err != nil {
		t.Fatalf("genuine signature for %q refused: %v", r.URL.RequestURI(), err)
	}
	if ms.check(r, append(slices.Clone(body), 'x')) == nil {
		t.Fatal("another body accepted")
	}
}
