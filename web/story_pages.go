package web

import (
	"errors"
	"html"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/anonymise"
	"github.com/citizen-network/commonplace/themes"
)

// storyForm is what the story form and the review page show; the raw text
// travels only between the author's browser and the anonymiser, never to storage.
type storyForm struct {
	Action, Error, Org               string
	Title, Summary, Body, Visibility string
	Themes, Groups, Features         []string
	Languages, Countries, Keep       []string
	AddText                          string
	Orgs                             []library.Organization
	Topics, AllGroups, AllFeatures   []themes.Theme
	Preview                          *library.StoryPreview
	Marked                           template.HTML
	Replacements                     []anonymise.Redaction
}

func (s *Server) storiesPage(c echo.Context) error {
	items, err := s.store.Stories(c.Request().Context(), library.StoryQuery{Viewer: viewer(c), Limit: 100})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "stories", "Stories", map[string]any{"Items": items})
}

// StoryServer is what an ObjectServer also implements to answer ActivityPub
// requests for stories (asked for by type assertion, like EventServer).
type StoryServer interface {
	ServeStory(c echo.Context, st *library.Story) error
}

func (s *Server) storyPage(c echo.Context) error {
	if ap, ok := s.objects.(StoryServer); ok && s.objects.WantsActivity(c.Request()) {
		return s.storyActivity(c, ap)
	}
	st, err := s.shownStory(c, c.Param("id"))
	if err != nil {
		return err
	}
	canEdit := account(c) != nil && st.Local && account(c).CanEdit(st.OrgID)
	return s.render(c, http.StatusOK, "story", st.Title, map[string]any{"Story": st, "CanEdit": canEdit})
}

// storyActivity answers the story in ActivityStreams; federation decides who may read it.
func (s *Server) storyActivity(c echo.Context, ap StoryServer) error {
	ctx := c.Request().Context()
	st, err := s.store.Story(ctx, c.Param("id"))
	if errors.Is(err, library.ErrGone) {
		d, derr := s.store.DeletedStory(ctx, c.Param("id"))
		if derr != nil {
			return derr
		}
		return s.objects.ServeGone(c, d.APID, "Article", d.DeletedAt.Time)
	}
	if err != nil {
		return err
	}
	if err := movedAway(st); err != nil {
		return err
	}
	return ap.ServeStory(c, st)
}

func (s *Server) showStoryForm(c echo.Context, status int, name, title string, f storyForm) error {
	f.Topics, f.AllGroups = themes.ByKind(themes.KindTopic), themes.ByKind(themes.KindGroup)
	f.AllFeatures = append(themes.ByKind(themes.KindFeature), themes.ByKind(themes.KindElement)...)
	if account(c).Role == library.RoleCoordinator {
		local := true
		orgs, err := s.store.Organizations(c.Request().Context(), library.OrganizationQuery{Local: &local, Limit: 1000})
		if err != nil {
			return err
		}
		f.Orgs = orgs
	}
	return s.render(c, status, name, title, f)
}

func (s *Server) newStoryPage(c echo.Context) error {
	return s.showStoryForm(c, http.StatusOK, "story_form", "Write a story", storyForm{Action: "/stories/review", Visibility: "public", Languages: []string{"en"}})
}

// readStoryForm reads the posted form into the form and the store's input.
func readStoryForm(c echo.Context) (storyForm, library.StoryInput) {
	form, _ := c.FormParams()
	f := storyForm{Org: form.Get("org"), Title: form.Get("title"), Summary: form.Get("summary"), Body: form.Get("body"),
		Visibility: form.Get("visibility"), Themes: append([]string{}, form["themes"]...), Groups: append([]string{}, form["groups"]...),
		Features: append([]string{}, form["features"]...), Languages: splitList(form.Get("languages")),
		Countries: splitList(form.Get("countries")), Keep: form["keep"], AddText: form.Get("add")}
	in := library.StoryInput{Title: &f.Title, Summary: &f.Summary, Body: &f.Body, Themes: &f.Themes, Groups: &f.Groups,
		Features: &f.Features, Languages: &f.Languages, Countries: &f.Countries, Visibility: nonEmpty(&f.Visibility), Keep: f.Keep}
	for _, line := range strings.Split(f.AddText, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Add = append(in.Add, anonymise.Addition{Text: line, Kind: "custom"})
		}
	}
	return f, in
}

// reviewStory shows every replacement the anonymiser proposes, before anything is stored.
func (s *Server) reviewStory(c echo.Context) error {
	f, in := readStoryForm(c)
	f.Action = "/stories/review"
	p, err := s.store.PreviewStory(in)
	if errors.Is(err, library.ErrInvalid) {
		f.Error = err.Error()
		return s.showStoryForm(c, http.StatusUnprocessableEntity, "story_form", "Write a story", f)
	}
	if err != nil {
		return err
	}
	f.Preview, f.Marked, f.Replacements = &p, markReplacements(p.Body, p.Redactions), distinctRedactions(p.Redactions)
	return s.showStoryForm(c, http.StatusOK, "story_review", "Check the anonymised story", f)
}

func (s *Server) createStory(c echo.Context) error {
	f, in := readStoryForm(c)
	orgID := ""
	if a := account(c); a.OrgID != nil {
		orgID = *a.OrgID
	} else if org, err := s.store.OrganizationByHandle(c.Request().Context(), f.Org); err == nil {
		orgID = org.ID
	}
	if orgID == "" {
		f.Error, f.Action = "Choose the organisation this story is from.", "/stories/review"
		return s.showStoryForm(c, http.StatusUnprocessableEntity, "story_form", "Write a story", f)
	}
	st, err := s.store.CreateStory(c.Request().Context(), orgID, in)
	if errors.Is(err, library.ErrInvalid) {
		f.Error, f.Action = err.Error(), "/stories/review"
		return s.showStoryForm(c, http.StatusUnprocessableEntity, "story_form", "Write a story", f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/stories/"+st.ID)
}

func (s *Server) deleteStory(c echo.Context) error {
	st, err := s.ownedStory(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteStory(c.Request().Context(), st.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}

// distinctRedactions lists each original once, for the author to undo.
func distinctRedactions(rs []anonymise.Redaction) []anonymise.Redaction {
	seen := map[string]bool{}
	var out []anonymise.Redaction
	for _, r := range rs {
		if !seen[r.Original] {
			seen[r.Original] = true
			out = append(out, r)
		}
	}
	return out
}

// markReplacements escapes the anonymised text and highlights each replacement with its kind.
func markReplacements(text string, rs []anonymise.Redaction) template.HTML {
	kinds := map[string]string{}
	for _, r := range rs {
		kinds[r.Replacement] = string(r.Kind)
	}
	reps := make([]string, 0, len(kinds))
	for rep := range kinds {
		reps = append(reps, rep)
	}
	sort.Slice(reps, func(i, j int) bool { return len(reps[i]) > len(reps[j]) })
	var b strings.Builder
	for i := 0; i < len(text); {
		matched := ""
		for _, rep := range reps {
			if rep != "" && strings.HasPrefix(text[i:], rep) {
				matched = rep
				break
			}
		}
		if matched == "" {
			b.WriteString(html.EscapeString(text[i : i+1]))
			i++
			continue
		}
		b.WriteString(`<mark title="` + html.EscapeString(kinds[matched]) + `">` + html.EscapeString(matched) +
			`<span class="visually-hidden"> (` + html.EscapeString(strings.ReplaceAll(kinds[matched], "_", " ")) + `)</span></mark>`)
		i += len(matched)
	}
	return template.HTML(strings.ReplaceAll(b.String(), "\n", "<br>"))
}
