package dump

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// prepareTarget checks that the target holds nothing yet, then migrates it
// to the steps the source had run, so that the rows fit its columns.
func prepareTarget(ctx context.Context, db *gorm.DB, schema []Component, tables []Table, steps map[string]int) error {
	for name, n := range steps {
		i := componentIndex(schema, name)
		if i < 0 {
			return fmt.Errorf("dump: the source has a component %q that this Commonplace does not know: use a newer one", name)
		}
		if n > len(schema[i].Steps) {
			return fmt.Errorf("dump: the source's %s schema has %d steps, this Commonplace knows %d: use a newer one", name, n, len(schema[i].Steps))
		}
	}
	if err := checkEmpty(db.WithContext(ctx), tables); err != nil {
		return err // before migrating: a database that is not ours to fill is left as it was
	}
	for _, c := range schema {
		if err := library.Migrate(ctx, db, c.Name, c.Steps[:steps[c.Name]]); err != nil {
			return err
		}
	}
	return nil
}

func componentIndex(schema []Component, name string) int {
	for i, c := range schema {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// checkEmpty refuses a target whose tables hold rows: an import or a copy
// adds a node's rows with their ids, and would mix two nodes.
func checkEmpty(db *gorm.DB, tables []Table) error {
	var full []string
	for _, t := range tables {
		if !db.Migrator().HasTable(t.Name) {
			continue
		}
		n, err := count(db, t.Name)
		if err != nil {
			return err
		}
		if n > 0 {
			full = append(full, fmt.Sprintf("%s has %d rows", t.Name, n))
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("dump: %w (%s): give a new data folder or an empty database, never served", ErrNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// finishTarget moves PostgreSQL's sequences past the keys loaded with their
// values (SQLite does this by itself), then runs the migrations the source
// had not run.
func finishTarget(ctx context.Context, db *gorm.DB, schema []Component) error {
	db = db.WithContext(ctx)
	if library.IsPostgres(db) {
		var serials []struct{ TableName, ColumnName string }
		err := db.Table("information_schema.columns").Select("table_name, column_name").
			Where("table_schema = current_schema() AND column_default LIKE ?", "nextval(%").Scan(&serials).Error
		if err != nil {
			return fmt.Errorf("dump: sequences: %w", err)
		}
		for _, s := range serials {
			q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)`,
				s.TableName, s.ColumnName, quote(s.ColumnName), quote(s.TableName))
			if err := db.Exec(q).Error; err != nil {
				return fmt.Errorf("dump: sequence of %s.%s: %w", s.TableName, s.ColumnName, err)
			}
		}
	}
	for _, c := range schema {
		if err := library.Migrate(ctx, db, c.Name, c.Steps); err != nil {
			return err
		}
	}
	return nil
}

// quote quotes an identifier read from the catalogue.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
