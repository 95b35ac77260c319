package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/qrtoken"
	"github.com/lixiao/lixiao/internal/service"
)

// queryID parses an optional positive integer query parameter.
func queryID(c *gin.Context, name string) (int64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.CodeInvalidArgument, "参数 %s 应为正整数", name)
	}
	return id, nil
}

// pathID parses a positive integer path parameter.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.CodeInvalidArgument, "路径参数 %s 应为正整数", name)
	}
	return id, nil
}

func (s *Server) myProgress(c *gin.Context) {
	batch, err := queryID(c, "batch")
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	doc, err := s.svc.MyProgress(c.Request.Context(), principal(c), batch)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	writeDocument(c, doc)
}

type qrResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) qrcode(c *gin.Context) {
	token, exp, err := s.svc.QRToken(principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, qrResponse{Token: token, ExpiresAt: exp})
}

func (s *Server) qrcodePNG(c *gin.Context) {
	token, exp, err := s.svc.QRToken(principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	size := 512
	if v := c.Query("size"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= qrtoken.MinPNGSize && n <= qrtoken.MaxPNGSize {
			size = n
		}
	}
	png, err := qrtoken.PNG(token, size)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("X-QR-Expires-At", exp.Format(time.RFC3339))
	c.Header("X-QR-Token", token)
	c.DataFromReader(http.StatusOK, int64(len(png)), "image/png", bytes.NewReader(png), nil)
}

func (s *Server) libraryApply(c *gin.Context) {
	st, err := s.svc.ApplyLibrary(c.Request.Context(), principal(c))
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// writeDocument sends a JSON document, compressed when the client accepts
// gzip and a compressed form is kept (the progress: about 6.6 KB, 1.5 KB
// compressed, read on every pull-to-refresh).
func writeDocument(c *gin.Context, doc service.Document) {
	c.Header("Vary", "Accept-Encoding")
	if doc.Gzip != nil && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Header("Content-Encoding", "gzip")
		c.Data(http.StatusOK, "application/json; charset=utf-8", doc.Gzip)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", doc.JSON)
}

// acceptsGzip reads an Accept-Encoding header: gzip listed and not q=0.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
