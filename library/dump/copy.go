package dump

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Copy copies every row of src into the empty database dst (for instance a
// SQLite node into PostgreSQL), secrets and keys included: it is the same
// node, moved. It reads one snapshot of src, writes dst in one transaction,
// then checks that each table of dst counts the rows of src's.
func Copy(ctx context.Context, src, dst *gorm.DB, schema []Component, progress Progress) (Summary, error) {
	tables, err := Tables(ctx, schema)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	want := map[string]int64{}
	err = snapshot(ctx, src, func(stx *gorm.DB) error {
		steps, err := library.AppliedMigrations(ctx, stx)
		if err != nil {
			return err
		}
		if err := prepareTarget(ctx, dst, schema, tables, steps); err != nil {
			return err
		}
		var total int64
		var kept []Table
		for _, t := range tables {
			if !stx.Migrator().HasTable(t.Name) {
				continue
			}
			if want[t.Name], err = count(stx, t.Name); err != nil {
				return err
			}
			total += want[t.Name]
			kept = append(kept, t)
		}
		return dst.WithContext(ctx).Transaction(func(dtx *gorm.DB) error {
			for _, t := range kept {
				n, err := copyTable(stx, dtx, t.Name, func(n int64) { report(progress, sum.Rows+n, total) })
				if err != nil {
					return err
				}
				sum.add(t.Name, n)
			}
			return nil
		})
	})
	if err != nil {
		return Summary{}, err
	}
	if err := finishTarget(ctx, dst, schema); err != nil {
		return Summary{}, err
	}
	return sum, verify(dst.WithContext(ctx), want)
}

func copyTable(stx, dtx *gorm.DB, table string, done func(int64)) (int64, error) {
	cols, err := columns(stx, table)
	if err != nil {
		return 0, err
	}
	l, err := newLoader(dtx, table, names(cols))
	if err != nil {
		return 0, err
	}
	var n int64
	err = readRows(stx, table, names(cols), func(row []any) error {
		n++
		if n%1000 == 0 {
			done(n)
		}
		return l.add(row)
	})
	if err == nil {
		err = l.flush()
	}
	done(n)
	return l.loaded, err
}

// verify compares the row counts of dst with those read from the source.
func verify(dst *gorm.DB, want map[string]int64) error {
	var diff []string
	for table, w := range want {
		got, err := count(dst, table)
		if err != nil {
			return err
		}
		if got != w {
			diff = append(diff, fmt.Sprintf("%s: %d rows, the source has %d", table, got, w))
		}
	}
	if len(diff) > 0 {
		return fmt.Errorf("dump: the copy differs from its source: %s", strings.Join(diff, "; "))
	}
	return nil
}
