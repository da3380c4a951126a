// Package dump copies a node's whole database: to a file (Export, Import),
// to another database (Copy), or to a consistent SQLite file beside a
// running node (Backup). It knows no table by name: the tables and their
// order come from the migrations of the node's components, run on an
// in-memory SQLite database (Tables).
package dump

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/citizen-network/commonplace/library"
)

// ErrNotEmpty is returned when the target of an import or a copy already holds data.
var ErrNotEmpty = errors.New("the target database is not empty")

// Component is one package's ordered migrations, as the node applies them.
type Component struct {
	Name  string
	Steps []library.Migration
}

// Table is one table of the schema and the component whose migrations create it.
type Table struct {
	Name      string
	Component string
}

// Tables lists the tables the schema's migrations create, each after the
// tables its foreign keys refer to, so that rows can be loaded in this order.
func Tables(ctx context.Context, schema []Component) ([]Table, error) {
	db, err := gorm.Open(sqlite.Open("file::memory:?_foreign_keys=on"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, fmt.Errorf("dump: schema database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("dump: schema database: %w", err)
	}
	defer sqlDB.Close()
	sqlDB.SetMaxOpenConns(1) // one connection: the in-memory database is per connection
	db = db.WithContext(ctx)
	var out []Table
	for _, c := range schema {
		for i, step := range c.Steps {
			if err := db.Transaction(step.Up); err != nil {
				return nil, fmt.Errorf("dump: schema %s %d (%s): %w", c.Name, i+1, step.Description, err)
			}
			names, err := db.Migrator().GetTables()
			if err != nil {
				return nil, fmt.Errorf("dump: schema tables: %w", err)
			}
			out = slices.DeleteFunc(out, func(t Table) bool { return !slices.Contains(names, t.Name) })
			for _, n := range names {
				if strings.HasPrefix(n, "sqlite_") {
					continue // SQLite's own, such as sqlite_sequence
				}
				if !slices.ContainsFunc(out, func(t Table) bool { return t.Name == n }) {
					out = append(out, Table{Name: n, Component: c.Name})
				}
			}
		}
	}
	return orderByReferences(db, out)
}

// orderByReferences puts each table after those it refers to, keeping the
// order of creation otherwise. The in-memory database is this package's own,
// so its catalogue is read with SQLite's pragma.
func orderByReferences(db *gorm.DB, tables []Table) ([]Table, error) {
	refs := map[string][]string{}
	for _, t := range tables {
		var fks []struct{ Table string }
		if err := db.Raw(`SELECT "table" FROM pragma_foreign_key_list(?)`, t.Name).Scan(&fks).Error; err != nil {
			return nil, fmt.Errorf("dump: references of %s: %w", t.Name, err)
		}
		for _, fk := range fks {
			if fk.Table != t.Name {
				refs[t.Name] = append(refs[t.Name], fk.Table)
			}
		}
	}
	var out []Table
	placed := map[string]bool{}
	var place func(t Table, path []string) error
	place = func(t Table, path []string) error {
		if placed[t.Name] {
			return nil
		}
		if slices.Contains(path, t.Name) {
			return fmt.Errorf("dump: tables refer to each other in a cycle: %v", append(path, t.Name))
		}
		for _, r := range refs[t.Name] {
			i := slices.IndexFunc(tables, func(x Table) bool { return x.Name == r })
			if i < 0 {
				continue
			}
			if err := place(tables[i], append(path, t.Name)); err != nil {
				return err
			}
		}
		placed[t.Name] = true
		out = append(out, t)
		return nil
	}
	for _, t := range tables {
		if err := place(t, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}
