package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/search"
	"github.com/citizen-network/commonplace/web"
)

func init() {
	wirings = append(wirings, wireSearch)
	extraCommands = append(extraCommands, reindexCommand)
}

// indexPath is where a data folder keeps its search index.
func indexPath(cfg config) string { return filepath.Join(cfg.DataDir, "index.bleve") }

// wireSearch opens (or rebuilds) the node's index, subscribes it to the change
// log and hands it to the web application.
func wireSearch(ctx context.Context, n *node) ([]web.Option, error) {
	svc, err := search.Open(ctx, indexPath(n.cfg), n.store, n.log, logProgress(n))
	if err != nil {
		return nil, err
	}
	svc.Subscribe()
	n.ops.index = svc
	n.closers = append(n.closers, svc.Close)
	return []web.Option{web.WithSearch(svc)}, nil
}

// logProgress reports a rebuild at start-up in the log, every few seconds.
func logProgress(n *node) search.Progress {
	last := time.Now()
	return func(done, total int) {
		n.ops.rebuildDone.Store(int64(done))
		n.ops.rebuildTotal.Store(int64(total))
		if done == total || time.Since(last) > 5*time.Second {
			last = time.Now()
			n.log.Info("building the search index", "done", done, "total", total)
		}
	}
}

func reindexCommand() *cobra.Command {
	var cfg config
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the database (stop the node first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(s *library.Store) error {
				return reindex(cmd, cfg, s)
			})
		},
	}
	addDataFlags(cmd, &cfg)
	return cmd
}

// reindex rebuilds the index of the data folder with a progress bar.
func reindex(cmd *cobra.Command, cfg config, s *library.Store) error {
	started := time.Now()
	var bar *progressbar.ProgressBar
	progress := func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionSetDescription("Indexing"), progressbar.OptionShowCount(),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	}
	svc, err := search.Open(cmd.Context(), indexPath(cfg), s, newLogger(cfg.LogLevel, cfg.LogFormat), progress)
	if err != nil {
		return err
	}
	defer svc.Close()
	if !svc.Built() {
		err = svc.Rebuild(cmd.Context(), progress)
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	n, err := svc.Count()
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Indexed %d objects in %s.\n", n, time.Since(started).Round(time.Millisecond))
	return nil
}
