package library

import "gorm.io/gorm"

// Migrations is the library's ordered schema history. Append; never edit a released step.
var Migrations = []Migration{
	{"create organisations", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE organizations (
			id TEXT PRIMARY KEY,
			handle TEXT NOT NULL,
			domain TEXT NOT NULL DEFAULT '',
			local BOOLEAN NOT NULL,
			name TEXT NOT NULL,
			summary TEXT NOT NULL DEFAULT '',
			country TEXT NOT NULL DEFAULT '',
			website TEXT NOT NULL DEFAULT '',
			icon_url TEXT NOT NULL DEFAULT '',
			ap_id TEXT NOT NULL UNIQUE,
			url TEXT NOT NULL DEFAULT '',
			discoverable BOOLEAN NOT NULL DEFAULT TRUE,
			indexable BOOLEAN NOT NULL DEFAULT TRUE,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL,
			deleted_at TIMESTAMP NULL)`,
			`CREATE UNIQUE INDEX organizations_handle_domain ON organizations (handle, domain)`)
	}},
	{"create accounts, sessions and tokens", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE accounts (
			id TEXT PRIMARY KEY,
			email TEXT NOT NULL UNIQUE,
			password_hash TEXT NOT NULL DEFAULT '',
			role TEXT NOT NULL,
			org_id TEXT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			created_at TIMESTAMP NOT NULL,
			last_login_at TIMESTAMP NULL)`,
			`CREATE TABLE one_time_tokens (
			token_hash TEXT PRIMARY KEY,
			account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
			purpose TEXT NOT NULL,
			expires_at TIMESTAMP NOT NULL,
			used_at TIMESTAMP NULL)`,
			`CREATE TABLE api_tokens (
			id TEXT PRIMARY KEY,
			token_hash TEXT NOT NULL UNIQUE,
			org_id TEXT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			admin BOOLEAN NOT NULL DEFAULT FALSE,
			name TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMP NOT NULL,
			last_used_at TIMESTAMP NULL)`,
			`CREATE TABLE sessions (
			token_hash TEXT PRIMARY KEY,
			account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
			created_at TIMESTAMP NOT NULL,
			expires_at TIMESTAMP NOT NULL)`)
	}},
	{"create offers and needs", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE listings (
			id TEXT PRIMARY KEY,
			kind TEXT NOT NULL,
			org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			local BOOLEAN NOT NULL,
			ap_id TEXT NOT NULL UNIQUE,
			url TEXT NOT NULL DEFAULT '',
			title TEXT NOT NULL,
			body TEXT NOT NULL DEFAULT '',
			content_html TEXT NOT NULL DEFAULT '',
			themes TEXT NOT NULL DEFAULT '[]',
			themes_inferred BOOLEAN NOT NULL DEFAULT FALSE,
			languages TEXT NOT NULL DEFAULT '[]',
			countries TEXT NOT NULL DEFAULT '[]',
			formats TEXT NOT NULL DEFAULT '[]',
			status TEXT NOT NULL,
			expires_at TIMESTAMP NULL,
			visibility TEXT NOT NULL,
			published_at TIMESTAMP NOT NULL,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL,
			deleted_at TIMESTAMP NULL)`,
			`CREATE INDEX listings_kind_published ON listings (kind, published_at)`,
			`CREATE INDEX listings_org ON listings (org_id)`)
	}},
	{"create the change log and its subscriber cursors", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE changes (
			seq `+AutoIncrement(tx)+`,
			object_kind TEXT NOT NULL,
			object_id TEXT NOT NULL,
			op TEXT NOT NULL,
			created_at TIMESTAMP NOT NULL)`,
			`CREATE TABLE subscriber_cursors (
			name TEXT PRIMARY KEY,
			seq BIGINT NOT NULL)`)
	}},
	{"create node settings", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE settings (
			key TEXT PRIMARY KEY,
			value TEXT NOT NULL)`)
	}},
	{"create stories", func(tx *gorm.DB) error {
		return execAll(tx, `CREATE TABLE stories (
			id TEXT PRIMARY KEY,
			org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
			local BOOLEAN NOT NULL,
			ap_id TEXT NOT NULL UNIQUE,
			url TEXT NOT NULL DEFAULT '',
			title TEXT NOT NULL,
			summary TEXT NOT NULL DEFAULT '',
			body TEXT NOT NULL DEFAULT '',
			content_html TEXT NOT NULL DEFAULT '',
			themes TEXT NOT NULL DEFAULT '[]',
			themes_inferred BOOLEAN NOT NULL DEFAULT FALSE,
			groups TEXT NOT NULL DEFAULT '[]',
			features TEXT NOT NULL DEFAULT '[]',
			countries TEXT NOT NULL DEFAULT '[]',
			languages TEXT NOT NULL DEFAULT '[]',
			visibility TEXT NOT NULL,
			pseudonyms TEXT NOT NULL DEFAULT '[]',
			published_at TIMESTAMP NOT NULL,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL,
			deleted_at TIMESTAMP NULL)`,
			`CREATE INDEX stories_org ON stories (org_id)`,
			`CREATE INDEX stories_published ON stories (published_at)`)
	}},
	{"add each offer's, need's and story's consent to be indexed beyond this node", func(tx *gorm.DB) error {
		return execAll(tx, `ALTER TABLE listings ADD COLUMN indexable BOOLEAN NOT NULL DEFAULT TRUE`,
			`ALTER TABLE stories ADD COLUMN indexable BOOLEAN NOT NULL DEFAULT TRUE`)
	}},
	{"add an organisation's move: movedTo and alsoKnownAs", func(tx *gorm.DB) error {
		return execAll(tx, `ALTER TABLE organizations ADD COLUMN moved_to TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE organizations ADD COLUMN also_known_as TEXT NOT NULL DEFAULT ''`)
	}},
	{"add the contact an organisation shares once an introduction is accepted", func(tx *gorm.DB) error {
		return execAll(tx, `ALTER TABLE organizations ADD COLUMN contact_name TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE organizations ADD COLUMN contact_email TEXT NOT NULL DEFAULT ''`)
	}},
}
