package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the HTTP collectors. It is built from an explicit
// registry so tests and the program never share the global default one.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// gatherer is reg itself when it can also gather (a *prometheus.Registry),
	// so newEngine can serve /metrics without another argument.
	gatherer prometheus.Gatherer
}

// NewMetrics registers the HTTP collectors on reg. It panics if they are
// already registered there, which is a wiring mistake caught at start-up.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lixiao_http_requests_total",
			Help: "HTTP requests handled, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lixiao_http_request_duration_seconds",
			Help:    "HTTP request latency, by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	m.gatherer, _ = reg.(prometheus.Gatherer)
	return m
}

// Middleware records every request under its route template, never the raw
// path, so ids in URLs cannot blow up label cardinality.
func (m *Metrics) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := routeOf(c)
		method := c.Request.Method
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Writer.Status())).Inc()
		m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	}
}

// Handler serves g in the Prometheus text format. A failing collector
// degrades the scrape instead of failing it.
func (m *Metrics) Handler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
