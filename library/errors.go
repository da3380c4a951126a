package library

import (
	"errors"
	"fmt"
)

// Sentinel errors returned by the store; wrap them with %w and test with errors.Is.
var (
	// ErrNotFound means the object does not exist (or is not visible to the caller).
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input failed validation; the wrapping ValidationError names the field.
	ErrInvalid = errors.New("invalid input")
	// ErrForbidden means the caller may not act on the object.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict means the object already exists or its state does not allow the change.
	ErrConflict = errors.New("conflict")
	// ErrGone means the object existed and was deleted.
	ErrGone = errors.New("gone")
	// ErrBusy means the node has too much of this work in hand; try again shortly.
	ErrBusy = errors.New("busy")
)

// ValidationError names the field that failed validation and why.
type ValidationError struct {
	Field   string
	Message string
}

// Error says which field is wrong, in words a client can show.
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}

// Unwrap lets errors.Is(err, ErrInvalid) hold for every validation error.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Invalid returns a ValidationError for field.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}
