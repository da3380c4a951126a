package federation

import (
	"context"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// PruneInbox empties the bodies of the inbox activities processed and
// received before before. The rows stay: their ids refuse a replayed
// activity for as long as the replay window keeps them.
func (s *Service) PruneInbox(ctx context.Context, before time.Time) (int64, error) {
	return library.PruneInBatches(ctx, s.db, "inbox bodies", `UPDATE federation_inbox SET body = '' WHERE seq IN
		(SELECT seq FROM federation_inbox WHERE done = ? AND received_at < ? AND body <> '' LIMIT ?)`, true, before.UTC())
}
