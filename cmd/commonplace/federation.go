package main

import (
	"context"
	"time"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/web"
)

func init() { wirings = append(wirings, wireFederation) }

// wireFederation makes the node an ActivityPub server: federation answers
// ActivityStreams requests on the web URLs, mounts its own routes, follows
// the change log and runs its inbox and delivery queue in the background.
func wireFederation(_ context.Context, n *node) ([]web.Option, error) {
	svc, err := federation.New(federation.Config{
		BaseURL:                 n.cfg.BaseURL,
		Version:                 version,
		InsecureLocalFederation: n.cfg.InsecureLocalFederation,
	}, n.store, n.log)
	if err != nil {
		return nil, err
	}
	n.store.Subscribe("federation", svc.HandleChanges)
	n.store.SubscribeIntroductions("federation-introductions", svc)
	n.background = append(n.background, svc.Run)
	n.ops.fed = svc
	n.ops.prune = append(n.ops.prune, library.PruneStep{Name: "inbox_bodies", Prune: func(ctx context.Context, now time.Time) (int64, error) {
		return svc.PruneInbox(ctx, now.Add(-n.cfg.Retention.InboxBodies))
	}})
	return []web.Option{web.WithObjects(svc), web.WithMount(svc.Mount), web.WithFederation(svc)}, nil
}
