package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// run executes the command line and returns the exit code.
func run(args []string) int {
	root := &cobra.Command{
		Use:           "commonplace",
		Short:         "Commonplace: the learning network of Citizen Network",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.AddCommand(serveCommand(), migrateCommand(), orgCommand(), tokenCommand(), accountCommand(), consentCommand())
	root.AddCommand(dataCommands()...)
	for _, add := range extraCommands {
		root.AddCommand(add())
	}
	root.SetArgs(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "commonplace:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

// extraCommands lets other files of this package (demo, reindex) add commands.
var extraCommands []func() *cobra.Command

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// newLogger is the process's logger, on standard error: text, or one JSON
// object a line (format "json") for a log collector.
func newLogger(level, format string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
