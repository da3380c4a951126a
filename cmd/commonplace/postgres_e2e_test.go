package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library/testdb"
)

// sinkActor is a remote follower whose inbox counts what arrives, by
// activity id and by the id of the object created.
type sinkActor struct {
	*remoteActor
	mu       sync.Mutex
	accepted bool
	byID     map[string]int
	byObject map[string]int
}

func newSinkActor(t *testing.T) *sinkActor {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s := &sinkActor{remoteActor: &remoteActor{key: key}, byID: map[string]int{}, byObject: map[string]int{}}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pubPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			s.receive(r.Body)
			w.WriteHeader(http.StatusAccepted)
		case r.URL.Path == "/users/zed":
			w.Header().Set("Content-Type", "application/activity+json")
			_ = json.NewEncoder(w).Encode(map[string]any{
				"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
				"id":       s.actor(), "type": "Person", "preferredUsername": "zed", "inbox": s.actor() + "/inbox",
				"publicKey": map[string]string{"id": s.actor() + "#main-key", "owner": s.actor(), "publicKeyPem": pubPEM}})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *sinkActor) receive(body io.Reader) {
	var a struct {
		ID     string          `json:"id"`
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if err := json.NewDecoder(body).Decode(&a); err != nil {
		return
	}
	var obj struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(a.Object, &obj)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch a.Type {
	case "Accept":
		s.accepted = true
	case "Create":
		s.byID[a.ID]++
		s.byObject[obj.ID]++
	}
}

// counts are the distinct Creates received and those received more than once.
func (s *sinkActor) counts() (distinct int, twice []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, n := range s.byID {
		if n > 1 {
			twice = append(twice, id)
		}
	}
	for id, n := range s.byObject {
		if n > 1 {
			twice = append(twice, id)
		}
	}
	return len(s.byObject), twice
}

// TestTwoServeProcessesOnOnePostgres is issue 15's acceptance 2: two serve
// processes on one PostgreSQL database, 1,000 outgoing activities, each
// arriving once at a loopback follower. One process serves a database at a
// time: the second is refused with an error naming the holder while the
// first runs, then, started after the first stopped in the middle of the
// deliveries, takes over the queue without sending anything again.
func TestTwoServeProcessesOnOnePostgres(t *testing.T) {
	if testing.Short() || !testdb.Postgres() {
		t.Skip("needs COMMONPLACE_TEST_POSTGRES; starts the binary")
	}
	const total = 1000
	dataA, dataB, addr := t.TempDir(), t.TempDir(), freeAddr(t)
	base := "http://" + addr
	cli(t, "org", "create", "--data", dataA, "--base-url", base, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", dataA, "--base-url", base, "--org", "riverside"))
	a := startServer(t, dataA, addr, "--insecure-local-federation")
	sink := newSinkActor(t)
	follow, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": sink.actor() + "/follows/1", "type": "Follow", "actor": sink.actor(), "object": base + "/orgs/riverside"})
	if code, msg := answer(t, http.DefaultClient, signedInbox(t, base, "", sink.key, sink.actor()+"#main-key", follow, time.Now())); code != http.StatusAccepted {
		t.Fatalf("follow: %d %s", code, msg)
	}
	waitFor(t, 30*time.Second, "the follow accepted", func() bool { sink.mu.Lock(); defer sink.mu.Unlock(); return sink.accepted })

	// The same database from another data folder, as a second machine would run it.
	second := func(extra ...string) *exec.Cmd {
		cmd := exec.Command(binary, append([]string{"serve", "--data", dataB, "--addr", addr, "--base-url", base, "--insecure-local-federation"}, extra...)...)
		cmd.Env = append(os.Environ(), "COMMONPLACE_DATABASE_URL="+testdb.Known(dataA))
		return cmd
	}
	out, err := second().CombinedOutput()
	if err == nil || !strings.Contains(string(out), "another commonplace serve process is running on this database") {
		t.Fatalf("a second serve on the same database: %v\n%s", err, out)
	}

	start := time.Now()
	posted := make(chan error, total)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < total; i += 8 {
				posted <- postOffer(base, token, fmt.Sprintf("Offer %d", i))
			}
		}(w)
	}
	wg.Wait()
	close(posted)
	t.Logf("%d offers posted in %s", total, time.Since(start).Round(time.Millisecond))
	for err := range posted {
		if err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 60*time.Second, "some deliveries", func() bool { n, _ := sink.counts(); return n >= 100 })
	stopWithin(t, a, 30*time.Second)
	got, _ := sink.counts()
	t.Logf("%d of %d delivered when the first process stopped, after %s", got, total, time.Since(start).Round(time.Millisecond))

	b := &server{cmd: second(), base: base, out: a.out}
	b.cmd.Stdout, b.cmd.Stderr = b.out, b.out
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.stop()
		if t.Failed() {
			t.Logf("the processes' logs:\n%s", b.out)
		}
	})
	waitFor(t, 120*time.Second, "every activity delivered", func() bool { n, _ := sink.counts(); return n >= total })
	t.Logf("all delivered after %s", time.Since(start).Round(time.Millisecond))
	admin := lastLine(cli(t, "token", "create", "--data", dataA, "--base-url", base, "--admin"))
	waitFor(t, 30*time.Second, "an empty queue", func() bool {
		_, st := call(t, "GET", base+"/api/v1/admin/federation", admin, "")
		return fmt.Sprint(st["backlog"]) == "0"
	})
	// Every activity arrives, once: a POST under way when the first process
	// stops is let finish and recorded, so the second never makes it again.
	n, twice := sink.counts()
	if n != total || len(twice) > 0 {
		t.Fatalf("%d distinct activities of %d, %d ids received more than once (%v)", n, total, len(twice), twice[:min(len(twice), 5)])
	}
}

// stopWithin stops s as stop does, and fails with its goroutines when it
// has not stopped within d.
func stopWithin(t *testing.T, s *server, d time.Duration) {
	t.Helper()
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(d):
		_ = s.cmd.Process.Signal(syscall.SIGQUIT)
		<-done
		t.Fatalf("serve did not stop within %s:\n%s", d, s.out)
	}
}

// postOffer creates a public offer through the API.
func postOffer(base, token, title string) error {
	req, _ := http.NewRequest("POST", base+"/api/v1/offers", strings.NewReader(fmt.Sprintf(`{"title": %q, "body": "Shared by the test.", "visibility": "public"}`, title)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("post %s: %d %s", title, res.StatusCode, b)
	}
	return nil
}
