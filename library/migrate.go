package library

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Migration is one described step of a component's schema; steps never change once released.
type Migration struct {
	Description string
	Up          func(tx *gorm.DB) error
}

// Migrate applies the steps of component that have not run yet, each in its own
// transaction, and records them in schema_migrations. Each package that owns
// tables (library, federation, search) keeps its own ordered list.
func Migrate(ctx context.Context, db *gorm.DB, component string, steps []Migration) error {
	err := db.WithContext(ctx).Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL, PRIMARY KEY (component, version))`).Error
	if err != nil {
		return fmt.Errorf("library: migrations table: %w", err)
	}
	var done int64
	err = db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM schema_migrations WHERE component = ?`, component).Scan(&done).Error
	if err != nil {
		return fmt.Errorf("library: read migrations: %w", err)
	}
	for i := int(done); i < len(steps); i++ {
		step := steps[i]
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if applied, err := lockMigrations(tx, component, i); err != nil || applied {
				return err
			}
			if err := step.Up(tx); err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (?, ?, ?, ?)`,
				component, i+1, step.Description, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("library: migration %s %d (%s): %w", component, i+1, step.Description, err)
		}
	}
	return nil
}

// lockMigrations makes processes that migrate one PostgreSQL schema at the
// same time (two nodes starting) take turns: it waits for the others'
// transactions, then says whether step i was applied meanwhile. SQLite's
// immediate transactions already take turns, and the count read before
// the step is current there.
func lockMigrations(tx *gorm.DB, component string, i int) (applied bool, err error) {
	if !IsPostgres(tx) {
		return false, nil
	}
	if err := tx.Exec(`SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))`, migrationLockClass).Error; err != nil {
		return false, err
	}
	var n int64
	err = tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE component = ? AND version = ?`, component, i+1).Scan(&n).Error
	return n > 0, err
}

// migrationLockClass is the first key of the migrations' advisory lock ("Cmnm").
const migrationLockClass = 0x436d6e6d

// AutoIncrement is the column definition of an auto-incrementing integer key in db's dialect.
func AutoIncrement(db *gorm.DB) string {
	if IsPostgres(db) {
		return "BIGSERIAL PRIMARY KEY"
	}
	return "INTEGER PRIMARY KEY AUTOINCREMENT"
}

// execAll runs statements in order, stopping at the first error.
func execAll(tx *gorm.DB, stmts ...string) error {
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return err
		}
	}
	return nil
}
