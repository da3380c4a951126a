package federation

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SignForTest signs a request as a local actor, the Cavage way, as our deliveries do.
func (s *Service) SignForTest(ctx context.Context, r *http.Request, actorID string, body []byte) error {
	return s.signRequest(ctx, r, actorID, body)
}

// SignAtForTest signs with a chosen Date.
func (s *Service) SignAtForTest(ctx context.Context, r *http.Request, actorID string, body []byte, date time.Time) error {
	return s.signAt(ctx, r, actorID, body, date)
}

// SignMessageForTest signs a request as a local actor the RFC 9421 way.
func (s *Service) SignMessageForTest(ctx context.Context, r *http.Request, actorID string, body []byte) error {
	key, err := s.keys.key(ctx, actorID)
	if err != nil {
		return err
	}
	return signMessage(r, key.Private, key.KeyID, body)
}

// PublicKeyPEMForTest is a local actor's public key.
func (s *Service) PublicKeyPEMForTest(ctx context.Context, actorID string) (string, error) {
	key, err := s.keys.key(ctx, actorID)
	if err != nil {
		return "", err
	}
	return key.PublicPEM, nil
}

// DeliveriesForTest counts delivery rows by state.
func (s *Service) DeliveriesForTest(ctx context.Context, state string) int64 {
	var n int64
	s.db.WithContext(ctx).Table("federation_deliveries").Where("state = ?", state).Count(&n)
	return n
}

// InboxRowsForTest counts stored inbox activities.
func (s *Service) InboxRowsForTest(ctx context.Context) int64 {
	var n int64
	s.db.WithContext(ctx).Table("federation_inbox").Count(&n)
	return n
}

// CavageOptions say how SignCavageForTest signs: the headers covered, the
// Date header sent, the created and expires parameters (0: none) and text
// appended to the Signature header after signing.
type CavageOptions struct {
	Headers          []string
	Date             time.Time
	Created, Expires int64
	Appended         string
}

// SignCavageForTest signs a request the Cavage way with any RSA key, as a
// foreign server (or an attacker holding a captured request) might.
func SignCavageForTest(r *http.Request, key *rsa.PrivateKey, keyID string, body []byte, o CavageOptions) error {
	if o.Date.IsZero() {
		o.Date = time.Now()
	}
	if len(o.Headers) == 0 {
		o.Headers = []string{"(request-target)", "host", "date", "digest"}
	}
	r.Header.Set("Date", o.Date.UTC().Format(http.TimeFormat))
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	r.Header.Set("Host", r.Host)
	if body != nil {
		sum := sha256.Sum256(body)
		r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	}
	var lines []string
	for _, h := range o.Headers {
		switch h {
		case "(request-target)":
			lines = append(lines, h+": "+strings.ToLower(r.Method)+" "+r.URL.RequestURI())
		case "(created)":
			lines = append(lines, fmt.Sprintf("%s: %d", h, o.Created))
		case "(expires)":
			lines = append(lines, fmt.Sprintf("%s: %d", h, o.Expires))
		default:
			lines = append(lines, h+": "+r.Header.Get(h))
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return err
	}
	v := fmt.Sprintf(`keyId="%s",algorithm="hs2019",headers="%s"`, keyID, strings.Join(o.Headers, " "))
	if o.Created != 0 {
		v += fmt.Sprintf(",created=%d", o.Created)
	}
	if o.Expires != 0 {
		v += fmt.Sprintf(",expires=%d", o.Expires)
	}
	r.Header.Set("Signature", v+`,signature="`+base64.StdEncoding.EncodeToString(sig)+`"`+o.Appended)
	return nil
}

// KeyForTest is a local actor's private key and key id.
func (s *Service) KeyForTest(ctx context.Context, actorID string) (*rsa.PrivateKey, string, error) {
	key, err := s.keys.key(ctx, actorID)
	if err != nil {
		return nil, "", err
	}
	return key.Private, key.KeyID, nil
}

// SignMessageWithForTest signs the RFC 9421 way over the given components
// and parameters (the text after the inner list, e.g. `;created=1;keyid="k"`).
func SignMessageWithForTest(r *http.Request, key *rsa.PrivateKey, body []byte, components, params string) error {
	return signMessageWith(r, key, body, components, params)
}

// PruneInboxForTest prunes the inbox as it would be pruned at the time at.
func (s *Service) PruneInboxForTest(ctx context.Context, at time.Time) (int64, error) {
	return s.inbox.prune(ctx, at)
}

// ReplayWindow is how long inbox activity ids are remembered.
const ReplayWindow = replayWindow

// FetchForTest makes a signed GET, as fetching a remote object does.
func (s *Service) FetchForTest(ctx context.Context, url string) ([]byte, error) {
	body, _, err := s.fetcher.get(ctx, url, acceptAS, true)
	return body, err
}

// DeliverForTest posts a body to an inbox, signed by actorID, as a delivery does.
func (s *Service) DeliverForTest(ctx context.Context, inbox, actorID string, body []byte) (int, error) {
	code, _, err := s.fetcher.post(ctx, inbox, actorID, body)
	return code, err
}
