package federation

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// newActivityID returns the IRI of a new activity of ours; GET answers it.
func (s *Service) newActivityID() string { return s.cfg.BaseURL + "/activities/" + library.NewID() }

// outgoing is an activity to store and deliver.
type outgoing struct {
	ID       string
	Actor    string
	Type     string
	ObjectID string
	Public   bool
	Doc      document
	Inboxes  []string
}

// send stores an activity and queues one delivery per distinct inbox.
func (s *Service) send(ctx context.Context, out outgoing) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.enqueue(tx, out) })
	if err != nil {
		return err
	}
	s.queue.changed()
	return nil
}

// enqueue writes the activity and its deliveries inside tx.
func (s *Service) enqueue(tx *gorm.DB, out outgoing) error {
	if out.ID == "" {
		out.ID = out.Doc["id"].(string)
	}
	body := out.Doc.bytes()
	t := now()
	var seq int64
	err := tx.Raw(`INSERT INTO federation_outbox (id, actor, type, object_id, public, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING seq`, out.ID, out.Actor, out.Type, out.ObjectID, out.Public, string(body), t).Scan(&seq).Error
	if err != nil {
		return fmt.Errorf("federation: store %s %s: %w", out.Type, out.ID, err)
	}
	if seq == 0 {
		return nil // queued before: an activity with a stable id, sent again after a failure
	}
	inboxes := uniqueInboxes(out.Inboxes)
	if len(inboxes) == 0 {
		return nil
	}
	rows := make([]map[string]any, 0, len(inboxes))
	for _, inbox := range inboxes {
		rows = append(rows, map[string]any{"activity_seq": seq, "inbox": inbox, "host": hostOf(inbox),
			"state": "pending", "attempts": 0, "next_attempt_at": t, "last_status": 0, "last_error": "", "created_at": t})
	}
	if err := tx.Table("federation_deliveries").CreateInBatches(rows, 200).Error; err != nil {
		return fmt.Errorf("federation: queue %s %s: %w", out.Type, out.ID, err)
	}
	return nil
}

// uniqueInboxes drops duplicates and empty entries, keeping order.
func uniqueInboxes(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// storedActivity returns an activity we published, for GET /activities/:id.
func (s *Service) storedActivity(ctx context.Context, id string) (body string, public bool, err error) {
	var rows []struct {
		Body   string
		Public bool
	}
	err = s.db.WithContext(ctx).Raw(`SELECT body, public FROM federation_outbox WHERE id = ?`, id).Scan(&rows).Error
	if err != nil {
		return "", false, err
	}
	if len(rows) == 0 {
		return "", false, library.ErrNotFound
	}
	return rows[0].Body, rows[0].Public, nil
}
