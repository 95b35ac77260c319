package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/service"
)

func (s *Server) subscriptions(c *gin.Context) {
	v, err := s.svc.Subscriptions(c.Request.Context(), principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

type subscribeRequest struct {
	Accepted []string `json:"accepted"`
}

func (s *Server) subscribe(c *gin.Context) {
	var req subscribeRequest
	if err := bindJSON(c, &req); err != nil {
		writeError(c, s.log, err)
		return
	}
	v, err := s.svc.Subscribe(c.Request.Context(), principal(c), req.Accepted)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

type notificationsResponse struct {
	Items []service.NotificationView `json:"items"`
}

func (s *Server) notifications(c *gin.Context) {
	items, err := s.svc.Notifications(c.Request.Context(), principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, notificationsResponse{Items: items})
}

type outboxResponse struct {
	Items []service.OutboxItem `json:"items"`
}

func (s *Server) outbox(c *gin.Context) {
	limit := 0
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			writeError(c, s.log, domain.Errorf(domain.CodeInvalidArgument, "参数 limit 应为正整数"))
			return
		}
		limit = n
	}
	items, err := s.svc.Outbox(c.Request.Context(), principal(c), c.Query("status"), limit)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, outboxResponse{Items: items})
}

func (s *Server) retryOutbox(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	item, err := s.svc.RetryOutbox(c.Request.Context(), principal(c), id)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, item)
}
