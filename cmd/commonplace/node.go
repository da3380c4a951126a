package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/ratelimit"
	"github.com/citizen-network/commonplace/search"
	"github.com/citizen-network/commonplace/web"
)

// schema lists every package's migrations, in the order they are applied.
var schema = []struct {
	component string
	steps     []library.Migration
}{
	{"library", library.Migrations},
	{"events", library.EventMigrations},
	{"introductions", library.IntroductionMigrations},
	{"search", search.Migrations},
	{"federation", federation.Migrations},
}

// openStore opens and migrates the database of a data folder.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*library.Store, error) {
	db, err := library.OpenDB(ctx, library.DBConfig{DataDir: cfg.DataDir, URL: cfg.DatabaseURL})
	if err != nil {
		return nil, err
	}
	for _, s := range schema {
		if err := library.Migrate(ctx, db, s.component, s.steps); err != nil {
			return nil, err
		}
	}
	return library.NewStore(db, library.Config{BaseURL: cfg.BaseURL}, log), nil
}

// node is one running Commonplace server: its store and web application, and
// the background work that search and federation subscribe.
type node struct {
	cfg   config
	log   *slog.Logger
	store *library.Store
	web   *web.Server
	// background runs until the node stops (subscribers, queues).
	background []func(ctx context.Context)
	closers    []func() error
	ops        ops
}

// newNode wires a node together from its configuration.
func newNode(ctx context.Context, cfg config, log *slog.Logger) (*node, error) {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	release, err := store.LockServing(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	n := &node{cfg: cfg, log: log, store: store, closers: []func() error{store.Close, release}}
	var opts []web.Option
	for _, wire := range wirings {
		o, err := wire(ctx, n)
		if err != nil {
			n.close()
			return nil, err
		}
		opts = append(opts, o...)
	}
	n.web = web.New(web.Config{BaseURL: cfg.BaseURL, Version: version, TrustedProxies: cfg.trustedProxies, MetricsToken: cfg.MetricsToken,
		QueryLimit: ratelimit.Limits{Rate: cfg.QueryRate, Burst: cfg.QueryBurst}},
		store, log, opts...)
	if err := n.web.Register(&n.ops); err != nil {
		n.close()
		return nil, err
	}
	n.background = append(n.background, store.RunSubscribers)
	n.startPruning()
	return n, nil
}

// wirings let other files of this package (federation, search) plug into a node
// before its web application is built.
var wirings []func(ctx context.Context, n *node) ([]web.Option, error)

// run serves until ctx ends, then shuts down gracefully.
func (n *node) run(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, bg := range n.background {
		wg.Add(1)
		go func(f func(context.Context)) { defer wg.Done(); f(ctx) }(bg)
	}
	srv := &http.Server{Handler: n.web.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	shutdownCtx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	_ = srv.Shutdown(shutdownCtx)
	cancel()
	wg.Wait()
	n.close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (n *node) close() {
	for i := len(n.closers) - 1; i >= 0; i-- {
		if err := n.closers[i](); err != nil {
			n.log.Warn("close", "error", err)
		}
	}
}

// listen opens the node's address.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	return ln, nil
}
