package federation

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"testing"
)

// FuzzParsePublicKey reads a public key PEM as actors publish it.
// Properties: an accepted key has at least 1024 bits and an odd exponent
// of at least 3 (an exponent of 1 makes forging trivial), and survives writing out as PKIX and as PKCS#1 and reading back.
func FuzzParsePublicKey(f *testing.F) {
	for _, b := range seedFiles(f, "actors") {
		var doc struct {
			PublicKey struct {
				PublicKeyPem string `json:"publicKeyPem"`
			} `json:"publicKey"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			f.Fatal(err)
		}
		f.Add(doc.PublicKey.PublicKeyPem)
	}
	k := fuzzKey()
	f.Add(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.PublicKey)})))
	f.Fuzz(func(t *testing.T, text string) {
		pub, err := parsePublicKey(text)
		if err != nil {
			return
		}
		if pub.N.BitLen() < 1024 || pub.E < 3 || pub.E%2 == 0 {
			t.Fatalf("weak key accepted: %d bits, exponent %d", pub.N.BitLen(), pub.E)
		}
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatalf("accepted key does not encode: %v", err)
		}
		for _, b := range []*pem.Block{{Type: "PUBLIC KEY", Bytes: der}, {Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)}} {
			again, err := parsePublicKey(string(pem.EncodeToMemory(b)))
			if err != nil || !again.Equal(pub) {
				t.Fatalf("%s round trip: %v", b.Type, err)
			}
		}
	})
}
