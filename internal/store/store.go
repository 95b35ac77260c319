// Package store keeps 离校通's data in MySQL (or MariaDB) or in an embedded
// SQLite file. Both speak the same hand-written SQL; the few differences
// between them live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/mysql/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// DB is the storage of 离校通. OpenSQLite and OpenMySQL return the two
// implementations; the conformance suite in store_test.go holds both to the
// same behaviour.
type DB struct {
	db *sql.DB
	d  dialect
}

// OpenSQLite opens (creating if needed) the SQLite database at path.
func OpenSQLite(path string) (*DB, error) {
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// WAL lets readers run beside the one writer; immediate transactions
	// and the busy timeout queue writers instead of failing them.
	db.SetMaxOpenConns(8)
	return &DB{db: db, d: sqliteDialect{}}, nil
}

// OpenMySQL opens a MySQL or MariaDB database. The DSN is normalised so
// times are read back as UTC time.Time values.
func OpenMySQL(dsn string) (*DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse mysql dsn: %w", err)
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.MultiStatements = false
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "utf8mb4"
	cfg.Params["time_zone"] = "'+00:00'"
	cfg.Collation = "utf8mb4_unicode_ci"
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, fmt.Errorf("open mysql: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxLifetime(30 * time.Minute)
	return &DB{db: db, d: mysqlDialect{}}, nil
}

// Open opens the database named by driver ("sqlite" or "mysql").
func Open(driver, dsn string) (*DB, error) {
	switch driver {
	case "sqlite":
		return OpenSQLite(dsn)
	case "mysql":
		return OpenMySQL(dsn)
	}
	return nil, fmt.Errorf("unknown database driver %q", driver)
}

// Close closes the connection pool.
func (s *DB) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Driver names the dialect: "sqlite" or "mysql".
func (s *DB) Driver() string { return s.d.name() }

// Migrate applies the embedded migrations that have not run yet. On MySQL a
// named lock keeps several instances starting at once from racing.
func (s *DB) Migrate(ctx context.Context) error {
	unlock, err := s.d.lockMigrations(ctx, s.db)
	if err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer unlock()
	sub, err := fs.Sub(migrations, "migrations/"+s.d.name())
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	p, err := goose.NewProvider(s.d.goose(), s.db, sub)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// tx runs fn in a transaction, committing when fn returns nil.
func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.txWith(ctx, nil, fn)
}

// txWith is tx with transaction options.
func (s *DB) txWith(ctx context.Context, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// notFound turns sql.ErrNoRows into a domain not_found error with msg.
func notFound(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return &domain.Error{Code: domain.CodeNotFound, Message: msg, Err: err}
	}
	return err
}

// utc normalises times before they are written: UTC, microseconds (MySQL's
// DATETIME(6) precision), so both databases give back what was written.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func nullTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return utc(*t)
}

func timePtr(nt sql.NullTime) *time.Time {
	if !nt.Valid {
		return nil
	}
	t := nt.Time.UTC()
	return &t
}
