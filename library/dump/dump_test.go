package dump_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection of PostgreSQL tests
	"gorm.io/gorm"

	"github.com/citizen-network/commonplace/federation"
	"github.com/citizen-network/commonplace/library"
	"github.com/citizen-network/commonplace/library/dump"
	"github.com/citizen-network/commonplace/search"
)

// schema is the node's, as cmd/commonplace applies it.
var schema = []dump.Component{{"library", library.Migrations}, {"events", library.EventMigrations},
	{"introductions", library.IntroductionMigrations}, {"search", search.Migrations}, {"federation", federation.Migrations}}

var ctx = context.Background()

// openDB opens a database in a new folder and migrates it unless bare.
func openDB(t *testing.T, cfg library.DBConfig, bare bool) *gorm.DB {
	t.Helper()
	if cfg.URL == "" && cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	db, err := library.OpenDB(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	})
	for _, c := range schema {
		if !bare {
			if err := library.Migrate(ctx, db, c.Name, c.Steps); err != nil {
				t.Fatal(err)
			}
		}
	}
	return db
}

// fill adds an organisation with an offer, a need, a story, an event, an
// account with a session and an API token, and a follower with a key.
func fill(t *testing.T, db *gorm.DB) {
	t.Helper()
	s := library.NewStore(db, library.Config{BaseURL: "https://node.test"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	o, err := s.CreateOrganization(ctx, library.OrganizationInput{Handle: "riverside", Name: "Riverside", Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	str := func(v string) *string { return &v }
	for _, k := range []library.ListingKind{library.Offer, library.Need} {
		if _, err := s.CreateListing(ctx, k, o.ID, library.ListingInput{Title: str("Direct payments " + string(k)), Body: str("Support <planning> & budgets.")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateStory(ctx, o.ID, library.StoryInput{Title: str("A year of support"), Body: str("We began with one person.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateEvent(ctx, o.ID, library.EventInput{Title: str("Open day"), Start: str("2027-05-04T10:00:00Z"), End: str("2027-05-04T12:00:00Z"), Timezone: str("Europe/London"), OnlineURL: str("https://meet.test/open")}); err != nil {
		t.Fatal(err)
	}
	a, _, err := s.CreateAccount(ctx, "ann@riverside.test", library.RoleOrgAdmin, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Table("accounts").Where("id = ?", a.ID).Update("password_hash", "$argon2id$secret").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSession(ctx, a.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAPIToken(ctx, o.ID, false, "test"); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	// federation's rows, as its service writes them, for the types they hold
	rows := []struct {
		table string
		row   map[string]any
	}{
		{"federation_keys", map[string]any{"actor_id": "/actors/riverside", "key_id": "/actors/riverside#main-key", "private_pem": "PRIVATE", "public_pem": "PUBLIC", "created_at": now}},
		{"federation_follows", map[string]any{"id": "f1", "follower": "https://other.test/actor", "followee": "/actors/riverside", "state": "accepted", "local_follower": false, "created_at": now, "updated_at": now}},
		{"federation_outbox", map[string]any{"id": "/activities/1", "actor": "/actors/riverside", "type": "Create", "body": "{}", "created_at": now}},
	}
	for _, r := range rows {
		if err := db.Table(r.table).Create(r.row).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// contents reads every table of db as sorted JSON lines, times to the
// microsecond (PostgreSQL's precision).
func contents(t *testing.T, db *gorm.DB, skip ...string) map[string][]string {
	t.Helper()
	tables, err := dump.Tables(ctx, schema)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, tb := range tables {
		if slices.Contains(skip, tb.Name) {
			continue
		}
		var rows []map[string]any
		if err := db.Table(tb.Name).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			for k, v := range r {
				switch x := v.(type) {
				case time.Time:
					r[k] = x.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
				case int32:
					r[k] = int64(x)
				case float32:
					r[k] = float64(x)
				}
			}
			b, _ := json.Marshal(r)
			out[tb.Name] = append(out[tb.Name], string(b))
		}
		slices.Sort(out[tb.Name])
	}
	return out
}

// same compares the contents of two databases, table by table.
func same(t *testing.T, want, have map[string][]string) {
	t.Helper()
	if len(want["listings"]) != 2 || len(want["federation_follows"]) != 1 {
		t.Fatalf("the source is not filled: %v", want)
	}
	for table, rows := range want {
		if !slices.Equal(rows, have[table]) {
			t.Errorf("%s:\n source %v\n copy %v", table, rows, have[table])
		}
	}
}

func TestTablesComeAfterTheTablesTheyReferTo(t *testing.T) {
	tables, err := dump.Tables(ctx, schema)
	if err != nil {
		t.Fatal(err)
	}
	at := map[string]int{}
	for i, tb := range tables {
		at[tb.Name] = i
	}
	for _, pair := range [][2]string{{"organizations", "accounts"}, {"accounts", "sessions"}, {"listings", "introductions"},
		{"events", "registrations"}, {"federation_outbox", "federation_deliveries"}, {"organizations", "match_notifications"}} {
		if _, ok := at[pair[1]]; !ok || at[pair[0]] > at[pair[1]] {
			t.Errorf("%s (%d) should come before %s (%d)", pair[0], at[pair[0]], pair[1], at[pair[1]])
		}
	}
	if _, ok := at["schema_migrations"]; ok {
		t.Error("schema_migrations is the migrations' own table, not data")
	}
	if tables[at["federation_keys"]].Component != "federation" {
		t.Errorf("federation_keys belongs to %q", tables[at["federation_keys"]].Component)
	}
}

// TestExportImport round-trips a node through an export into SQLite and,
// when COMMONPLACE_TEST_POSTGRES is set, PostgreSQL: every table equal but
// for the credentials left behind.
func TestExportImport(t *testing.T) {
	src := openDB(t, library.DBConfig{}, false)
	fill(t, src)
	opts := dump.Options{Omit: library.CredentialTables, Blank: library.CredentialColumns}
	var buf bytes.Buffer
	sum, err := dump.Export(ctx, src, schema, &buf, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range targets(t) {
		t.Run(target.name, func(t *testing.T) {
			dst := openDB(t, target.cfg, true)
			got, err := dump.Import(ctx, dst, schema, bytes.NewReader(buf.Bytes()), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rows != sum.Rows {
				t.Errorf("imported %d rows, exported %d", got.Rows, sum.Rows)
			}
			want, have := contents(t, src, append(library.CredentialTables, "accounts")...), contents(t, dst, append(library.CredentialTables, "accounts")...)
			same(t, want, have)
			var acc []map[string]any
			dst.Table("accounts").Find(&acc)
			if len(acc) != 1 || acc[0]["password_hash"] != "" || acc[0]["email"] != "ann@riverside.test" {
				t.Errorf("accounts: %v", acc)
			}
			for _, table := range library.CredentialTables {
				if n := count(t, dst, table); n != 0 {
					t.Errorf("%s: %d rows left the node", table, n)
				}
			}
			// and out again (from PostgreSQL, a repeatable-read snapshot), into SQLite
			var again bytes.Buffer
			if _, err := dump.Export(ctx, dst, schema, &again, opts, nil); err != nil {
				t.Fatal(err)
			}
			back := openDB(t, library.DBConfig{}, true)
			if _, err := dump.Import(ctx, back, schema, &again, nil); err != nil {
				t.Fatal(err)
			}
			same(t, have, contents(t, back, append(library.CredentialTables, "accounts")...))
			_, err = dump.Import(ctx, dst, schema, bytes.NewReader(buf.Bytes()), nil)
			if !errors.Is(err, dump.ErrNotEmpty) || !strings.Contains(err.Error(), "organizations has 1 rows") {
				t.Errorf("a second import: %v", err)
			}
		})
	}
}

func count(t *testing.T, db *gorm.DB, table string) int64 {
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportRefusesATruncatedExport leaves the target empty.
func TestImportRefusesATruncatedExport(t *testing.T) {
	src := openDB(t, library.DBConfig{}, false)
	fill(t, src)
	var buf bytes.Buffer
	if _, err := dump.Export(ctx, src, schema, &buf, dump.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	dst := openDB(t, library.DBConfig{}, true)
	_, err := dump.Import(ctx, dst, schema, bytes.NewReader(buf.Bytes()[:buf.Len()-30]), nil)
	if err == nil {
		t.Fatal("a truncated export was imported")
	}
	if n := count(t, dst, "organizations"); n != 0 {
		t.Errorf("a failed import left %d organisations", n)
	}
}

// TestCopy copies everything, credentials too, and counts the rows again.
func TestCopy(t *testing.T) {
	src := openDB(t, library.DBConfig{}, false)
	fill(t, src)
	for _, target := range targets(t) {
		t.Run(target.name, func(t *testing.T) {
			dst := openDB(t, target.cfg, true)
			var last, total int64
			sum, err := dump.Copy(ctx, src, dst, schema, func(d, tot int64) { last, total = d, tot })
			if err != nil {
				t.Fatal(err)
			}
			if last != total || total != sum.Rows {
				t.Errorf("progress %d of %d, copied %d", last, total, sum.Rows)
			}
			want, have := contents(t, src), contents(t, dst)
			same(t, want, have)
			// the sequences follow the copied keys
			if err := dst.Table("federation_outbox").Create(map[string]any{"id": "/activities/2", "actor": "a", "type": "Create", "body": "{}", "created_at": time.Now()}).Error; err != nil {
				t.Errorf("insert after the copy: %v", err)
			}
			if _, err := dump.Copy(ctx, src, dst, schema, nil); !errors.Is(err, dump.ErrNotEmpty) {
				t.Errorf("a second copy: %v", err)
			}
		})
	}
}

// TestBackup copies a SQLite database into a folder, and Restore into a new
// data folder that a node can open.
func TestBackup(t *testing.T) {
	src := openDB(t, library.DBConfig{}, false)
	fill(t, src)
	dir := t.TempDir() + "/backup"
	m, err := dump.Backup(ctx, src, schema, dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Rows["listings"] != 2 || m.Rows["federation_keys"] != 1 || m.Schema["library"] != len(library.Migrations) {
		t.Errorf("manifest: %+v", m)
	}
	copied := openDB(t, library.DBConfig{DataDir: dir}, false)
	want, have := contents(t, src), contents(t, copied)
	same(t, want, have)
	if _, err := dump.Backup(ctx, src, schema, dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second backup into the same folder: %v", err)
	}

	restored := t.TempDir() + "/restored"
	if _, err := dump.Restore(ctx, schema, dir, restored); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(library.DBFile(restored)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the restored database: %v %v", info, err)
	}
	same(t, want, contents(t, openDB(t, library.DBConfig{DataDir: restored}, false)))
	if _, err := dump.Restore(ctx, schema, dir, restored); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a restore into a data folder in use: %v", err)
	}
	if _, err := dump.Restore(ctx, schema, t.TempDir(), t.TempDir()+"/x"); err == nil || !strings.Contains(err.Error(), "not a Commonplace backup") {
		t.Errorf("a restore from a folder that is no backup: %v", err)
	}
}

type target struct {
	name string
	cfg  library.DBConfig
}

// targets are a new SQLite folder and, with COMMONPLACE_TEST_POSTGRES, a new PostgreSQL schema.
func targets(t *testing.T) []target {
	out := []target{{"sqlite", library.DBConfig{DataDir: t.TempDir()}}}
	if u := os.Getenv("COMMONPLACE_TEST_POSTGRES"); u != "" {
		out = append(out, target{"postgres", library.DBConfig{URL: postgresSchema(t, u)}})
	}
	return out
}

// postgresSchema makes a schema of its own in the test database and returns its URL.
func postgresSchema(t testing.TB, raw string) string {
	t.Helper()
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("dump_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`); admin.Close() })
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestImportOfAnOlderExport loads an export made before the library's step
// that added listings.indexable at its own steps, then migrates: the rows
// get the new column's default. An export from a newer schema than the importer's is refused.
func TestImportOfAnOlderExport(t *testing.T) {
	at := slices.IndexFunc(library.Migrations, func(m library.Migration) bool { return strings.Contains(m.Description, "consent to be indexed") })
	if at < 0 {
		t.Fatal("no library step adds listings.indexable")
	}
	older := slices.Clone(schema)
	older[0].Steps = library.Migrations[:at] // before listings.indexable
	src, err := library.OpenDB(ctx, library.DBConfig{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range older {
		if err := library.Migrate(ctx, src, c.Name, c.Steps); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.Table("organizations").Create(map[string]any{"id": "o1", "handle": "riverside", "local": true, "name": "Riverside",
		"ap_id": "/orgs/riverside", "created_at": time.Now(), "updated_at": time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	if err := src.Table("listings").Create(map[string]any{"id": "l1", "kind": "offer", "org_id": "o1", "local": true, "ap_id": "/offers/l1",
		"title": "Direct payments", "status": "open", "visibility": "public", "published_at": time.Now(), "created_at": time.Now(), "updated_at": time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := dump.Export(ctx, src, older, &buf, dump.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	dst := openDB(t, library.DBConfig{}, true)
	if _, err := dump.Import(ctx, dst, schema, bytes.NewReader(buf.Bytes()), nil); err != nil {
		t.Fatal(err)
	}
	var indexable []bool
	if err := dst.Table("listings").Pluck("indexable", &indexable).Error; err != nil || len(indexable) != 1 || !indexable[0] {
		t.Errorf("listings.indexable after the import: %v %v", indexable, err)
	}
	steps, _ := library.AppliedMigrations(ctx, dst)
	if steps["library"] != len(library.Migrations) {
		t.Errorf("the import left the library at step %d of %d", steps["library"], len(library.Migrations))
	}

	newer := openDB(t, library.DBConfig{}, false)
	var full bytes.Buffer
	if _, err := dump.Export(ctx, newer, schema, &full, dump.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = dump.Import(ctx, openDB(t, library.DBConfig{}, true), older, &full, nil)
	if err == nil || !strings.Contains(err.Error(), "use a newer one") {
		t.Errorf("an export of a newer schema: %v", err)
	}
}

// openPostgres opens a new, empty schema of the PostgreSQL test database.
func openPostgres(t testing.TB, raw string) *gorm.DB {
	t.Helper()
	db, err := library.OpenDB(ctx, library.DBConfig{URL: postgresSchema(t, raw)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	})
	return db
}
