package federation

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// messageSignature is an RFC 9421 signature as Mastodon sends it: one label,
// its covered components and parameters, and the signature bytes.
type messageSignature struct {
	components []string
	params     map[string]string
	rawInput   string // the inner list and parameters, exactly as signed
	signature  []byte
}

// parseMessageSignature reads the first member of Signature-Input and the
// matching member of Signature. Only one signature is supported, as in Mastodon.
func parseMessageSignature(r *http.Request) (*messageSignature, error) {
	input := r.Header.Get("Signature-Input")
	label, raw, ok := strings.Cut(strings.TrimSpace(input), "=")
	if !ok || !strings.HasPrefix(raw, "(") {
		return nil, fmt.Errorf("%w: malformed Signature-Input", errBadSignature)
	}
	raw = firstMember(raw)
	end := strings.IndexByte(raw, ')')
	if end < 0 {
		return nil, fmt.Errorf("%w: malformed Signature-Input", errBadSignature)
	}
	ms := &messageSignature{rawInput: raw, params: map[string]string{}}
	for _, item := range strings.Fields(raw[1:end]) {
		if !strings.HasPrefix(item, `"`) || !strings.HasSuffix(item, `"`) || len(item) < 2 {
			return nil, fmt.Errorf("%w: component parameters are not supported", errBadSignature)
		}
		ms.components = append(ms.components, strings.ToLower(item[1:len(item)-1]))
	}
	for _, p := range splitOutsideQuotes(raw[end+1:], ';') {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		if _, dup := ms.params[k]; dup {
			return nil, fmt.Errorf("%w: parameter %s is repeated", errBadSignature, k)
		}
		ms.params[k] = strings.Trim(v, `"`)
	}
	sig, err := signatureValue(r.Header.Get("Signature"), strings.TrimSpace(label))
	if err != nil {
		return nil, err
	}
	ms.signature = sig
	return ms, nil
}

// splitOutsideQuotes splits s at each sep that is not inside a quoted string.
func splitOutsideQuotes(s string, sep rune) []string {
	var out []string
	quoted, start := false, 0
	for i, c := range s {
		switch {
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// firstMember cuts a structured-field dictionary value at the first comma outside quotes.
func firstMember(s string) string {
	quoted := false
	for i, c := range s {
		switch {
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
}

// signatureValue finds label=:base64: in the Signature header.
func signatureValue(header, label string) ([]byte, error) {
	for _, member := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(member), "=")
		if ok && k == label && strings.HasPrefix(v, ":") && strings.HasSuffix(v, ":") && len(v) > 2 {
			b, err := base64.StdEncoding.DecodeString(v[1 : len(v)-1])
			if err != nil {
				return nil, fmt.Errorf("%w: signature is not base64", errBadSignature)
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("%w: no signature labelled %q", errBadSignature, label)
}

// check enforces Mastodon's requirements: created present and fresh, expires
// (when given) not passed, @method and @target-uri covered, the covered
// authority this node's, and for a request with a body a covered, matching
// Content-Digest. created and expires are parameters of the signature, which
// the signature base always covers (its @signature-params line).
func (ms *messageSignature) check(r *http.Request, body []byte, ownHost string) error {
	if ms.params["keyid"] == "" {
		return fmt.Errorf("%w: keyid is required", errBadSignature)
	}
	if err := checkCreated(ms.params["created"]); err != nil {
		return err
	}
	if exp, ok := ms.params["expires"]; ok {
		if err := checkExpires(exp); err != nil {
			return err
		}
	}
	covered := map[string]bool{}
	for _, c := range ms.components {
		covered[c] = true
	}
	if !covered["@method"] || !(covered["@target-uri"] || (covered["@authority"] && covered["@path"])) {
		return errWeakHeaders
	}
	// Both @target-uri and @authority are built from the request's host.
	if err := checkHost(r.Host, ownHost); err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if !covered["content-digest"] {
			return errWeakHeaders
		}
		return checkContentDigest(r.Header.Get("Content-Digest"), body)
	}
	return nil
}

// checkContentDigest compares an RFC 9530 Content-Digest with the body.
func checkContentDigest(header string, body []byte) error {
	for _, member := range strings.Split(header, ",") {
		algo, v, ok := strings.Cut(strings.TrimSpace(member), "=")
		if !ok || len(v) < 2 {
			continue
		}
		var sum []byte
		switch strings.ToLower(algo) {
		case "sha-256":
			s := sha256.Sum256(body)
			sum = s[:]
		case "sha-512":
			s := sha512.Sum512(body)
			sum = s[:]
		default:
			continue
		}
		got, err := base64.StdEncoding.DecodeString(strings.Trim(v, ":"))
		if err != nil || subtle.ConstantTimeCompare(got, sum) != 1 {
			return errBadDigest
		}
		return nil
	}
	return errBadDigest
}

// base builds the signature base of RFC 9421 section 2.5.
func (ms *messageSignature) base(r *http.Request, scheme string) (string, error) {
	var b strings.Builder
	for _, c := range ms.components {
		v, err := componentValue(r, scheme, c)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%q: %s\n", c, v)
	}
	fmt.Fprintf(&b, "\"@signature-params\": %s", ms.rawInput)
	return b.String(), nil
}

// componentValue is the value of one covered component.
func componentValue(r *http.Request, scheme, c string) (string, error) {
	switch c {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return scheme + "://" + strings.ToLower(r.Host) + r.URL.RequestURI(), nil
	case "@authority":
		return strings.ToLower(r.Host), nil
	case "@scheme":
		return scheme, nil
	case "@path":
		return r.URL.EscapedPath(), nil
	case "@query":
		return "?" + r.URL.RawQuery, nil
	case "@request-target":
		return r.URL.RequestURI(), nil
	}
	if strings.HasPrefix(c, "@") {
		return "", fmt.Errorf("%w: component %s is not supported", errBadSignature, c)
	}
	if c == "host" && r.Header.Get("Host") == "" {
		return strings.ToLower(r.Host), nil
	}
	vals := r.Header.Values(c)
	if len(vals) == 0 {
		return "", fmt.Errorf("%w: covered header %s is missing", errBadSignature, c)
	}
	for i := range vals {
		vals[i] = strings.TrimSpace(vals[i])
	}
	return strings.Join(vals, ", "), nil
}

// verifyMessageSignature checks the signature with an RSA public key:
// rsa-v1_5-sha256 (Mastodon's only algorithm, and the default) or rsa-pss-sha512.
func (ms *messageSignature) verify(r *http.Request, scheme string, pub *rsa.PublicKey) error {
	base, err := ms.base(r, scheme)
	if err != nil {
		return err
	}
	switch ms.params["alg"] {
	case "", "rsa-v1_5-sha256":
		sum := sha256.Sum256([]byte(base))
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], ms.signature)
	case "rsa-pss-sha512":
		sum := sha512.Sum512([]byte(base))
		err = rsa.VerifyPSS(pub, crypto.SHA512, sum[:], ms.signature, nil)
	default:
		return fmt.Errorf("%w: algorithm %s is not supported", errBadSignature, ms.params["alg"])
	}
	if err != nil {
		return errBadSignature
	}
	return nil
}

// signMessage signs a request the RFC 9421 way (label sig1, rsa-v1_5-sha256,
// covering @method, @target-uri and, with a body, Content-Digest), as Mastodon
// 4.5 does. Our own deliveries use the Cavage draft, which every server reads.
func signMessage(r *http.Request, key *rsa.PrivateKey, keyID string, body []byte) error {
	components := `"@method" "@target-uri"`
	if body != nil {
		components += ` "content-digest"`
	}
	return signMessageWith(r, key, body, components, fmt.Sprintf(`;created=%d;keyid="%s"`, time.Now().Unix(), keyID))
}

// signMessageWith signs over the given components and parameters, as written
// in Signature-Input after the inner list.
func signMessageWith(r *http.Request, key *rsa.PrivateKey, body []byte, components, params string) error {
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	if body != nil {
		sum := sha256.Sum256(body)
		r.Header.Set("Content-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":")
	}
	r.Header.Set("Signature-Input", "sig1=("+components+")"+params)
	ms, err := parseMessageSignature(withSignature(r, "sig1=:AA==:"))
	if err != nil {
		return err
	}
	base, err := ms.base(r, r.URL.Scheme)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(base))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return err
	}
	r.Header.Set("Signature", "sig1=:"+base64.StdEncoding.EncodeToString(sig)+":")
	return nil
}

func withSignature(r *http.Request, sig string) *http.Request {
	r.Header.Set("Signature", sig)
	return r
}
