package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is everything that differs between MySQL and SQLite.
type dialect interface {
	name() string
	goose() goose.Dialect
	// forUpdate is appended to a SELECT that locks the rows it reads.
	forUpdate() string
	// skipLocked is appended to a SELECT that claims work rows.
	skipLocked() string
	// insertIgnore starts an INSERT that silently skips duplicate keys.
	insertIgnore() string
	// upsert turns an INSERT into an upsert on the primary/unique key.
	upsert(keyCols, updateCols []string) string
	// upsertAdd turns an INSERT into one that adds to col on a duplicate key.
	upsertAdd(keyCols []string, col string) string
	isDuplicate(err error) bool
	lockMigrations(ctx context.Context, db *sql.DB) (unlock func(), err error)
}

type mysqlDialect struct{}

func (mysqlDialect) name() string         { return "mysql" }
func (mysqlDialect) goose() goose.Dialect { return goose.DialectMySQL }
func (mysqlDialect) forUpdate() string    { return " FOR UPDATE" }
func (mysqlDialect) skipLocked() string   { return " FOR UPDATE SKIP LOCKED" }
func (mysqlDialect) insertIgnore() string { return "INSERT IGNORE" }

func (mysqlDialect) upsert(_, updateCols []string) string {
	sets := make([]string, len(updateCols))
	for i, c := range updateCols {
		sets[i] = fmt.Sprintf("%s = VALUES(%s)", c, c)
	}
	return " ON DUPLICATE KEY UPDATE " + strings.Join(sets, ", ")
}

func (mysqlDialect) upsertAdd(_ []string, col string) string {
	return fmt.Sprintf(" ON DUPLICATE KEY UPDATE %s = %s + VALUES(%s)", col, col, col)
}

func (mysqlDialect) isDuplicate(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1062
}

func (mysqlDialect) lockMigrations(ctx context.Context, db *sql.DB) (func(), error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK('lixiao_migrate', 120)").Scan(&got); err != nil {
		conn.Close()
		return nil, err
	}
	if got.Int64 != 1 {
		conn.Close()
		return nil, errors.New("another instance holds the migration lock")
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT RELEASE_LOCK('lixiao_migrate')")
		conn.Close()
	}, nil
}

type sqliteDialect struct{}

func (sqliteDialect) name() string         { return "sqlite" }
func (sqliteDialect) goose() goose.Dialect { return goose.DialectSQLite3 }
func (sqliteDialect) forUpdate() string    { return "" } // transactions are IMMEDIATE: one writer at a time
func (sqliteDialect) skipLocked() string   { return "" }
func (sqliteDialect) insertIgnore() string { return "INSERT OR IGNORE" }

func (sqliteDialect) upsert(keyCols, updateCols []string) string {
	sets := make([]string, len(updateCols))
	for i, c := range updateCols {
		sets[i] = fmt.Sprintf("%s = excluded.%s", c, c)
	}
	return fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s", strings.Join(keyCols, ", "), strings.Join(sets, ", "))
}

func (sqliteDialect) upsertAdd(keyCols []string, col string) string {
	return fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s = %s + excluded.%s", strings.Join(keyCols, ", "), col, col, col)
}

func (sqliteDialect) isDuplicate(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func (sqliteDialect) lockMigrations(context.Context, *sql.DB) (func(), error) {
	return func() {}, nil
}

// sqliteDSN turns a file path into a modernc DSN with the pragmas 离校通
// relies on. A path that already is a "file:" URI keeps its own query.
func sqliteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}
