package library

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// xssSeeds are classic attacks on Markdown renderers and HTML sanitisers.
var xssSeeds = []string{
	`<script>alert(1)</script>`,
	`[x](javascript:alert(1))`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x](java&#x09;script:alert(1))`,
	`![x](x" onerror="alert(1))`,
	`<img src=x onerror=alert(1)>`,
	`<a href="data:text/html,<script>alert(1)</script>">x</a>`,
	`<svg><script>alert(1)</script></svg>`,
	`<iframe src="https://evil.example"></iframe>`,
	"<style>body{}</style>\n\n**bold** _it_ ~~del~~ https://example.org",
	"| a | b |\n|---|---|\n| <b onclick=x>1</b> | 2 |",
	"<div style=\"background:url(javascript:x)\">x</div>",
	"<<script>script>alert(1)<</script>/script>",
}

// FuzzRenderMarkdown renders Markdown and sanitises HTML as the library does
// for members' text and remote content. Properties: the output, read as a
// browser reads it, has no script-capable element, no on* or style
// attribute, and no link or source whose scheme is not http, https or
// mailto; valid UTF-8 stays valid.
func FuzzRenderMarkdown(f *testing.F) {
	for _, s := range xssSeeds {
		f.Add(s)
	}
	paths, _ := filepath.Glob("../testdata/stories/*.txt")
	for _, p := range paths[:min(3, len(paths))] {
		b, _ := os.ReadFile(p)
		f.Add(string(b[:min(len(b), 2000)]))
	}
	f.Add(`<p>good morning i&apos;m up and at &apos;em</p>`) // a Mastodon Note's content (GoToSocial testrig)
	f.Fuzz(func(t *testing.T, src string) {
		for name, out := range map[string]string{"markdown": RenderMarkdown(src), "sanitised": SanitizeHTML(src)} {
			checkSafeHTML(t, name, out)
			if utf8.ValidString(src) && !utf8.ValidString(out) {
				t.Fatalf("%s output is not UTF-8", name)
			}
		}
		if p := PlainText(src); utf8.ValidString(src) && !utf8.ValidString(p) {
			t.Fatal("plain text is not UTF-8")
		}
	})
}

// unsafeElements can run script or change the page around the content.
var unsafeElements = map[string]bool{"script": true, "style": true, "iframe": true, "object": true, "embed": true,
	"form": true, "input": true, "button": true, "base": true, "meta": true, "link": true, "svg": true, "math": true,
	"frame": true, "frameset": true, "textarea": true, "select": true, "template": true, "noscript": true}

// urlAttributes hold a URL a browser follows or loads.
var urlAttributes = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "cite": true,
	"poster": true, "background": true, "srcset": true, "xlink:href": true, "data": true}

// checkSafeHTML parses out as a browser would and fails on anything that can run script.
func checkSafeHTML(t *testing.T, what, out string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%s output does not parse: %v", what, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if unsafeElements[n.Data] {
				t.Fatalf("%s output has <%s>: %q", what, n.Data, out)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" {
					t.Fatalf("%s output has attribute %s: %q", what, a.Key, out)
				}
				if urlAttributes[key] && !safeURL(a.Val) {
					t.Fatalf("%s output has %s=%q: %q", what, a.Key, a.Val, out)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// safeURL reports whether a browser would follow v only to http, https,
// mailto or a relative address. Browsers drop ASCII tabs and newlines and
// leading spaces and control characters before reading the scheme.
func safeURL(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.TrimLeft(v, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	colon := strings.IndexByte(v, ':')
	if colon < 0 || strings.ContainsAny(v[:colon], "/?#") {
		return true // relative
	}
	switch strings.ToLower(v[:colon]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}
