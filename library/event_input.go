package library

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// EventInput is a create or a partial update of an event; nil fields are left as they are.
type EventInput struct {
	Title *string `json:"title"`
	Body  *string `json:"body"`
	// Start and End are RFC 3339 times; a time without an offset
	// ("2026-05-04T10:00") is read in Timezone, as a browser form sends it.
	Start    *string `json:"start"`
	End      *string `json:"end"`
	Timezone *string `json:"timezone"`
	// OnlineURL is the link to join online; "" removes it.
	OnlineURL *string `json:"online_url"`
	// Place is where it happens in person; null removes it.
	Place     Optional[Place] `json:"place"`
	Themes    *[]string       `json:"themes"`
	Languages *[]string       `json:"languages"`
	// Capacity is the number of places; 0 means unlimited.
	Capacity *int    `json:"capacity"`
	JoinMode *string `json:"join_mode"`
	// RegistrationDeadline is a time like Start; null removes it.
	RegistrationDeadline Optional[string] `json:"registration_deadline"`
	Status               *string          `json:"status"`
	Visibility           *string          `json:"visibility"`
}

// Optional is a field of a partial update that tells a JSON null (Set, Value
// nil: remove it) from an absent field (not Set: leave it).
type Optional[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON records that the field was present, refusing unknown fields inside it.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = nil
		return nil
	}
	var v T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// Some is an Optional that sets a value.
func Some[T any](v T) Optional[T] { return Optional[T]{Set: true, Value: &v} }

// localTimeLayouts are the offset-less forms a browser's datetime-local field sends.
var localTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

// parseEventTime reads an RFC 3339 time, or a wall-clock time in loc.
func parseEventTime(field, v string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return inEventYears(field, t)
	}
	for _, layout := range localTimeLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return inEventYears(field, FirstWallClock(t))
		}
	}
	return time.Time{}, Invalid(field, "must be an RFC 3339 time, like 2026-12-01T10:00:00+01:00")
}

// inEventYears refuses times before 1970 or after 9999: before, zones used
// local mean time, whose offsets in seconds RFC 3339 cannot write back; past
// 9999 (in UTC, as stored) a time does not encode as JSON at all.
func inEventYears(field string, t time.Time) (time.Time, error) {
	if y := t.UTC().Year(); y < 1970 || y > 9999 {
		return time.Time{}, Invalid(field, "must be between the years 1970 and 9999")
	}
	return t, nil
}

// FirstWallClock returns the first instant that shows t's wall-clock time in
// t's zone. When clocks go back, a wall-clock time happens twice; RFC 5545
// means the first, and so do we.
func FirstWallClock(t time.Time) time.Time {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t
	}
	_, before := start.Add(-time.Second).Zone()
	_, after := t.Zone()
	if d := time.Duration(before-after) * time.Second; d > 0 {
		const wall = "2006-01-02T15:04:05"
		if earlier := t.Add(-d); earlier.Format(wall) == t.Format(wall) {
			return earlier
		}
	}
	return t
}

// LoadZone checks an IANA time zone name, like Europe/London.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" {
		return nil, Invalid("timezone", "is required: an IANA time zone, like Europe/London")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Invalid("timezone", "unknown time zone %q (use an IANA name, like Europe/London)", name)
	}
	return loc, nil
}

// apply validates the input and writes it onto e; e is untouched when it fails.
func (in EventInput) apply(e *Event, defaultLang string, creating bool) error {
	next := *e
	steps := []func(*Event, bool) error{in.applyText, in.applyTimes, in.applyWhere, in.applyChoices}
	for _, step := range steps {
		if err := step(&next, creating); err != nil {
			return err
		}
	}
	if err := in.applyLists(&next, defaultLang); err != nil {
		return err
	}
	*e = next
	return nil
}

func (in EventInput) applyText(e *Event, creating bool) error {
	return applyText(in.Title, in.Body, creating, &e.Title, &e.Body, &e.ContentHTML)
}

func (in EventInput) applyTimes(e *Event, creating bool) error {
	if creating || in.Timezone != nil {
		loc, err := LoadZone(trimmed(in.Timezone))
		if err != nil {
			return err
		}
		e.Timezone = loc.String()
	}
	loc := e.Location()
	for _, f := range []struct {
		name string
		in   *string
		out  *time.Time
	}{{"start", in.Start, &e.Start}, {"end", in.End, &e.End}} {
		if f.in == nil {
			if creating {
				return Invalid(f.name, "is required")
			}
			continue
		}
		t, err := parseEventTime(f.name, *f.in, loc)
		if err != nil {
			return err
		}
		*f.out = t.Truncate(time.Second)
	}
	if !e.End.After(e.Start) {
		return Invalid("end", "must be after the start")
	}
	if in.RegistrationDeadline.Set {
		e.RegistrationDeadline = nil
		if v := in.RegistrationDeadline.Value; v != nil && strings.TrimSpace(*v) != "" {
			t, err := parseEventTime("registration_deadline", *v, loc)
			if err != nil {
				return err
			}
			e.RegistrationDeadline = &t
		}
	}
	if d := e.RegistrationDeadline; d != nil && d.After(e.End) {
		return Invalid("registration_deadline", "must be before the end of the event")
	}
	return nil
}

func (in EventInput) applyWhere(e *Event, creating bool) error {
	if in.OnlineURL != nil {
		e.OnlineURL = strings.TrimSpace(*in.OnlineURL)
		if e.OnlineURL != "" {
			u, err := url.Parse(e.OnlineURL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return Invalid("online_url", "must be an http:// or https:// link")
			}
		}
	}
	if in.Place.Set {
		e.Place = Place{}
		if p := in.Place.Value; p != nil {
			e.Place = Place{Name: strings.TrimSpace(p.Name), Address: strings.TrimSpace(p.Address),
				Country: strings.ToUpper(strings.TrimSpace(p.Country))}
		}
	}
	p := e.Place
	switch {
	case len([]rune(p.Name)) > MaxTitle || len([]rune(p.Address)) > 1000:
		return Invalid("place", "name must be at most %d characters, address at most 1000", MaxTitle)
	case !p.IsZero() && p.Name == "" && p.Address == "":
		return Invalid("place", "needs a name or an address")
	case e.OnlineURL == "" && p.IsZero():
		return Invalid("place", "give an online link (online_url), a place, or both")
	}
	if p.Country != "" {
		if err := validCountry(p.Country); err != nil {
			return Invalid("place", "country: %v", err)
		}
	}
	return nil
}

func (in EventInput) applyChoices(e *Event, _ bool) error {
	if in.Capacity != nil {
		if *in.Capacity < 0 || *in.Capacity > MaxCapacity {
			return Invalid("capacity", "must be between 0 (unlimited) and %d", MaxCapacity)
		}
		e.Capacity = *in.Capacity
	}
	for _, f := range []struct {
		name    string
		in      *string
		out     *string
		allowed []string
	}{
		{"join_mode", in.JoinMode, &e.JoinMode, JoinModes},
		{"status", in.Status, &e.Status, EventStatuses},
		{"visibility", in.Visibility, &e.Visibility, Visibilities},
	} {
		if f.in == nil {
			continue
		}
		v, err := oneOf(f.name, []string{*f.in}, f.allowed...)
		if err != nil {
			return err
		}
		*f.out = v[0]
	}
	return nil
}

func (in EventInput) applyLists(e *Event, defaultLang string) error {
	if in.Languages != nil {
		langs, err := normaliseLanguages("languages", *in.Languages)
		if err != nil {
			return err
		}
		e.Languages = langs
	}
	if len(e.Languages) == 0 {
		e.Languages = []string{defaultLang}
	}
	return applyThemes(in.Themes, in.Title != nil || in.Body != nil, e.Title, e.Body, e.Languages[0], &e.Themes, &e.ThemesInferred)
}
