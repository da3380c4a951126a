package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func serveCommand() *cobra.Command {
	var cfg config
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run a node on the data folder (SQLite and the search index by default)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.validate(true); err != nil {
				return &usageError{err.Error()}
			}
			started := time.Now()
			log := newLogger(cfg.LogLevel, cfg.LogFormat)
			ctx := cmd.Context()
			n, err := newNode(ctx, cfg, log)
			if err != nil {
				return err
			}
			token, err := n.store.EnsureCoordinator(ctx, cfg.AdminEmail)
			if err != nil {
				n.close()
				return err
			}
			if token != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "Created the coordinator account %s.\nSet its password (the link works once, for 7 days):\n  %s/setup/%s\n", cfg.AdminEmail, cfg.BaseURL, token)
			}
			ln, err := listen(cfg.Addr)
			if err != nil {
				n.close()
				return err
			}
			log.Info("node ready", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "data", cfg.DataDir, "startup_ms", time.Since(started).Milliseconds())
			return n.run(ctx, ln)
		},
	}
	addServeFlags(cmd, &cfg)
	return cmd
}
