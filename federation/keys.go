package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// keyBits is the size of actor keys; Mastodon and GoToSocial expect RSA 2048.
const keyBits = 2048

// keyring holds the private keys of local actors. A key is made the first time
// an actor needs one and kept for good: remote servers cache public keys and
// refuse an actor whose key changed, so a key is never regenerated silently.
type keyring struct {
	db    *gorm.DB
	mu    sync.Mutex
	cache map[string]*localKey
}

// localKey is a local actor's key pair.
type localKey struct {
	KeyID     string
	Private   *rsa.PrivateKey
	PublicPEM string
}

func newKeyring(db *gorm.DB) *keyring { return &keyring{db: db, cache: map[string]*localKey{}} }

// keyRow is a row of federation_keys.
type keyRow struct {
	ActorID    string
	KeyID      string
	PrivatePEM string
	PublicPEM  string
}

// key returns the actor's key pair, making and storing it on first use.
func (k *keyring) key(ctx context.Context, actorID string) (*localKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if lk, ok := k.cache[actorID]; ok {
		return lk, nil
	}
	lk, err := k.load(ctx, actorID)
	if errors.Is(err, errNoKey) {
		if err := k.create(ctx, actorID); err != nil {
			return nil, err
		}
		lk, err = k.load(ctx, actorID)
	}
	if err != nil {
		return nil, err
	}
	k.cache[actorID] = lk
	return lk, nil
}

var errNoKey = errors.New("no key")

func (k *keyring) load(ctx context.Context, actorID string) (*localKey, error) {
	var rows []keyRow
	err := k.db.WithContext(ctx).Raw(`SELECT actor_id, key_id, private_pem, public_pem FROM federation_keys WHERE actor_id = ?`, actorID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("federation: read key of %s: %w", actorID, err)
	}
	if len(rows) == 0 {
		return nil, errNoKey
	}
	block, _ := pem.Decode([]byte(rows[0].PrivatePEM))
	if block == nil {
		return nil, fmt.Errorf("federation: key of %s is not PEM; refusing to replace it", actorID)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("federation: key of %s: %w; refusing to replace it", actorID, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("federation: key of %s is not RSA", actorID)
	}
	priv.Precompute()
	return &localKey{KeyID: rows[0].KeyID, Private: priv, PublicPEM: rows[0].PublicPEM}, nil
}

// create stores a new key; if another process stored one first, that one wins.
func (k *keyring) create(ctx context.Context, actorID string) error {
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return fmt.Errorf("federation: generate key: %w", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("federation: encode key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return fmt.Errorf("federation: encode key: %w", err)
	}
	privPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	err = k.db.WithContext(ctx).Exec(`INSERT INTO federation_keys (actor_id, key_id, private_pem, public_pem, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (actor_id) DO NOTHING`, actorID, actorID+"#main-key", string(privPEM), string(pubPEM), now()).Error
	if err != nil {
		return fmt.Errorf("federation: store key of %s: %w", actorID, err)
	}
	return nil
}

// parsePublicKey reads an RSA public key in PKIX or PKCS#1 PEM.
func parsePublicKey(pemText string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("public key is not PEM")
	}
	if pub, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		if rsaPub, ok := pub.(*rsa.PublicKey); ok {
			return checkPublicKey(rsaPub)
		}
		return nil, errors.New("public key is not RSA")
	}
	pub, err := x509.ParsePKCS1PublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	return checkPublicKey(pub)
}

// checkPublicKey refuses keys no server makes: an exponent of 1 (or even)
// makes any signature trivial to forge, and under 1024 bits is breakable.
func checkPublicKey(pub *rsa.PublicKey) (*rsa.PublicKey, error) {
	if pub.E < 3 || pub.E%2 == 0 || pub.N.BitLen() < 1024 {
		return nil, errors.New("public key is weak: it needs an odd exponent of at least 3 and 1024 bits or more")
	}
	return pub, nil
}
