package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrgExportImport: an organisation written out by one node's CLI is
// read in by another's, with its offer under the same id; a second import,
// a file that is not an export and a missing handle are refused with a
// message and a non-zero exit, and change nothing.
func TestOrgExportImport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	from, to := t.TempDir(), t.TempDir()
	cli(t, "org", "create", "--data", from, "--base-url", "https://old.example", "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", from, "--base-url", "https://old.example", "--org", "riverside"))
	srv := startServer(t, from, freeAddr(t))
	status, offer := call(t, "POST", srv.base+"/api/v1/offers", token, `{"title": "Recruiting with the person", "body": "Our interview guide."}`)
	if status != http.StatusCreated {
		t.Fatalf("offer: %d %v", status, offer)
	}
	file := filepath.Join(t.TempDir(), "riverside.json")
	if out := cli(t, "org", "export", "--data", from, "--handle", "riverside", "--out", file); !strings.Contains(out, "1 offers and needs") {
		t.Fatalf("export: %s", out)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the export's mode: %v %v, want 0600", fi, err)
	}
	out := cli(t, "org", "import", "--data", to, "--base-url", "https://new.example", file)
	if !strings.Contains(out, "Imported @riverside") || !strings.Contains(out, "https://new.example/orgs/riverside") {
		t.Fatalf("import: %s", out)
	}
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"org", "import", "--data", to, file}, "already on this node"},
		{[]string{"org", "import", "--data", to, "../../go.mod"}, "not an organisation export"},
		{[]string{"org", "export", "--data", from, "--handle", "nobody", "--out", file + ".2"}, "no organisation @nobody"},
	} {
		out, err := runBinary(tc.args...)
		if err == nil || !strings.Contains(out, tc.says) {
			t.Errorf("%v: %v %q, want an error saying %q", tc.args, err, out, tc.says)
		}
	}
	srv2 := startServer(t, to, freeAddr(t))
	res, err := http.Get(srv2.base + "/api/v1/offers/" + offer["id"].(string))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the imported offer on the new node: %v %v", res, err)
	}
	res.Body.Close()
}
