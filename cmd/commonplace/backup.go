package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library/dump"
)

func backupCommand() *cobra.Command {
	var cfg config
	var out string
	cmd := &cobra.Command{
		Use:   "backup --out DIR",
		Short: "Copy the SQLite database, keys included, into a new folder; safe while the node serves (README: Operations)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return &usageError{"--out: the folder to write the backup into is required"}
			}
			return withSource(cmd, &cfg, func(db *gorm.DB) error {
				started := time.Now()
				m, err := dump.Backup(cmd.Context(), db, dumpSchema(), out)
				if err != nil {
					return err
				}
				var rows int64
				for _, n := range m.Rows {
					rows += n
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Backed up %d rows into %s in %s (commonplace.db, backup.json).\n",
					rows, out, time.Since(started).Round(time.Millisecond))
				return nil
			})
		},
	}
	addDataFlags(cmd, &cfg)
	cmd.Flags().StringVar(&out, "out", "", "a new or empty folder for the backup")
	return cmd
}

func restoreCommand() *cobra.Command {
	var cfg config
	var from string
	cmd := &cobra.Command{
		Use:   "restore --from DIR --data NEW",
		Short: "Put a backup into a new data folder, checked against its manifest; the node rebuilds its index at start",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return &usageError{"--from: the backup folder is required"}
			}
			if err := cfg.validate(false); err != nil {
				return &usageError{err.Error()}
			}
			if cfg.DatabaseURL != "" {
				return &usageError{"--database-url: restore puts a SQLite backup into --data; for PostgreSQL, restore its pg_dump"}
			}
			m, err := dump.Restore(cmd.Context(), dumpSchema(), from, cfg.DataDir)
			if err != nil {
				return err
			}
			var rows int64
			for _, n := range m.Rows {
				rows += n
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Restored %d rows into %s; start the node on it (serve --data %s).\n", rows, cfg.DataDir, cfg.DataDir)
			return nil
		},
	}
	addDataFlags(cmd, &cfg)
	cmd.Flags().StringVar(&from, "from", "", "the folder a backup wrote")
	return cmd
}
