package search

import (
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Migrations is the search component's ordered schema history. Append; never
// edit a released step.
var Migrations = []library.Migration{
	{Description: "create match notifications", Up: func(tx *gorm.DB) error {
		for _, stmt := range []string{`CREATE TABLE match_notifications (
			id TEXT PRIMARY KEY,
			org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			need_id TEXT NOT NULL,
			offer_id TEXT NOT NULL,
			score REAL NOT NULL,
			reasons TEXT NOT NULL DEFAULT '[]',
			created_at TIMESTAMP NOT NULL,
			read_at TIMESTAMP NULL)`,
			`CREATE UNIQUE INDEX match_notifications_pair ON match_notifications (need_id, offer_id)`,
			`CREATE INDEX match_notifications_org ON match_notifications (org_id, created_at)`,
		} {
			if err := tx.Exec(stmt).Error; err != nil {
				return err
			}
		}
		return nil
	}},
}
