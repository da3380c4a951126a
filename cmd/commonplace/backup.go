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
