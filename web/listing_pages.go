package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/themes"
)

const pageSize = 30

func (h listingHandlers) heading() string {
	if h.kind == library.Offer {
		return "Can share"
	}
	return "Want to learn"
}

func (h listingHandlers) listPage(c echo.Context) error {
	page := max(atoi(c.QueryParam("page")), 1)
	items, err := h.s.store.Listings(c.Request().Context(), library.ListingQuery{Kind: h.kind, Viewer: viewer(c),
		Limit: pageSize + 1, Offset: (page - 1) * pageSize})
	if err != nil {
		return err
	}
	data := map[string]any{"Kind": h.kind, "Items": items}
	if len(items) > pageSize {
		data["Items"], data["Next"] = items[:pageSize], page+1
	}
	if page > 1 {
		data["Prev"] = page - 1
	}
	return h.s.render(c, http.StatusOK, "listings", h.heading(), data)
}

func (h listingHandlers) page(c echo.Context) error {
	if h.s.objects != nil && h.s.objects.WantsActivity(c.Request()) {
		return h.activity(c)
	}
	l, err := h.s.shownListing(c, h.kind, c.Param("id"))
	if err != nil {
		return err
	}
	canEdit := account(c) != nil && l.Local && account(c).CanEdit(l.OrgID)
	data := map[string]any{"Listing": l, "CanEdit": canEdit}
	if err := h.s.addNeedEvents(c, l, data); err != nil {
		return err
	}
	return h.s.render(c, http.StatusOK, "listing", l.Title, data)
}

// activity answers the listing in ActivityStreams; federation decides who may read it.
func (h listingHandlers) activity(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := h.s.store.Listing(ctx, h.kind, c.Param("id"))
	if errors.Is(err, library.ErrGone) {
		d, derr := h.s.store.DeletedListing(ctx, h.kind, c.Param("id"))
		if derr != nil {
			return derr
		}
		return h.s.objects.ServeGone(c, d.APID, "Note", d.DeletedAt.Time)
	}
	if err != nil {
		return err
	}
	if err := movedAway(l); err != nil {
		return err
	}
	return h.s.objects.ServeListing(c, l)
}

// listingForm is what the offer and need form shows and re-shows after an error.
type listingForm struct {
	Kind                                  library.ListingKind
	Action, Submit, Error, Org            string
	Title, Body, Status, Visibility       string
	ExpiresAt                             string
	Themes, Formats, Languages, Countries []string
	Orgs                                  []library.Organization
	Topics                                []themes.Theme
	AllFormats, AllStatuses               []string
}

func (h listingHandlers) form(c echo.Context, f listingForm) (listingForm, error) {
	f.Kind, f.Topics, f.AllFormats, f.AllStatuses = h.kind, themes.ByKind(themes.KindTopic), library.Formats, library.Statuses
	if a := account(c); a.Role == library.RoleCoordinator {
		local := true
		orgs, err := h.s.store.Organizations(c.Request().Context(), library.OrganizationQuery{Local: &local, Limit: 1000})
		if err != nil {
			return f, err
		}
		f.Orgs = orgs
	}
	return f, nil
}

func (h listingHandlers) showForm(c echo.Context, status int, title string, f listingForm) error {
	f, err := h.form(c, f)
	if err != nil {
		return err
	}
	return h.s.render(c, status, "listing_form", title, f)
}

func (h listingHandlers) newPage(c echo.Context) error {
	return h.showForm(c, http.StatusOK, "Post "+article(h.kind), listingForm{
		Action: "/" + h.kind.Plural(), Submit: "Post", Status: "open", Visibility: "public", Languages: []string{"en"},
	})
}

func (h listingHandlers) editPage(c echo.Context) error {
	l, err := h.owned(c)
	if err != nil {
		return err
	}
	f := listingForm{Action: "/" + h.kind.Plural() + "/" + l.ID, Submit: "Save changes",
		Title: l.Title, Body: l.Body, Status: l.Status, Visibility: l.Visibility, Formats: l.Formats,
		Languages: l.Languages, Countries: l.Countries}
	if !l.ThemesInferred {
		f.Themes = l.Themes
	}
	if l.ExpiresAt != nil {
		f.ExpiresAt = l.ExpiresAt.Format("2006-01-02")
	}
	return h.showForm(c, http.StatusOK, "Edit "+string(h.kind), f)
}

func (h listingHandlers) create(c echo.Context) error {
	f, in := readListingForm(c)
	f.Action, f.Submit = "/"+h.kind.Plural(), "Post"
	orgID := ""
	if a := account(c); a.OrgID != nil {
		orgID = *a.OrgID
	} else if org, err := h.s.store.OrganizationByHandle(c.Request().Context(), f.Org); err == nil {
		orgID = org.ID
	}
	if orgID == "" {
		f.Error = "Choose the organisation this is for."
		return h.showForm(c, http.StatusUnprocessableEntity, "Post "+article(h.kind), f)
	}
	l, err := h.s.store.CreateListing(c.Request().Context(), h.kind, orgID, in)
	if errors.Is(err, library.ErrInvalid) {
		f.Error = err.Error()
		return h.showForm(c, http.StatusUnprocessableEntity, "Post "+article(h.kind), f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/"+h.kind.Plural()+"/"+l.ID)
}

func (h listingHandlers) update(c echo.Context) error {
	l, err := h.owned(c)
	if err != nil {
		return err
	}
	f, in := readListingForm(c)
	f.Action, f.Submit = "/"+h.kind.Plural()+"/"+l.ID, "Save changes"
	_, err = h.s.store.UpdateListing(c.Request().Context(), h.kind, l.ID, in)
	if errors.Is(err, library.ErrInvalid) {
		f.Error = err.Error()
		return h.showForm(c, http.StatusUnprocessableEntity, "Edit "+string(h.kind), f)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/"+h.kind.Plural()+"/"+l.ID)
}

func (h listingHandlers) delete(c echo.Context) error {
	l, err := h.owned(c)
	if err != nil {
		return err
	}
	if err := h.s.store.DeleteListing(c.Request().Context(), h.kind, l.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}

// readListingForm turns the posted form into an input that sets every field.
func readListingForm(c echo.Context) (listingForm, library.ListingInput) {
	form, _ := c.FormParams()
	f := listingForm{
		Org: form.Get("org"), Title: form.Get("title"), Body: form.Get("body"), Status: form.Get("status"),
		Visibility: form.Get("visibility"), ExpiresAt: form.Get("expires_at"),
		Themes: append([]string{}, form["themes"]...), Formats: append([]string{}, form["formats"]...),
		Languages: splitList(form.Get("languages")), Countries: splitList(form.Get("countries")),
	}
	in := library.ListingInput{Title: &f.Title, Body: &f.Body, Themes: &f.Themes, Formats: &f.Formats,
		Languages: &f.Languages, Countries: &f.Countries, Status: nonEmpty(&f.Status), Visibility: nonEmpty(&f.Visibility)}
	in.ExpiresAt.Set = true
	if t, err := time.Parse("2006-01-02", f.ExpiresAt); err == nil {
		end := t.Add(24*time.Hour - time.Second)
		in.ExpiresAt.Time = &end
	} else if f.ExpiresAt != "" {
		in.ExpiresAt.Set = false
	}
	return f, in
}

// nonEmpty leaves a choice the form did not send as it is.
func nonEmpty(s *string) *string {
	if *s == "" {
		return nil
	}
	return s
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		out = append(out, p)
	}
	return out
}

func article(k library.ListingKind) string {
	if k == library.Offer {
		return "an offer"
	}
	return "a need"
}
