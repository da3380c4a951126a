package federation

import (
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/library"
)

// Migrations is federation's ordered schema history (component "federation").
// Append; never edit a released step.
var Migrations = []library.Migration{
	{Description: "create actor keys and the cache of remote actors", Up: func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE federation_keys (
			actor_id TEXT PRIMARY KEY,
			key_id TEXT NOT NULL,
			private_pem TEXT NOT NULL,
			public_pem TEXT NOT NULL,
			created_at TIMESTAMP NOT NULL)`,
			`CREATE TABLE federation_actors (
			id TEXT PRIMARY KEY,
			type TEXT NOT NULL,
			username TEXT NOT NULL DEFAULT '',
			domain TEXT NOT NULL,
			inbox TEXT NOT NULL DEFAULT '',
			shared_inbox TEXT NOT NULL DEFAULT '',
			outbox TEXT NOT NULL DEFAULT '',
			key_id TEXT NOT NULL DEFAULT '',
			public_key_pem TEXT NOT NULL DEFAULT '',
			document TEXT NOT NULL,
			fetched_at TIMESTAMP NOT NULL)`,
			`CREATE INDEX federation_actors_key ON federation_actors (key_id)`,
			`CREATE INDEX federation_actors_domain ON federation_actors (domain)`)
	}},
	{Description: "create follows, peers and domain policies", Up: func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE federation_follows (
			id TEXT PRIMARY KEY,
			follower TEXT NOT NULL,
			followee TEXT NOT NULL,
			state TEXT NOT NULL,
			local_follower BOOLEAN NOT NULL,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL)`,
			`CREATE UNIQUE INDEX federation_follows_pair ON federation_follows (follower, followee)`,
			`CREATE INDEX federation_follows_followee ON federation_follows (followee, state)`,
			`CREATE TABLE federation_peers (
			domain TEXT PRIMARY KEY,
			base_url TEXT NOT NULL,
			actor_id TEXT NOT NULL DEFAULT '',
			state TEXT NOT NULL,
			backfilled_at TIMESTAMP NULL,
			backfill_error TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL)`,
			`CREATE TABLE federation_domains (
			domain TEXT PRIMARY KEY,
			policy TEXT NOT NULL,
			reason TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMP NOT NULL)`)
	}},
	{Description: "create the inbox, the outbox and the delivery queue", Up: func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE federation_inbox (
			seq `+library.AutoIncrement(tx)+`,
			activity_id TEXT NOT NULL UNIQUE,
			actor TEXT NOT NULL,
			type TEXT NOT NULL,
			body TEXT NOT NULL,
			received_at TIMESTAMP NOT NULL,
			done BOOLEAN NOT NULL DEFAULT FALSE,
			attempts INTEGER NOT NULL DEFAULT 0,
			next_attempt_at TIMESTAMP NOT NULL,
			error TEXT NOT NULL DEFAULT '')`,
			`CREATE INDEX federation_inbox_due ON federation_inbox (done, next_attempt_at)`,
			`CREATE TABLE federation_outbox (
			seq `+library.AutoIncrement(tx)+`,
			id TEXT NOT NULL UNIQUE,
			actor TEXT NOT NULL,
			type TEXT NOT NULL,
			object_id TEXT NOT NULL DEFAULT '',
			public BOOLEAN NOT NULL DEFAULT FALSE,
			body TEXT NOT NULL,
			created_at TIMESTAMP NOT NULL)`,
			`CREATE TABLE federation_deliveries (
			id `+library.AutoIncrement(tx)+`,
			activity_seq BIGINT NOT NULL REFERENCES federation_outbox(seq) ON DELETE CASCADE,
			inbox TEXT NOT NULL,
			host TEXT NOT NULL,
			state TEXT NOT NULL DEFAULT 'pending',
			attempts INTEGER NOT NULL DEFAULT 0,
			next_attempt_at TIMESTAMP NOT NULL,
			last_status INTEGER NOT NULL DEFAULT 0,
			last_error TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMP NOT NULL)`,
			`CREATE UNIQUE INDEX federation_deliveries_target ON federation_deliveries (activity_seq, inbox)`,
			`CREATE INDEX federation_deliveries_due ON federation_deliveries (state, next_attempt_at)`,
			`CREATE INDEX federation_deliveries_host ON federation_deliveries (host, state)`,
			`CREATE TABLE federation_hosts (
			host TEXT PRIMARY KEY,
			last_success_at TIMESTAMP NULL,
			last_failure_at TIMESTAMP NULL,
			failures INTEGER NOT NULL DEFAULT 0,
			total_failures BIGINT NOT NULL DEFAULT 0,
			open_until TIMESTAMP NULL,
			last_error TEXT NOT NULL DEFAULT '')`)
	}},
	{Description: "create the federated state of local objects, remote object versions, reactions and reports", Up: func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE federation_objects (
			object_id TEXT PRIMARY KEY,
			kind TEXT NOT NULL,
			ap_id TEXT NOT NULL,
			audience TEXT NOT NULL,
			seq BIGINT NOT NULL,
			updated_at TIMESTAMP NOT NULL)`,
			`CREATE TABLE federation_remote_objects (
			ap_id TEXT PRIMARY KEY,
			updated TIMESTAMP NOT NULL)`,
			`CREATE TABLE federation_reactions (
			activity_id TEXT PRIMARY KEY,
			type TEXT NOT NULL,
			actor TEXT NOT NULL,
			object TEXT NOT NULL,
			created_at TIMESTAMP NOT NULL)`,
			`CREATE INDEX federation_reactions_object ON federation_reactions (object, type)`,
			`CREATE TABLE federation_reports (
			id `+library.AutoIncrement(tx)+`,
			activity_id TEXT NOT NULL UNIQUE,
			actor TEXT NOT NULL,
			objects TEXT NOT NULL,
			content TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMP NOT NULL)`)
	}},
	{Description: "create the receipts peers send when consent to index is withdrawn", Up: func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE federation_consent_receipts (
			subject TEXT NOT NULL,
			peer TEXT NOT NULL,
			actor TEXT NOT NULL,
			update_id TEXT NOT NULL,
			receipt_id TEXT NOT NULL,
			removed_at TIMESTAMP NOT NULL,
			received_at TIMESTAMP NOT NULL,
			PRIMARY KEY (subject, peer))`,
			`CREATE INDEX federation_outbox_object ON federation_outbox (object_id, type)`)
	}},
}

// execAll runs statements in order, stopping at the first error.
func execAll(tx *gorm.DB, stmts ...string) error {
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return err
		}
	}
	return nil
}
