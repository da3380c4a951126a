package dump

import (
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// column is a column's name and what it holds.
type column struct {
	name string
	kind kind
}

// columns lists a table's columns in the database db, in their order.
func columns(db *gorm.DB, table string) ([]column, error) {
	types, err := db.Migrator().ColumnTypes(table)
	if err != nil {
		return nil, fmt.Errorf("dump: columns of %s: %w", table, err)
	}
	out := make([]column, len(types))
	for i, t := range types {
		out[i] = column{name: t.Name(), kind: kindOf(t.DatabaseTypeName())}
	}
	return out, nil
}

func names(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// readRows calls fn with each row of table, its values in the order of cols.
func readRows(tx *gorm.DB, table string, cols []string, fn func(row []any) error) error {
	rows, err := tx.Table(table).Select(cols).Rows()
	if err != nil {
		return fmt.Errorf("dump: read %s: %w", table, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("dump: read %s: %w", table, err)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dump: read %s: %w", table, err)
	}
	return nil
}

// count is how many rows table holds.
func count(tx *gorm.DB, table string) (int64, error) {
	var n int64
	if err := tx.Table(table).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("dump: count %s: %w", table, err)
	}
	return n, nil
}

// loader inserts rows into one table of the target, many at a time.
type loader struct {
	tx     *gorm.DB
	table  string
	cols   []column // the target's, in the order of the rows given
	insert string   // INSERT INTO table (cols) VALUES, quoted for the target
	args   []any    // the values of the queued rows, row after row
	size   int
	loaded int64
}

// maxParams keeps a batch under PostgreSQL's 65,535 parameters a statement.
const maxParams = 60000

// newLoader prepares to insert rows whose values come in the order of
// names; each must be a column of the target's table.
func newLoader(tx *gorm.DB, table string, names []string) (*loader, error) {
	target, err := columns(tx, table)
	if err != nil {
		return nil, err
	}
	l := &loader{tx: tx, table: table, size: min(1000, maxParams/max(1, len(names)))}
	quoted := make([]string, len(names))
	for i, n := range names {
		j := slices.IndexFunc(target, func(c column) bool { return c.name == n })
		if j < 0 {
			return nil, fmt.Errorf("dump: table %s has no column %s here: was the export made by a newer Commonplace?", table, n)
		}
		l.cols = append(l.cols, target[j])
		quoted[i] = tx.Statement.Quote(n)
	}
	l.insert = "INSERT INTO " + tx.Statement.Quote(table) + " (" + strings.Join(quoted, ", ") + ") VALUES "
	return l, nil
}

// add queues one row, converted to the target's column types.
func (l *loader) add(row []any) error {
	if len(row) != len(l.cols) {
		return fmt.Errorf("dump: %s: a row of %d values for %d columns", l.table, len(row), len(l.cols))
	}
	for i, c := range l.cols {
		v, err := convert(row[i], c.kind)
		if err != nil {
			return fmt.Errorf("dump: %s.%s: %w", l.table, c.name, err)
		}
		l.args = append(l.args, v)
	}
	if l.queued() >= l.size {
		return l.flush()
	}
	return nil
}

func (l *loader) queued() int { return len(l.args) / max(1, len(l.cols)) }

// flush inserts the queued rows in one statement. It is written here, not
// by gorm's Create: without a model, Create of maps had gorm format the
// whole batch into an error it then dropped, a quarter of a copy's time.
func (l *loader) flush() error {
	n := l.queued()
	if n == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(l.cols)), ", ") + ")"
	query := l.insert + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	if err := l.tx.Exec(query, l.args...).Error; err != nil {
		return fmt.Errorf("dump: write %s: %w", l.table, err)
	}
	l.loaded += int64(n)
	l.args = l.args[:0]
	return nil
}
