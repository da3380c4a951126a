package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBackupOfAServingNode backs up a node while it serves and writes, and
// restores the backup both ways the README's Operations section gives: with
// restore, and by hand (a new data folder, 0700, with the backup's
// commonplace.db, 0600); restore refuses a folder in use. The restored node
// starts, rebuilds its index, and holds every offer written before the
// backup began, as many as the backup's manifest counts, and its actor's key.
func TestBackupOfAServingNode(t *testing.T) {
	if os.Getenv("COMMONPLACE_TEST_POSTGRES") != "" {
		t.Skip("backup copies SQLite; on PostgreSQL, pg_dump does")
	}
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	srv := startServer(t, data, addr)
	key := fetchActivity(t, srv.base+"/orgs/riverside")["publicKey"] // made on first use

	var mu sync.Mutex
	var written []string // offers whose POST has been answered
	post := func(i int) {
		status, res := call(t, "POST", srv.base+"/api/v1/offers", token, fmt.Sprintf(`{"title": "Offer %d of the backup test", "visibility": "public"}`, i))
		if status != http.StatusCreated {
			t.Errorf("post %d: %d %v", i, status, res)
			return
		}
		mu.Lock()
		written = append(written, res["id"].(string))
		mu.Unlock()
	}
	for i := range 20 {
		post(i)
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() { // keeps writing while the backup runs
		defer close(done)
		for i := 20; ; i++ {
			select {
			case <-stop:
				return
			default:
				post(i)
			}
		}
	}()
	mu.Lock()
	before := append([]string(nil), written...)
	mu.Unlock()
	backup := filepath.Join(t.TempDir(), "backup")
	out := cli(t, "backup", "--data", data, "--out", backup)
	close(stop)
	<-done
	mu.Lock()
	t.Logf("%s(%d offers before the backup, %d at the end)", out, len(before), len(written))
	mu.Unlock()
	var m struct{ Rows map[string]int64 }
	raw, err := os.ReadFile(filepath.Join(backup, "backup.json"))
	if err == nil {
		err = json.Unmarshal(raw, &m)
	}
	if err != nil || m.Rows["listings"] < int64(len(before)) || m.Rows["federation_keys"] == 0 {
		t.Fatalf("manifest: %v %s", err, raw)
	}
	srv.stop()

	if out, err := runBinary("restore", "--from", backup, "--data", data); exitCode(err) != 1 || !strings.Contains(out, "not empty") {
		t.Errorf("a restore over the node's own folder: %v %s", err, out)
	}
	for _, how := range []string{"restore", "by hand"} {
		t.Run(how, func(t *testing.T) {
			restored := filepath.Join(t.TempDir(), "restored")
			if how == "restore" {
				cli(t, "restore", "--from", backup, "--data", restored)
			} else {
				if err := os.Mkdir(restored, 0o700); err != nil {
					t.Fatal(err)
				}
				copyFile(t, filepath.Join(backup, "commonplace.db"), filepath.Join(restored, "commonplace.db"))
			}
			checkRestored(t, startServer(t, restored, addr), before, key, m.Rows["listings"])
		})
	}
}

// checkRestored checks that a restored node holds the offers written before
// its backup, as many offers as the backup counted, and its actor's key.
func checkRestored(t *testing.T, srv *server, before []string, key any, listings int64) {
	t.Helper()
	defer srv.stop()
	for _, id := range before {
		if status, res := call(t, "GET", srv.base+"/api/v1/offers/"+id, "", ""); status != http.StatusOK {
			t.Errorf("offer %s written before the backup: %d %v", id, status, res)
		}
	}
	if got := fetchActivity(t, srv.base+"/orgs/riverside")["publicKey"]; key == nil || fmt.Sprint(got) != fmt.Sprint(key) {
		t.Errorf("the actor's key was not restored:\n before %v\n after  %v", key, got)
	}
	waitFor(t, 30*time.Second, "the restored index", func() bool {
		_, res := call(t, "GET", srv.base+"/api/v1/search?kind=offer", "", "")
		return res["total"] == float64(listings)
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
