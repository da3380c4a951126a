package library

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// live returns the row of T that matches, with its organisation; ErrGone when
// it was deleted (so its IRI answers 410), ErrNotFound when it never existed.
func live[T any](ctx context.Context, s *Store, what string, where string, args ...any) (*T, error) {
	var row T
	err := s.db.WithContext(ctx).Preload("Org").Where(where, args...).First(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if s.deleted(ctx, new(T), where, args...) {
			return nil, fmt.Errorf("library: %s: %w", what, ErrGone)
		}
		return nil, fmt.Errorf("library: %s: %w", what, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library: %s: %w", what, err)
	}
	return &row, nil
}

// copyFields are the fields every remote copy has, as pointers into it.
type copyFields struct {
	ID                                *string
	APID, OrgID                       string
	Local                             bool
	Deleted                           bool
	CreatedAt, PublishedAt, UpdatedAt *time.Time
}

// remoteCopy is a library object that can be a copy of a remote one.
type remoteCopy[T any] interface {
	*T
	fields() copyFields
}

// upsertRemote stores or refreshes the copy of a remote object, keyed by its
// ap_id. Only the actor that owns a copy may change it, and a deleted copy
// stays deleted. adopt, when not nil, carries state over from the copy
// already held (nil when there is none).
func upsertRemote[T any, P remoteCopy[T]](ctx context.Context, s *Store, obj P, kind ObjectKind, adopt func(existing P)) error {
	f := obj.fields()
	now := time.Now().UTC()
	return s.write(ctx, func(tx *gorm.DB) error {
		existing := P(new(T))
		err := tx.Unscoped().Where("ap_id = ?", f.APID).First(existing).Error
		op := OpUpdate
		switch ef := existing.fields(); {
		case errors.Is(err, gorm.ErrRecordNotFound):
			*f.ID, *f.CreatedAt, op, existing = NewID(), now, OpCreate, nil
		case err != nil:
			return err
		case ef.Local || ef.OrgID != f.OrgID:
			return fmt.Errorf("%w: %s belongs to another actor", ErrForbidden, f.APID)
		case ef.Deleted:
			return fmt.Errorf("%w: %s was deleted", ErrGone, f.APID)
		default:
			*f.ID, *f.CreatedAt = *ef.ID, *ef.CreatedAt
		}
		if adopt != nil {
			adopt(existing)
		}
		if f.PublishedAt.IsZero() {
			*f.PublishedAt = now
		}
		*f.UpdatedAt = now
		// Save would insert a new row without running the BeforeSave hook.
		write := tx.Omit("Org").Save
		if op == OpCreate {
			write = tx.Omit("Org").Create
		}
		if err := write(obj).Error; err != nil {
			return err
		}
		return recordChange(tx, kind, *f.ID, op)
	})
}

func (l *Listing) fields() copyFields {
	return copyFields{&l.ID, l.APID, l.OrgID, l.Local, l.DeletedAt.Valid, &l.CreatedAt, &l.PublishedAt, &l.UpdatedAt}
}

func (st *Story) fields() copyFields {
	return copyFields{&st.ID, st.APID, st.OrgID, st.Local, st.DeletedAt.Valid, &st.CreatedAt, &st.PublishedAt, &st.UpdatedAt}
}

func (e *Event) fields() copyFields {
	return copyFields{&e.ID, e.APID, e.OrgID, e.Local, e.DeletedAt.Valid, &e.CreatedAt, &e.PublishedAt, &e.UpdatedAt}
}

// first returns the first row of T that matches (deleted rows too when
// unscoped), with its organisation unless unscoped; ErrNotFound when none does.
func first[T any](ctx context.Context, s *Store, unscoped bool, what, where string, args ...any) (*T, error) {
	var row T
	tx := s.db.WithContext(ctx)
	if unscoped {
		tx = tx.Unscoped()
	} else {
		tx = tx.Preload("Org")
	}
	err := tx.Where(where, args...).First(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("library: %s: %w", what, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library: %s: %w", what, err)
	}
	return &row, nil
}
