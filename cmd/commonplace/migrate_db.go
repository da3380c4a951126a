package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/dump"
)

func migrateDBCommand() *cobra.Command {
	var cfg config
	var to string
	cmd := &cobra.Command{
		Use:   "migrate-db --to postgres://…",
		Short: "Copy the SQLite node of --data into an empty PostgreSQL database, check every table's rows, then build the index (stop the node first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !strings.HasPrefix(to, "postgres://") && !strings.HasPrefix(to, "postgresql://") {
				return &usageError{fmt.Sprintf("--to %q: must be a postgres:// URL", to)}
			}
			if cfg.DatabaseURL != "" {
				return &usageError{"--database-url: migrate-db reads the SQLite database of --data; give the PostgreSQL one as --to"}
			}
			return migrateDB(cmd, cfg, to)
		},
	}
	addDataFlags(cmd, &cfg)
	cmd.Flags().StringVar(&to, "to", "", "the PostgreSQL database to fill, which must be empty (postgres://user:password@host/db)")
	return cmd
}

// migrateDB copies the SQLite database to PostgreSQL and rebuilds the data
// folder's index from PostgreSQL, so that `serve --database-url` finds it
// matching its database.
func migrateDB(cmd *cobra.Command, cfg config, to string) error {
	return withSource(cmd, &cfg, func(src *gorm.DB) error {
		dst, err := library.OpenDB(cmd.Context(), library.DBConfig{URL: to})
		if err != nil {
			return err
		}
		started := time.Now()
		progress, finish := newBar(cmd, "Copying")
		sum, err := dump.Copy(cmd.Context(), src, dst, dumpSchema(), progress)
		finish()
		if err != nil {
			closeDB(dst)
			return err
		}
		took := time.Since(started)
		w := cmd.OutOrStdout()
		fmt.Fprintf(w, "Copied %d rows of %d tables in %s (%.0f rows/s); every table counts the same rows in PostgreSQL:\n",
			sum.Rows, len(sum.Tables), took.Round(time.Millisecond), float64(sum.Rows)/took.Seconds())
		for _, t := range sum.Tables {
			if t.Rows > 0 {
				fmt.Fprintf(w, "  %-28s %d\n", t.Table, t.Rows)
			}
		}
		if err := reindexStore(cmd, cfg, dst); err != nil {
			return err
		}
		fmt.Fprintf(w, "Serve it with --database-url and the same --data (for the index).\n")
		return nil
	})
}
