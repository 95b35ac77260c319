package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

type healthResponse struct {
	Status   string `json:"status"`
	Database string `json:"database"`
	Cache    string `json:"cache"`
	WeChat   string `json:"wechat"`
}

func check(ctx context.Context, fn Checker) string {
	if fn == nil {
		return "not configured"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := fn(ctx); err != nil {
		return "down"
	}
	return "ok"
}

// health is 200 when the database answers. Redis and WeChat are reported
// but never make it fail: the product works without them.
func (s *Server) health(c *gin.Context) {
	ctx := c.Request.Context()
	h := healthResponse{Status: "ok", Database: check(ctx, s.deps.Database), Cache: check(ctx, s.deps.Cache),
		WeChat: check(ctx, s.deps.WeChat)}
	status := http.StatusOK
	if h.Database != "ok" {
		h.Status, status = "unavailable", http.StatusServiceUnavailable
	}
	c.JSON(status, h)
}

func (s *Server) officialAccount(c *gin.Context) {
	if s.deps.OfficialAccount == nil {
		noRoute(c)
		return
	}
	s.deps.OfficialAccount.ServeHTTP(c.Writer, c.Request)
}

// live answers as long as the process serves HTTP; it touches nothing else.
// It is the liveness probe, and the baseline of `make bench`.
func live(c *gin.Context) { c.String(http.StatusOK, "ok") }
