// Package storetest opens real databases for tests: SQLite always, MySQL
// when TEST_MYSQL_DSN is set. With TEST_REQUIRE_SERVICES=1 (CI) a missing or
// unreachable MySQL or Redis fails the test instead of skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/redis/go-redis/v9"
)

// Required reports whether CI demands the real services.
func Required() bool { return os.Getenv("TEST_REQUIRE_SERVICES") == "1" }

// Drivers lists the databases a suite runs on. The mysql subtests skip,
// visibly, when TEST_MYSQL_DSN is not set, and fail when it is required.
func Drivers(t testing.TB) []string {
	t.Helper()
	return []string{"sqlite", "mysql"}
}

// Open returns a freshly migrated, empty database of the driver, removed
// when the test ends. Each MySQL call gets a database of its own, so tests
// and packages running at once never see each other's rows.
func Open(t testing.TB, driver string) *store.DB {
	t.Helper()
	db, _ := OpenDSN(t, driver)
	return db
}

// OpenDSN is Open, also returning the DSN, for tests that start a second
// server instance on the same database.
func OpenDSN(t testing.TB, driver string) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch driver {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "test.db")
	case "mysql":
		dsn = mysqlDatabase(t)
	default:
		t.Fatalf("unknown driver %q", driver)
	}
	db, err := store.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", driver, err)
	}
	return db, dsn
}

func mysqlDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_MYSQL_DSN")
	if base == "" {
		if Required() {
			t.Fatal("TEST_REQUIRE_SERVICES=1 but TEST_MYSQL_DSN is not set")
		}
		t.Skip("TEST_MYSQL_DSN is not set: MySQL tests not run")
	}
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		t.Fatalf("TEST_MYSQL_DSN: %v", err)
	}
	admin, err := sql.Open("mysql", base)
	if err != nil {
		t.Fatalf("mysql: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("mysql at TEST_MYSQL_DSN is unreachable: %v", err)
	}
	name := "lixiao_t_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("mysql", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name)
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// Redis returns a client for TEST_REDIS_ADDR and a key prefix unique to the
// test, or nil when Redis is not configured (a failure when required).
func Redis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	addr := os.Getenv("TEST_REDIS_ADDR")
	if addr == "" {
		if Required() {
			t.Fatal("TEST_REQUIRE_SERVICES=1 but TEST_REDIS_ADDR is not set")
		}
		return nil, ""
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		if Required() {
			t.Fatalf("redis at TEST_REDIS_ADDR=%s is unreachable: %v", addr, err)
		}
		t.Logf("redis at %s unreachable, not used: %v", addr, err)
		return nil, ""
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb, "t" + randomHex(4) + ":"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// HungServer listens on loopback, accepts connections and never answers:
// a Redis that hangs. It returns the address; it closes with the test.
func HungServer(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }() // read, never answer
		}
	}()
	return ln.Addr().String()
}
