package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lixiao/lixiao/internal/domain"
)

const (
	requestIDHeader = "X-Request-ID"
	requestIDKey    = "request_id"
	maxRequestIDLen = 64
	unmatchedRoute  = "unmatched"
)

// requestID makes every request traceable across client, logs and proxies:
// a sane incoming X-Request-ID is kept, anything else is replaced.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(requestIDHeader)
		if !saneRequestID(id) {
			id = newRequestID()
		}
		c.Set(requestIDKey, id)
		c.Header(requestIDHeader, id)
		c.Next()
	}
}

// requestIDOf returns the id requestID stored, or "" outside that middleware.
func requestIDOf(c *gin.Context) string {
	return c.GetString(requestIDKey)
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9',
			b == '-', b == '_', b == '.':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// routeOf is the route template (e.g. /x/:id), so logs and metrics stay
// free of ids and bounded in cardinality.
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return unmatchedRoute
}

// accessLog writes one line per request. It deliberately omits the raw
// path, query string and headers: they may carry tokens or student data.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		size := max(c.Writer.Size(), 0)
		log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http request",
			slog.String("method", c.Request.Method),
			slog.String("route", routeOf(c)),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("duration", time.Since(start)),
			slog.Int("bytes", size),
			slog.String("request_id", requestIDOf(c)),
			slog.String("ip", c.ClientIP()))
	}
}

// recovery turns a panicking handler into a logged 500 with the usual
// envelope instead of a dropped connection.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				// net/http's own way to abort a response; let it through.
				panic(p)
			}
			log.ErrorContext(c.Request.Context(), "panic in handler",
				slog.String("request_id", requestIDOf(c)),
				slog.String("method", c.Request.Method),
				slog.String("route", routeOf(c)),
				slog.String("panic", fmt.Sprint(p)),
				slog.String("stack", string(debug.Stack())))
			if c.Writer.Written() {
				c.Abort()
				return
			}
			c.AbortWithStatusJSON(http.StatusInternalServerError, internalBody())
		}()
		c.Next()
	}
}

// noRoute keeps unknown paths inside the error contract.
func noRoute(c *gin.Context) {
	c.AbortWithStatusJSON(http.StatusNotFound, errorBody{
		Code: string(domain.CodeNotFound), Message: "接口不存在",
	})
}
