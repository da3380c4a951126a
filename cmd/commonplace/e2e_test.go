package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library/testdb"
)

// binary is the commonplace command built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "commonplace-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "commonplace")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary and returns its output; it fails the test on a non-zero exit.
func cli(t testing.TB, args ...string) string {
	t.Helper()
	out, err := command(t, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("commonplace %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is a running `commonplace serve` process.
type server struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer
}

// startServer runs serve on the data folder and waits for /healthz.
func startServer(t testing.TB, data, addr string, extra ...string) *server {
	t.Helper()
	base := "http://" + addr
	args := append([]string{"serve", "--data", data, "--addr", addr, "--base-url", base}, extra...)
	s := &server{cmd: command(t, args...), base: base, out: &bytes.Buffer{}}
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("serve did not become healthy:\n%s", s.out)
	return nil
}

func (s *server) stop() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		_ = s.cmd.Wait()
	}
}

// call sends a JSON request and decodes the JSON answer.
func call(t testing.TB, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: not JSON (%d): %s", method, url, res.StatusCode, raw)
		}
	}
	return res.StatusCode, out
}

func runBinary(args ...string) (string, error) {
	cmd := exec.Command(binary, args...)
	if u := testdb.Known(dataArg(args)); u != "" {
		cmd.Env = append(os.Environ(), "COMMONPLACE_DATABASE_URL="+u)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// command runs the binary on the database of its --data folder: SQLite
// there, or the PostgreSQL schema library/testdb gives that folder when
// COMMONPLACE_TEST_POSTGRES is set.
func command(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, args...)
	if dir := dataArg(args); dir != "" {
		if u := testdb.URL(t, dir); u != "" {
			cmd.Env = append(os.Environ(), "COMMONPLACE_DATABASE_URL="+u)
		}
	}
	return cmd
}

// dataArg is the value of --data in args, or "".
func dataArg(args []string) string {
	for i, a := range args {
		if a == "--data" && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--data="); ok {
			return v
		}
	}
	return ""
}
