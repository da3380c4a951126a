package library

import (
	"bytes"
	"html"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table))
	policy   = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()
)

// RenderMarkdown turns a member's Markdown into sanitised HTML.
func RenderMarkdown(src string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return SanitizeHTML("<p>" + bluemonday.StrictPolicy().Sanitize(src) + "</p>")
	}
	return SanitizeHTML(buf.String())
}

// SanitizeHTML keeps the safe subset of HTML; remote content passes through it too.
func SanitizeHTML(html string) string { return policy.Sanitize(html) }

// PlainText strips all markup and decodes entities, for snippets and inference;
// the result is text, to be escaped again wherever it is shown as HTML.
func PlainText(s string) string { return html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s)) }
