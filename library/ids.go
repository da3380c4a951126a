package library

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/oklog/ulid/v2"
)

// NewID returns a URL-safe identifier that sorts by creation time (a lowercase ULID).
func NewID() string { return strings.ToLower(ulid.Make().String()) }

// newSecret returns a random token for a link, a session or an API client.
func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("library: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is what the database keeps of a secret, so a copy of it grants nothing.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
