package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

func TestMetricsEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newEngine(quietLogger(), NewMetrics(reg))
	e.GET("/x/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	e.POST("/x/:id", func(c *gin.Context) { writeError(c, quietLogger(), errors.New("boom")) })
	hits := []struct{ method, path string }{
		{http.MethodGet, "/x/42"},
		{http.MethodGet, "/x/43"},
		{http.MethodPost, "/x/44"},
		{http.MethodGet, "/definitely/not/here"},
	}
	for _, h := range hits {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(h.method, h.path, nil))
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("/metrics status = %d", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q, want Prometheus text format", ct)
	}
	body := w.Body.String()

	tests := []struct {
		name    string
		line    string
		present bool
	}{
		{"counter by route template", `lixiao_http_requests_total{method="GET",route="/x/:id",status="204"} 2`, true},
		{"error status counted", `lixiao_http_requests_total{method="POST",route="/x/:id",status="500"} 1`, true},
		{"unmatched routes share a label", `lixiao_http_requests_total{method="GET",route="unmatched",status="404"} 1`, true},
		{"histogram count", `lixiao_http_request_duration_seconds_count{method="GET",route="/x/:id"} 2`, true},
		{"1ms bucket exists", `lixiao_http_request_duration_seconds_bucket{method="GET",route="/x/:id",le="0.001"}`, true},
		{"5s bucket exists", `lixiao_http_request_duration_seconds_bucket{method="GET",route="/x/:id",le="5"}`, true},
		{"no raw path", `/x/42`, false},
		{"no raw unmatched path", `/definitely/not/here`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Contains(body, tt.line); got != tt.present {
				t.Errorf("contains %q = %v, want %v\n%s", tt.line, got, tt.present, body)
			}
		})
	}
}

func TestMetricsWithoutGatherer(t *testing.T) {
	// A Registerer that cannot gather still counts, but newEngine has
	// nothing to serve, so /metrics stays unrouted.
	reg := prometheus.NewRegistry()
	m := NewMetrics(prometheus.WrapRegistererWith(prometheus.Labels{"app": "lixiao"}, reg))
	e := newEngine(quietLogger(), m)
	e.GET("/y", func(c *gin.Context) { c.Status(http.StatusOK) })
	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/y", nil))

	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("/metrics status = %d, want 404", w.Code)
	}

	w = httptest.NewRecorder()
	m.Handler(reg).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	want := `lixiao_http_requests_total{app="lixiao",method="GET",route="/y",status="200"} 1`
	if !strings.Contains(w.Body.String(), want) {
		t.Errorf("explicit Handler lacks %q:\n%s", want, w.Body.String())
	}
}

func TestNewMetricsTwicePanics(t *testing.T) {
	reg := prometheus.NewRegistry()
	NewMetrics(reg)
	defer func() {
		if recover() == nil {
			t.Error("registering the collectors twice did not panic")
		}
	}()
	NewMetrics(reg)
}
