package federation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedDir holds the samples of real traffic the fuzzers start from; its
// README says where each came from.
const seedDir = "../testdata/fuzz"

// seedFiles returns the contents of every file in seedDir/sub.
func seedFiles(f *testing.F, sub string) [][]byte {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join(seedDir, sub, "*.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds in %s/%s: %v", seedDir, sub, err)
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// seedLines returns the lines of seedDir/name, without blanks and # comments.
func seedLines(f *testing.F, name string) []string {
	f.Helper()
	b, err := os.ReadFile(filepath.Join(seedDir, name))
	if err != nil {
		f.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// goldenFiles are our own node's documents (testdata/federation), which
// exercise the Commonplace mappings.
func goldenFiles(f *testing.F) [][]byte {
	f.Helper()
	paths, _ := filepath.Glob("../testdata/federation/*.json")
	var out [][]byte
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	return out
}
