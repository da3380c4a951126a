package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds each page's template, parsed once with the layout.
type pages struct{ byName map[string]*template.Template }

// view is what every page template receives.
type view struct {
	Title   string
	Account *library.Account
	CSRF    string
	Version string
	Data    any
	// Waiting is what waits for the staff member's organisation, counted
	// in the menu.
	Waiting library.Waiting
}

// langTag is what lang may write: a BCP 47 tag, letters, digits and hyphens.
var langTag = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

var templateFuncs = template.FuncMap{
	"themeLabel": func(slug string) string {
		if t, ok := themes.Lookup(slug); ok {
			return t.Label("en")
		}
		return slug
	},
	"html": func(s string) template.HTML { return template.HTML(library.SanitizeHTML(s)) },
	"date": func(t time.Time) string { return t.Format("2 January 2006") },
	"isodate": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"join": strings.Join,
	// lang marks content written in another language than the page's
	// English: lang="fr" for a French need (WCAG 3.1.2).
	"lang": func(langs []string) template.HTMLAttr {
		if len(langs) == 0 || langs[0] == "en" || !langTag.MatchString(langs[0]) {
			return ""
		}
		return template.HTMLAttr(`lang="` + langs[0] + `"`)
	},
	"contains": func(list []string, v string) bool { return containsString(list, v) },
	"title":    func(s string) string { return strings.ToUpper(s[:1]) + s[1:] },
	// consentForm gathers what the objectConsent form needs.
	"consentForm": func(segment, id, noun string, indexable bool, csrf string) map[string]any {
		return map[string]any{"Segment": segment, "ID": id, "Noun": noun, "Indexable": indexable, "CSRF": csrf}
	},
}

func mustParsePages() *pages {
	p := &pages{byName: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		p.byName[name] = template.Must(template.New("layout.html").Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/_*.html", n))
	}
	return p
}

// render writes a page; a template failure is logged and becomes a plain 500.
func (s *Server) render(c echo.Context, status int, name, title string, data any) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	csrf, _ := c.Get("csrf").(string)
	v := view{Title: title, Account: account(c), CSRF: csrf, Version: s.cfg.Version, Data: data}
	if a := v.Account; a != nil && a.OrgID != nil {
		w, err := s.store.WaitingFor(c.Request().Context(), *a.OrgID)
		if err != nil {
			return err
		}
		v.Waiting = w
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		s.log.Error("render page", "page", name, "error", err)
		return c.String(http.StatusInternalServerError, "internal error")
	}
	return c.HTML(status, b.String())
}

func (s *Server) static(c echo.Context) error {
	sub, _ := fs.Sub(staticFS, "static")
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(sub))))(c)
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
