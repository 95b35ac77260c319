package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/lixiao/lixiao/internal/api"
	"github.com/lixiao/lixiao/internal/cache"
	"github.com/lixiao/lixiao/internal/config"
	"github.com/lixiao/lixiao/internal/demo"
	"github.com/lixiao/lixiao/internal/service"
	"github.com/lixiao/lixiao/internal/signing"
	"github.com/lixiao/lixiao/internal/stages"
	"github.com/lixiao/lixiao/internal/store"
	"github.com/lixiao/lixiao/internal/wechat"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"
	sdkcache "github.com/silenceper/wechat/v2/cache"
)

// app is one running instance of 离校通 with everything it owns.
type app struct {
	cfg     config.Config
	log     *slog.Logger
	out     io.Writer
	db      *store.DB
	rdb     *redis.Client
	fake    *wxfake.Server
	svc     *service.Service
	handler http.Handler
	ln      net.Listener
	workers []func(ctx context.Context)
	demo    *demo.Summary
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel()}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// open connects to everything and prepares the server, without serving yet.
func open(ctx context.Context, cfg config.Config, out io.Writer) (a *app, err error) {
	a = &app{cfg: cfg, out: out, log: newLogger(cfg, os.Stderr)}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	file, err := stages.Load(cfg.StagesFile)
	if err != nil {
		return nil, fmt.Errorf("stages_file (LIXIAO_STAGES_FILE): %w", err)
	}
	if a.db, err = openDB(ctx, cfg); err != nil {
		return nil, err
	}
	c, wxCache, err := a.openCache(ctx)
	if err != nil {
		return nil, err
	}
	wx, err := a.openWeChat(wxCache)
	if err != nil {
		return nil, err
	}
	templates := notifyTemplates(cfg)
	keys, err := signing.ParseKeys(cfg.IntegrationKeys)
	if err != nil {
		return nil, fmt.Errorf("integration_keys (LIXIAO_INTEGRATION_KEYS): %w", err)
	}
	a.svc = service.New(a.db, c, wx, service.Options{
		Secret: cfg.Secret, AdminOpenIDs: cfg.AdminOpenIDs, SessionTTL: cfg.Session.TTL, QRTTL: cfg.QR.TTL,
		University: cfg.University, Stages: file.Stages, IntegrationKeys: keys,
		SubscribeTemplates: subscribeTemplates(templates),
	}, a.log)
	oaCallback := a.startNotify(wx, templates)
	if cfg.Demo {
		if a.demo, err = demo.Seed(ctx, a.svc, file.Stages, cfg.Secret); err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.handler = api.New(api.Deps{
		Service: a.svc, Log: a.log, Metrics: api.NewMetrics(reg),
		Database: a.db.Ping, Cache: c.Ping, WeChat: wx.Ping, OfficialAccount: oaCallback,
	})
	a.workers = append(a.workers, a.housekeeping)
	return a, nil
}

func openDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	if cfg.Database.Driver == "sqlite" {
		if err := os.MkdirAll(filepath.Dir(cfg.Database.DSN), 0o755); err != nil {
			return nil, fmt.Errorf("database.dsn (LIXIAO_DATABASE_DSN): %w", err)
		}
	}
	db, err := store.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return nil, fmt.Errorf("database.dsn (LIXIAO_DATABASE_DSN): %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database (LIXIAO_DATABASE_DSN): cannot connect: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openCache returns the progress cache and the WeChat access-token cache:
// Redis when configured (shared by every instance), else in-process.
func (a *app) openCache(ctx context.Context) (cache.Cache, sdkcache.Cache, error) {
	if a.cfg.Redis.Addr == "" {
		return cache.NewMemory(), wechat.NewMemoryCache(), nil
	}
	a.rdb = redis.NewClient(&redis.Options{
		Addr: a.cfg.Redis.Addr, Password: a.cfg.Redis.Password, DB: a.cfg.Redis.DB,
		ContextTimeoutEnabled: true, MaxRetries: -1,
		DialTimeout: 250 * time.Millisecond, ReadTimeout: 250 * time.Millisecond, WriteTimeout: 250 * time.Millisecond,
		PoolTimeout: 250 * time.Millisecond, PoolSize: 64, MinIdleConns: 8,
	})
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.rdb.Ping(pctx).Err(); err != nil {
		// Redis is a cache: start anyway and serve from the database.
		a.log.Warn("redis unreachable at start-up; serving from the database until it answers", "addr", a.cfg.Redis.Addr, "err", err)
	}
	return cache.Guard(cache.NewRedis(a.rdb, a.cfg.Redis.Prefix), a.cfg.Redis.Timeout, a.log), wechat.NewRedisCache(a.rdb), nil
}

// openWeChat returns the WeChat client. In fake mode it is the real SDK
// client talking to a built-in fake WeChat server.
func (a *app) openWeChat(c sdkcache.Cache) (wechat.Client, error) {
	wc := wechat.Config{AppID: a.cfg.WeChat.AppID, AppSecret: a.cfg.WeChat.AppSecret, APIBase: a.cfg.WeChat.APIBase,
		OAAppID: a.cfg.WeChat.OfficialAccount.AppID, OAAppSecret: a.cfg.WeChat.OfficialAccount.AppSecret,
		OAToken: a.cfg.WeChat.OfficialAccount.Token, OAEncodingAESKey: a.cfg.WeChat.OfficialAccount.EncodingAESKey}
	if a.cfg.WeChat.Mode == "fake" {
		fake, err := wxfake.Start()
		if err != nil {
			return nil, fmt.Errorf("fake wechat: %w", err)
		}
		a.fake = fake
		wc.APIBase, wc.AppID, wc.AppSecret = fake.URL(), "wxfake-app", "wxfake-secret"
		if wc.OAAppID == "" {
			wc.OAAppID, wc.OAAppSecret = "wxfake-oa", "wxfake-oa-secret"
		}
		if wc.OAToken == "" {
			wc.OAToken = fakeOAToken
		}
	}
	return wechat.New(wc, c, a.log)
}

// housekeeping retries failed cache invalidations and deletes expired rows.
func (a *app) housekeeping(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		a.svc.RetryInvalidations(ctx)
		if n%600 == 0 {
			if err := a.db.DeleteExpired(ctx, time.Now()); err != nil {
				a.log.Warn("delete expired rows", "err", err)
			}
		}
	}
}

// Serve listens and serves until ctx ends, then shuts down gracefully.
func (a *app) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("http.addr (LIXIAO_HTTP_ADDR): %w", err)
	}
	a.ln = ln
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, w := range a.workers {
		go w(wctx)
	}
	a.banner(ln.Addr().String())
	return api.Serve(ctx, ln, a.handler, a.cfg.HTTP.ShutdownTimeout, a.log)
}

func (a *app) banner(addr string) {
	fmt.Fprintf(a.out, "离校通 listening on http://%s (database %s, cache %s, WeChat %s)\n", addr,
		a.cfg.Database.Driver, map[bool]string{true: "redis " + a.cfg.Redis.Addr, false: "in-process"}[a.cfg.Redis.Addr != ""],
		a.cfg.WeChat.Mode)
	if a.demo != nil {
		a.demo.Print(a.out)
	}
}

// Close releases everything open.
func (a *app) Close() {
	if a.fake != nil {
		a.fake.Close()
	}
	if a.rdb != nil {
		a.rdb.Close()
	}
	if a.db != nil {
		a.db.Close()
	}
}

func migrate(ctx context.Context, cfg config.Config, out io.Writer) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(out, "migrations applied (%s)\n", cfg.Database.Driver)
	return nil
}
