package library

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrDatabaseInUse means that another serve process holds the database.
var ErrDatabaseInUse = errors.New("another commonplace serve process is running on this database")

// servingLockClass is the first key of the advisory lock of a serving
// process ("Cmnp"); the second is the schema's hash, so that nodes in
// separate schemas of one database do not exclude each other.
const servingLockClass = 0x436d6e70

// LockServing reserves the database for this serve process until release:
// one process runs the change-log subscribers, the pruner and the queues
// of a database. On PostgreSQL it holds a session advisory lock on a
// connection of its own, and fails at once with ErrDatabaseInUse, naming
// the holder, when another process has it; the lock goes with the
// connection, so a process that dies releases it. SQLite needs no lock
// here: one data folder is one node, and its file locks serialise writes.
func (s *Store) LockServing(ctx context.Context) (release func() error, err error) {
	if !IsPostgres(s.db) {
		return func() error { return nil }, nil
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("library: serving lock: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("library: serving lock: %w", err)
	}
	var got bool
	err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashtext(current_schema()))`, servingLockClass).Scan(&got)
	if err == nil && !got {
		err = fmt.Errorf("%w (%s); stop it first, or give this one its own database", ErrDatabaseInUse, s.lockHolder(ctx))
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("library: %w", err)
	}
	done := make(chan struct{})
	go s.watchServingLock(conn, done)
	return func() error {
		close(done)
		_, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, servingLockClass)
		if cerr := conn.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

// lockHolder describes the session holding the serving lock, for the error.
func (s *Store) lockHolder(ctx context.Context) string {
	var row struct {
		PID    int
		Client string
		Since  time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT a.pid, COALESCE(host(a.client_addr), 'local socket') AS client, a.backend_start AS since
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.classid = ? AND l.objid = hashtext(current_schema())::oid AND l.granted`,
		servingLockClass).Scan(&row).Error
	if err != nil || row.PID == 0 {
		return "PostgreSQL advisory lock held by another session"
	}
	return fmt.Sprintf("PostgreSQL session %d from %s, connected %s", row.PID, row.Client, row.Since.UTC().Format(time.RFC3339))
}

// watchServingLock checks every half minute that the lock's connection is
// alive: a lost connection means another process may take the database,
// which is logged as an error.
func (s *Store) watchServingLock(conn interface {
	PingContext(ctx context.Context) error
}, done chan struct{}) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := conn.PingContext(ctx); err != nil {
				s.log.Error("lost the database's serving lock: another serve process may now run on it", "error", err)
			}
			cancel()
		}
	}
}
