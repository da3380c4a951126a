package federation_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-fed/httpsig"
)

// fediDouble behaves as Mastodon and GoToSocial document: it signs its GETs
// (Cavage, keyId ending in /main-key like GoToSocial) and requires ours to be
// signed except for its key; it posts with application/ld+json; profile=...
// and RFC 9421 signatures (Mastodon 4.5); it does not wrap single values in
// arrays; it embeds our Follow in its Accept; and it looks us up by WebFinger
// with the port in the host.
type fediDouble struct {
	t    *testing.T
	srv  *httptest.Server
	key  *rsa.PrivateKey
	user string

	mu       sync.Mutex
	received []map[string]any
	refused  []string
}

func newFediDouble(t *testing.T) *fediDouble {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	d := &fediDouble{t: t, key: key, user: "alice"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/webfinger", d.webfinger)
	mux.HandleFunc("GET /users/alice", d.actor)
	mux.HandleFunc("GET /users/alice/main-key", d.keyStub)
	mux.HandleFunc("POST /users/alice/inbox", d.inbox)
	d.srv = httptest.NewServer(mux)
	t.Cleanup(d.srv.Close)
	return d
}

func (d *fediDouble) actorID() string { return d.srv.URL + "/users/alice" }
func (d *fediDouble) keyID() string   { return d.actorID() + "/main-key" }
func (d *fediDouble) host() string    { u, _ := url.Parse(d.srv.URL); return u.Host }

func (d *fediDouble) publicPEM() string {
	der, _ := x509.MarshalPKIXPublicKey(&d.key.PublicKey)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func (d *fediDouble) webfinger(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("resource") != "acct:alice@"+d.host() {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	fmt.Fprintf(w, `{"subject":"acct:alice@%s","links":[{"rel":"self","type":"application/activity+json","href":%q}]}`, d.host(), d.actorID())
}

// actor requires a signed GET, as GoToSocial and Mastodon's secure mode do.
func (d *fediDouble) actor(w http.ResponseWriter, r *http.Request) {
	if _, err := d.verify(r, nil); err != nil {
		d.refuse(w, "unsigned or bad GET of actor: "+err.Error())
		return
	}
	d.writeAS(w, map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       d.actorID(), "type": "Person", "preferredUsername": "alice", "name": "Alice (support worker)",
		"inbox": d.actorID() + "/inbox", "outbox": d.actorID() + "/outbox",
		"followers": d.actorID() + "/followers", "following": d.actorID() + "/following",
		"manuallyApprovesFollowers": false, "discoverable": true,
		"publicKey": map[string]any{"id": d.keyID(), "owner": d.actorID(), "publicKeyPem": d.publicPEM()},
	})
}

// keyStub is GoToSocial's partial actor at the key URL, served unsigned.
func (d *fediDouble) keyStub(w http.ResponseWriter, _ *http.Request) {
	d.writeAS(w, map[string]any{
		"@context": []any{"https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"},
		"id":       d.actorID(), "type": "Person", "preferredUsername": "alice",
		"publicKey": map[string]any{"id": d.keyID(), "owner": d.actorID(), "publicKeyPem": d.publicPEM()},
	})
}

func (d *fediDouble) inbox(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/activity+json") && !strings.HasPrefix(ct, "application/ld+json") {
		d.refuse(w, "content type "+ct)
		return
	}
	signer, err := d.verify(r, body)
	if err != nil {
		d.refuse(w, "bad POST signature: "+err.Error())
		return
	}
	var act map[string]any
	if err := json.Unmarshal(body, &act); err != nil || act["actor"] != signer {
		d.refuse(w, "actor is not the signer")
		return
	}
	d.mu.Lock()
	d.received = append(d.received, act)
	d.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
	if act["type"] == "Follow" {
		go d.accept(act)
	}
}

func (d *fediDouble) refuse(w http.ResponseWriter, why string) {
	d.mu.Lock()
	d.refused = append(d.refused, why)
	d.mu.Unlock()
	http.Error(w, why, http.StatusUnauthorized)
}

// verify checks a Cavage signature the way GoToSocial does, fetching the
// signer's key with a signed GET; it returns the key's owner.
func (d *fediDouble) verify(r *http.Request, body []byte) (string, error) {
	v, err := httpsig.NewVerifier(r)
	if err != nil {
		return "", err
	}
	headers := r.Header.Get("Signature")
	need := "(request-target) host date"
	if body != nil {
		need += " digest"
		sum := sha256.Sum256(body)
		if r.Header.Get("Digest") != "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]) {
			return "", fmt.Errorf("digest does not match")
		}
	}
	if !strings.Contains(headers, `headers="`+need+`"`) {
		return "", fmt.Errorf("signed headers are not %q: %s", need, headers)
	}
	if r.Header.Get("User-Agent") == "" {
		return "", fmt.Errorf("no User-Agent (GoToSocial answers 418)")
	}
	var doc struct {
		ID        string `json:"id"`
		PublicKey struct {
			ID    string `json:"id"`
			Owner string `json:"owner"`
			PEM   string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := d.getJSON(v.KeyId(), &doc); err != nil {
		return "", err
	}
	block, _ := pem.Decode([]byte(doc.PublicKey.PEM))
	if block == nil {
		return "", fmt.Errorf("no key at %s", v.KeyId())
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return "", err
	}
	return doc.PublicKey.Owner, v.Verify(pub, httpsig.RSA_SHA256)
}

// getJSON makes a GET signed like GoToSocial's, and insists on an ActivityStreams answer.
func (d *fediDouble) getJSON(iri string, v any) error {
	req, _ := http.NewRequest("GET", strings.Split(iri, "#")[0], nil)
	req.Header.Set("Accept", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	d.sign(req, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode != 200 || !(strings.HasPrefix(ct, "application/activity+json") || strings.HasPrefix(ct, "application/ld+json")) {
		return fmt.Errorf("GET %s: %d %s", iri, resp.StatusCode, ct)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// sign signs a GET the Cavage way (GoToSocial).
func (d *fediDouble) sign(r *http.Request, body []byte) {
	r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	r.Header.Set("Host", r.URL.Host)
	r.Header.Set("User-Agent", "gotosocial-double/0.20")
	signer, _, _ := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		[]string{httpsig.RequestTarget, "host", "date"}, httpsig.Signature, 0)
	_ = signer.SignRequest(d.key, d.keyID(), r, body)
}

// post sends an activity with an RFC 9421 signature, as Mastodon 4.5 does.
func (d *fediDouble) post(inbox string, act map[string]any) int {
	body, _ := json.Marshal(act)
	req, _ := http.NewRequest("POST", inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	req.Header.Set("User-Agent", "mastodon-double/4.5")
	sum := sha256.Sum256(body)
	req.Header.Set("Content-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":")
	params := fmt.Sprintf(`("@method" "@target-uri" "content-digest");created=%d;keyid="%s"`, time.Now().Unix(), d.keyID())
	base := fmt.Sprintf("\"@method\": POST\n\"@target-uri\": %s\n\"content-digest\": %s\n\"@signature-params\": %s",
		inbox, req.Header.Get("Content-Digest"), params)
	h := sha256.Sum256([]byte(base))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, d.key, crypto.SHA256, h[:])
	req.Header.Set("Signature-Input", "sig1="+params)
	req.Header.Set("Signature", "sig1=:"+base64.StdEncoding.EncodeToString(sig)+":")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// accept answers a Follow with an Accept that embeds it, as GoToSocial does.
func (d *fediDouble) accept(follow map[string]any) {
	var actor struct {
		Inbox     string            `json:"inbox"`
		Endpoints map[string]string `json:"endpoints"`
	}
	if err := d.getJSON(follow["actor"].(string), &actor); err != nil {
		d.t.Error(err)
		return
	}
	inbox := actor.Inbox
	if s := actor.Endpoints["sharedInbox"]; s != "" {
		inbox = s // GoToSocial sends everything to the shared inbox when there is one
	}
	d.post(inbox, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": d.actorID() + "#accepts/1",
		"type": "Accept", "actor": d.actorID(), "object": follow, "to": follow["actor"]})
}

func (d *fediDouble) find(typ string) map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, a := range d.received {
		if a["type"] == typ {
			return a
		}
	}
	return nil
}

func (d *fediDouble) writeAS(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(v)
}

// TestMastodonLikeFollower: a Mastodon/GoToSocial-like server follows an
// organisation, is accepted, reads its next offer as a Note, and is followed back.
func TestMastodonLikeFollower(t *testing.T) {
	n := newNode(t, "a")
	org := n.org("riverside", "Riverside Support", "GB")
	d := newFediDouble(t)

	// WebFinger with the port in the host, then a signed fetch of the actor.
	var jrd struct {
		Links []struct{ Rel, Type, Href string } `json:"links"`
	}
	resp, err := http.Get(n.URL + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:riverside@"+n.host()))
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&jrd)
	resp.Body.Close()
	if len(jrd.Links) == 0 || jrd.Links[0].Href != org.APID || jrd.Links[0].Type != "application/activity+json" {
		t.Fatalf("webfinger self link: %+v", jrd)
	}
	var actor struct {
		ID        string            `json:"id"`
		Endpoints map[string]string `json:"endpoints"`
	}
	if err := d.getJSON(org.APID, &actor); err != nil || actor.ID != org.APID {
		t.Fatalf("actor fetch: %v %+v", err, actor)
	}

	follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": d.actorID() + "#follows/1",
		"type": "Follow", "actor": d.actorID(), "object": org.APID}
	if code := d.post(actor.Endpoints["sharedInbox"], follow); code != http.StatusAccepted {
		t.Fatalf("Follow answered %d", code)
	}
	eventually(t, 10*time.Second, "Accept at the double", func() bool { return d.find("Accept") != nil })
	if obj, ok := d.find("Accept")["object"].(map[string]any); !ok || obj["id"] != follow["id"] {
		t.Fatalf("Accept does not embed the Follow: %v", d.find("Accept"))
	}

	offer := n.post("offer", org, "Recruiting personal assistants with the person", "We share our interview guide.", "public", "personnel")
	eventually(t, 10*time.Second, "Create at the double", func() bool { return d.find("Create") != nil })
	note, _ := d.find("Create")["object"].(map[string]any)
	if note["type"] != "Note" || note["id"] != offer.APID || note["attributedTo"] != org.APID ||
		!strings.Contains(note["content"].(string), "Recruiting personal assistants") {
		t.Fatalf("the double cannot read the offer as a post: %v", note)
	}

	if code, body := n.api("POST", "/api/v1/follows", map[string]string{"org": "riverside", "account": "alice@" + d.host()}); code != http.StatusAccepted {
		t.Fatalf("follow back: %d %s", code, body)
	}
	eventually(t, 10*time.Second, "our Follow accepted", func() bool {
		var page struct {
			Items any `json:"orderedItems"`
		}
		resp, err := http.Get(org.APID + "/following?page=1")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		_ = json.NewDecoder(resp.Body).Decode(&page)
		return fmt.Sprint(page.Items) == d.actorID() || fmt.Sprint(page.Items) == "["+d.actorID()+"]"
	})
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.refused) > 0 {
		t.Fatalf("the double refused our requests: %v", d.refused)
	}
}
