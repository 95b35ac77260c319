package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Server timeouts: generous enough for spreadsheet uploads and exports,
// tight enough that slow or idle clients cannot hold connections forever.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
)

// Serve runs h on ln until ctx is cancelled, then stops accepting and lets
// in-flight requests finish within shutdownTimeout. It returns nil after a
// clean shutdown. ln is closed when Serve returns.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, shutdownTimeout time.Duration, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests keep ctx's values but not its cancellation, so a
		// shutdown lets them finish instead of cutting their queries.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("http server listening", slog.String("addr", ln.Addr().String()))

	select {
	case err := <-errc:
		return fmt.Errorf("http serve: %w", err)
	case <-ctx.Done():
	}

	log.Info("http server shutting down", slog.Duration("timeout", shutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		<-errc
		return fmt.Errorf("http shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http serve: %w", err)
	}
	log.Info("http server stopped")
	return nil
}

// newEngine builds the gin engine with the plumbing every route shares.
// Order matters: recovery is innermost so the access log and metrics see
// the 500 it writes. Routes are added by the caller; /metrics is served
// here when m was built on a registry that can also gather.
func newEngine(log *slog.Logger, m *Metrics) *gin.Engine {
	// gin's mode is a process-wide atomic; setting it again is harmless.
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	// A known path with an unknown method is an unknown route: 404
	// not_found, inside the code → status table (405 has no code there).
	e.HandleMethodNotAllowed = false
	e.ContextWithFallback = true
	// Only a proxy on this host may set X-Forwarded-For / X-Real-IP.
	_ = e.SetTrustedProxies([]string{"127.0.0.1", "::1"})

	e.Use(requestID())
	if m != nil {
		e.Use(m.Middleware())
	}
	e.Use(accessLog(log), recovery(log))
	e.NoRoute(noRoute)
	if m != nil && m.gatherer != nil {
		e.GET("/metrics", gin.WrapH(m.Handler(m.gatherer)))
	}
	return e
}
