package dump

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"
)

// Import loads an export into an empty database: it migrates the database
// to the export's schema steps, refuses it if it holds rows (ErrNotEmpty),
// loads every table in one transaction (so a failed import leaves it empty),
// then runs the migrations that came after the export. The caller rebuilds
// the search index.
func Import(ctx context.Context, db *gorm.DB, schema []Component, r io.Reader, progress Progress) (Summary, error) {
	d, err := newDecoder(r)
	if err != nil {
		return Summary{}, err
	}
	var h Header
	if err := d.line(&h); err != nil {
		return Summary{}, err
	}
	if h.Format != Format {
		return Summary{}, fmt.Errorf("dump: not a Commonplace export (format %q)", h.Format)
	}
	if h.Version != Version {
		return Summary{}, fmt.Errorf("dump: export format version %d: this Commonplace reads version %d", h.Version, Version)
	}
	tables, err := Tables(ctx, schema)
	if err != nil {
		return Summary{}, err
	}
	if err := prepareTarget(ctx, db, schema, tables, h.Schema); err != nil {
		return Summary{}, err
	}
	var sum Summary
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for {
			var start struct {
				TableStart
				Trailer
			}
			if err := d.line(&start); err != nil {
				return err
			}
			if start.Complete {
				if start.Trailer.Rows != sum.Rows {
					return fmt.Errorf("dump: the export counts %d rows, %d were read", start.Trailer.Rows, sum.Rows)
				}
				return nil
			}
			n, err := importTable(tx, d, start.TableStart, func(n int64) { report(progress, sum.Rows+n, h.total()) })
			if err != nil {
				return err
			}
			sum.add(start.Table, n)
		}
	})
	if err != nil {
		return Summary{}, err
	}
	return sum, finishTarget(ctx, db, schema)
}

// importTable loads the rows of one table, up to its end line.
func importTable(tx *gorm.DB, d *decoder, start TableStart, done func(int64)) (int64, error) {
	if start.Table == "" {
		return 0, fmt.Errorf("dump: line %d: a table or the end of the export was expected", d.n)
	}
	l, err := newLoader(tx, start.Table, start.Columns)
	if err != nil {
		return 0, err
	}
	for {
		raw, err := d.raw()
		if err != nil {
			return 0, err
		}
		if raw[0] == '{' {
			var end TableEnd
			if err := json.Unmarshal(raw, &end); err != nil || end.End != start.Table {
				return 0, fmt.Errorf("dump: line %d: the end of %s was expected", d.n, start.Table)
			}
			if err := l.flush(); err != nil {
				return 0, err
			}
			if l.loaded != end.Rows {
				return 0, fmt.Errorf("dump: %s: the export counts %d rows, %d were read", start.Table, end.Rows, l.loaded)
			}
			done(l.loaded)
			return l.loaded, nil
		}
		var row []any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&row); err != nil {
			return 0, fmt.Errorf("dump: line %d: %w", d.n, err)
		}
		if err := l.add(row); err != nil {
			return 0, err
		}
		if read := l.loaded + int64(l.queued()); read%1000 == 0 {
			done(read)
		}
	}
}

// decoder reads gzip'd JSON lines.
type decoder struct {
	sc *bufio.Scanner
	n  int
}

func newDecoder(r io.Reader) (*decoder, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("dump: not a gzip'd export: %w", err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<16), 64<<20) // a row may hold a long story
	return &decoder{sc: sc}, nil
}

// raw is the next non-empty line; the end of the file before the trailer is an error.
func (d *decoder) raw() ([]byte, error) {
	for d.sc.Scan() {
		d.n++
		if b := bytes.TrimSpace(d.sc.Bytes()); len(b) > 0 {
			return b, nil
		}
	}
	if err := d.sc.Err(); err != nil {
		return nil, fmt.Errorf("dump: read export line %d: %w", d.n+1, err)
	}
	return nil, errors.New("dump: the export ends before its last line: the file is truncated")
}

func (d *decoder) line(v any) error {
	raw, err := d.raw()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("dump: export line %d: %w", d.n, err)
	}
	return nil
}
