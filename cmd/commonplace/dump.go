package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/dump"
)

// dataCommands are the commands that move a node's data: export, import,
// migrate-db, backup and restore.
func dataCommands() []*cobra.Command {
	return []*cobra.Command{exportCommand(), importCommand(), migrateDBCommand(), backupCommand(), restoreCommand()}
}

// dumpSchema is the node's schema as the dump package reads it.
func dumpSchema() []dump.Component {
	out := make([]dump.Component, len(schema))
	for i, s := range schema {
		out[i] = dump.Component{Name: s.component, Steps: s.steps}
	}
	return out
}

// exportOptions leave the library's credentials behind. The actors'
// private keys go with the export: they are the node's identity, which
// peers have cached and with which its old activities are signed, so the
// export is as secret as the data folder.
var exportOptions = dump.Options{Omit: library.CredentialTables, Blank: library.CredentialColumns}

func exportCommand() *cobra.Command {
	var cfg config
	var out string
	cmd := &cobra.Command{
		Use:   "export --out FILE",
		Short: "Write the node's data to a file (gzip'd JSON lines), without passwords, sessions or tokens; safe while the node serves",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return &usageError{"--out: the file to write is required (- for standard output)"}
			}
			return withSource(cmd, &cfg, func(db *gorm.DB) error { return export(cmd, db, out) })
		},
	}
	addDataFlags(cmd, &cfg)
	cmd.Flags().StringVar(&out, "out", "", "the file to write, which must not exist (- for standard output)")
	return cmd
}

// withSource opens the data folder's database for reading beside a running node.
func withSource(cmd *cobra.Command, cfg *config, fn func(db *gorm.DB) error) error {
	if err := cfg.validate(false); err != nil {
		return &usageError{err.Error()}
	}
	db, err := library.OpenReadOnlyDB(cmd.Context(), library.DBConfig{DataDir: cfg.DataDir, URL: cfg.DatabaseURL})
	if err != nil {
		return err
	}
	defer closeDB(db)
	return fn(db)
}

func closeDB(db *gorm.DB) {
	if s, err := db.DB(); err == nil {
		_ = s.Close()
	}
}

func export(cmd *cobra.Command, db *gorm.DB, out string) error {
	started := time.Now()
	w, commit, err := createExclusive(out, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	progress, finish := newBar(cmd, "Exporting")
	sum, err := dump.Export(cmd.Context(), db, dumpSchema(), w, exportOptions, progress)
	finish()
	if err = commit(err); err != nil {
		return err
	}
	if out != "-" {
		fmt.Fprintf(cmd.OutOrStdout(), "Exported %d rows of %d tables to %s in %s.\n", sum.Rows, len(sum.Tables), out, time.Since(started).Round(time.Millisecond))
		fmt.Fprintf(cmd.OutOrStdout(), "Left behind: %s, and password hashes. The file holds the actors' private keys: keep it as safe as the data folder.\n",
			strings.Join(exportOptions.Omit, ", "))
	}
	return nil
}

// createExclusive opens path for writing, refusing one that exists; "-" is
// stdout. commit closes it, and removes it when the write failed.
func createExclusive(path string, stdout io.Writer) (io.Writer, func(error) error, error) {
	if path == "-" {
		return stdout, func(err error) error { return err }, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, nil, &usageError{fmt.Sprintf("--out %s: the file exists; give a new name", path)}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("--out %s: %w", path, err)
	}
	return f, func(werr error) error {
		err := errors.Join(werr, f.Sync(), f.Close())
		if werr != nil {
			_ = os.Remove(path)
		}
		return err
	}, nil
}

func importCommand() *cobra.Command {
	var cfg config
	cmd := &cobra.Command{
		Use:   "import FILE (- for standard input)",
		Short: "Load an export into a new, empty node (SQLite in --data, or --database-url), then build its search index",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.validate(false); err != nil {
				return &usageError{err.Error()}
			}
			if args[0] == "-" {
				return importInto(cmd, cfg, cmd.InOrStdin())
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("import: %w", err)
			}
			defer f.Close()
			return importInto(cmd, cfg, f)
		},
	}
	addDataFlags(cmd, &cfg)
	return cmd
}

func importInto(cmd *cobra.Command, cfg config, r io.Reader) error {
	started := time.Now()
	db, err := library.OpenDB(cmd.Context(), library.DBConfig{DataDir: cfg.DataDir, URL: cfg.DatabaseURL})
	if err != nil {
		return err
	}
	progress, finish := newBar(cmd, "Importing")
	sum, err := dump.Import(cmd.Context(), db, dumpSchema(), r, progress)
	finish()
	if err != nil {
		closeDB(db)
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Imported %d rows of %d tables in %s.\n", sum.Rows, len(sum.Tables), time.Since(started).Round(time.Millisecond))
	if n := rowsOf(sum, "accounts"); n > 0 {
		fmt.Fprintf(cmd.OutOrStdout(), "%d accounts have no password here: give each person a link with `commonplace account password-link --email …`.\n", n)
	}
	return reindexStore(cmd, cfg, db)
}

func rowsOf(sum dump.Summary, table string) int64 {
	for _, t := range sum.Tables {
		if t.Table == table {
			return t.Rows
		}
	}
	return 0
}

// reindexStore builds the data folder's index afresh from db, and closes db.
func reindexStore(cmd *cobra.Command, cfg config, db *gorm.DB) error {
	s := library.NewStore(db, library.Config{BaseURL: cfg.BaseURL}, newLogger(cfg.LogLevel, cfg.LogFormat))
	defer s.Close()
	return reindex(cmd, cfg, s)
}

// newBar is a progress bar on standard error, and the function that ends it.
func newBar(cmd *cobra.Command, desc string) (dump.Progress, func()) {
	var bar *progressbar.ProgressBar
	progress := func(done, total int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionSetDescription(desc), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("rows"), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set64(done)
	}
	return progress, func() {
		if bar != nil {
			_ = bar.Finish()
		}
	}
}
