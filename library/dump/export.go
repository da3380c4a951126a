package dump

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Options say what an export leaves behind.
type Options struct {
	// Omit are tables whose rows are not written.
	Omit []string
	// Blank are columns, by table, written as empty text (or null).
	Blank map[string][]string
}

// Export writes the database's rows to w in the export format (format.go),
// a table at a time and a row at a time, so that a large node is never held
// in memory. It reads one consistent snapshot (see library.OpenReadOnlyDB).
func Export(ctx context.Context, db *gorm.DB, schema []Component, w io.Writer, opts Options, progress Progress) (Summary, error) {
	tables, err := Tables(ctx, schema)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	err = snapshot(ctx, db, func(tx *gorm.DB) error {
		steps, err := library.AppliedMigrations(ctx, tx)
		if err != nil {
			return err
		}
		h := Header{Format: Format, Version: Version, CreatedAt: time.Now().UTC(), Schema: steps, Omitted: opts.Omit, Blanked: opts.Blank, Rows: map[string]int64{}}
		var kept []Table
		for _, t := range tables {
			if slices.Contains(opts.Omit, t.Name) || !tx.Migrator().HasTable(t.Name) {
				continue
			}
			if h.Rows[t.Name], err = count(tx, t.Name); err != nil {
				return err
			}
			kept = append(kept, t)
		}
		e := newEncoder(w)
		if err := e.line(h); err != nil {
			return err
		}
		for _, t := range kept {
			n, err := exportTable(tx, e, t.Name, opts.Blank[t.Name], func(n int64) { report(progress, sum.Rows+n, h.total()) })
			if err != nil {
				return err
			}
			sum.add(t.Name, n)
		}
		if err := e.line(Trailer{Complete: true, Tables: len(kept), Rows: sum.Rows}); err != nil {
			return err
		}
		return e.close()
	})
	return sum, err
}

// exportTable writes one table's start, rows and end.
func exportTable(tx *gorm.DB, e *encoder, table string, blank []string, done func(int64)) (int64, error) {
	cols, err := columns(tx, table)
	if err != nil {
		return 0, err
	}
	if err := e.line(TableStart{Table: table, Columns: names(cols)}); err != nil {
		return 0, err
	}
	var n int64
	out := make([]any, len(cols))
	err = readRows(tx, table, names(cols), func(row []any) error {
		for i, v := range row {
			out[i] = encodeValue(v)
			if slices.Contains(blank, cols[i].name) {
				out[i] = blankValue(cols[i].kind)
			}
		}
		n++
		if n%1000 == 0 {
			done(n)
		}
		return e.line(out)
	})
	if err != nil {
		return 0, err
	}
	done(n)
	return n, e.line(TableEnd{End: table, Rows: n})
}

func blankValue(k kind) any {
	if k == kindText {
		return ""
	}
	return nil
}

// snapshot runs fn in a read-only transaction that sees one state of the
// database: on SQLite, a deferred transaction of a read-only connection; on
// PostgreSQL, a repeatable read.
func snapshot(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	if library.IsPostgres(db) {
		return db.WithContext(ctx).Transaction(fn, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return db.WithContext(ctx).Transaction(fn)
}

// encoder writes gzip'd JSON lines.
type encoder struct {
	gz  *gzip.Writer
	buf *bufio.Writer
	enc *json.Encoder
}

func newEncoder(w io.Writer) *encoder {
	gz := gzip.NewWriter(w)
	buf := bufio.NewWriterSize(gz, 1<<16)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return &encoder{gz: gz, buf: buf, enc: enc}
}

func (e *encoder) line(v any) error {
	if err := e.enc.Encode(v); err != nil {
		return fmt.Errorf("dump: write export: %w", err)
	}
	return nil
}

func (e *encoder) close() error {
	if err := e.buf.Flush(); err != nil {
		return fmt.Errorf("dump: write export: %w", err)
	}
	if err := e.gz.Close(); err != nil {
		return fmt.Errorf("dump: write export: %w", err)
	}
	return nil
}
