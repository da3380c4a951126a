package library

import "gorm.io/gorm"

// EventMigrations is the events component's ordered schema history. Append;
// never edit a released step.
var EventMigrations = []Migration{
	{"create events", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE events (
			id TEXT PRIMARY KEY,
			org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			local BOOLEAN NOT NULL,
			ap_id TEXT NOT NULL UNIQUE,
			url TEXT NOT NULL DEFAULT '',
			title TEXT NOT NULL,
			body TEXT NOT NULL DEFAULT '',
			content_html TEXT NOT NULL DEFAULT '',
			starts_at TIMESTAMP NOT NULL,
			ends_at TIMESTAMP NOT NULL,
			timezone TEXT NOT NULL,
			online_url TEXT NOT NULL DEFAULT '',
			place_name TEXT NOT NULL DEFAULT '',
			place_address TEXT NOT NULL DEFAULT '',
			place_country TEXT NOT NULL DEFAULT '',
			themes TEXT NOT NULL DEFAULT '[]',
			themes_inferred BOOLEAN NOT NULL DEFAULT FALSE,
			languages TEXT NOT NULL DEFAULT '[]',
			capacity INTEGER NOT NULL DEFAULT 0,
			join_mode TEXT NOT NULL,
			registration_deadline TIMESTAMP NULL,
			status TEXT NOT NULL,
			sequence INTEGER NOT NULL DEFAULT 0,
			visibility TEXT NOT NULL,
			participant_count INTEGER NOT NULL DEFAULT 0,
			published_at TIMESTAMP NOT NULL,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL,
			deleted_at TIMESTAMP NULL)`,
			`CREATE INDEX events_ends ON events (ends_at)`,
			`CREATE INDEX events_starts ON events (starts_at)`,
			`CREATE INDEX events_org ON events (org_id)`)
	}},
	{"create registrations for events", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE registrations (
			id TEXT PRIMARY KEY,
			event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
			org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			status TEXT NOT NULL,
			join_id TEXT NOT NULL DEFAULT '',
			requested_at TIMESTAMP NOT NULL,
			decided_at TIMESTAMP NULL,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL)`,
			`CREATE UNIQUE INDEX registrations_event_org ON registrations (event_id, org_id)`,
			`CREATE INDEX registrations_queue ON registrations (event_id, status, requested_at)`,
			`CREATE INDEX registrations_org ON registrations (org_id)`,
			`CREATE INDEX registrations_join ON registrations (join_id)`)
	}},
	{"create the secrets of organisations' calendar URLs", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE calendar_tokens (
			org_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
			token_hash TEXT NOT NULL UNIQUE,
			created_at TIMESTAMP NOT NULL)`)
	}},
	{"add each event's consent to be indexed beyond this node", func(tx *gorm.DB) error {
		return execAll(tx, `ALTER TABLE events ADD COLUMN indexable BOOLEAN NOT NULL DEFAULT TRUE`)
	}},
}
