package search

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

func TestSnippet(t *testing.T) {
	idx, err := bleve.NewUsing("", buildMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	long := strings.Repeat("Nothing to see in this part of the text. ", 10)
	tests := []struct {
		name, words, text string
		want              []string // in the snippet
		not               []string
	}{
		{"marks and escapes", "families", "Support for families & carers <at home>",
			[]string{"<mark>families</mark>", "&amp;", "&lt;at home&gt;"}, []string{"…"}},
		{"accents and case folded", "ECOLE", "Une école inclusive à Montréal.", []string{"<mark>école</mark>"}, nil},
		{"the densest part of a long text", "housing tenancy",
			long + "Our housing team supports each tenancy from the start. " + long,
			[]string{"<mark>housing</mark>", "<mark>tenancy</mark>", "…"}, nil},
		{"nothing found", "payroll", "Support for families.", nil, []string{"<mark>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := newMarker(idx, tc.words).snippet(tc.text)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("snippet %q lacks %q", got, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("snippet %q has %q", got, w)
				}
			}
			if !utf8.ValidString(got) || len(got) > fragmentSize+100 {
				t.Errorf("snippet %q: invalid or too long (%d bytes)", got, len(got))
			}
		})
	}
}
