package api

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

var generatedID = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestRequestID(t *testing.T) {
	long64 := strings.Repeat("a", 64)
	tests := []struct {
		name     string
		incoming string // "" means no header
		keep     bool
	}{
		{name: "absent is generated", incoming: ""},
		{name: "sane is kept", incoming: "abc-DEF_123.x", keep: true},
		{name: "64 chars is kept", incoming: long64, keep: true},
		{name: "65 chars is replaced", incoming: long64 + "a"},
		{name: "space is replaced", incoming: "abc def"},
		{name: "header injection is replaced", incoming: "abc\r\nSet-Cookie: x"},
		{name: "non-ascii is replaced", incoming: "请求"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(quietLogger(), nil)
			e.GET("/id", func(c *gin.Context) { c.String(http.StatusOK, requestIDOf(c)) })
			req := httptest.NewRequest(http.MethodGet, "/id", nil)
			if tt.incoming != "" {
				req.Header.Set(requestIDHeader, tt.incoming)
			}
			w := httptest.NewRecorder()
			e.ServeHTTP(w, req)

			got := w.Header().Get(requestIDHeader)
			if got != w.Body.String() {
				t.Errorf("header %q and context %q differ", got, w.Body.String())
			}
			if tt.keep && got != tt.incoming {
				t.Errorf("id = %q, want incoming %q kept", got, tt.incoming)
			}
			if !tt.keep && !generatedID.MatchString(got) {
				t.Errorf("id = %q, want 16 generated hex digits", got)
			}
		})
	}
}

func TestRequestIDsDiffer(t *testing.T) {
	e := newEngine(quietLogger(), nil)
	seen := map[string]bool{}
	for range 50 {
		w := httptest.NewRecorder()
		e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/none", nil))
		id := w.Header().Get(requestIDHeader)
		if seen[id] {
			t.Fatalf("request id %q repeated", id)
		}
		seen[id] = true
	}
}

func TestRecovery(t *testing.T) {
	tests := []struct {
		name       string
		handler    gin.HandlerFunc
		wantStatus int
		wantBody   string
	}{
		{
			name:       "panic before writing",
			handler:    func(c *gin.Context) { panic("boom: student 2024001") },
			wantStatus: http.StatusInternalServerError,
		},
		{
			name: "panic after writing keeps the response",
			handler: func(c *gin.Context) {
				c.String(http.StatusOK, "partial")
				panic("late boom")
			},
			wantStatus: http.StatusOK, wantBody: "partial",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, buf := capturingLogger()
			e := newEngine(log, nil)
			e.GET("/p/:id", tt.handler)
			w := httptest.NewRecorder()
			e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/p/7", nil))

			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			id := w.Header().Get(requestIDHeader)
			if !generatedID.MatchString(id) {
				t.Errorf("request id header = %q", id)
			}
			if tt.wantBody != "" {
				if w.Body.String() != tt.wantBody {
					t.Errorf("body = %q, want %q", w.Body.String(), tt.wantBody)
				}
			} else {
				got := decodeEnvelope(t, w.Body.Bytes())
				if got.Code != "internal" || got.Message != internalMessage {
					t.Errorf("body = %+v", got)
				}
				if strings.Contains(w.Body.String(), "boom") {
					t.Errorf("panic value leaked: %s", w.Body.String())
				}
			}
			logged := buf.String()
			for _, want := range []string{`"msg":"panic in handler"`, `"request_id":"` + id + `"`, `"stack":"goroutine`, `"route":"/p/:id"`} {
				if !strings.Contains(logged, want) {
					t.Errorf("log lacks %s: %s", want, logged)
				}
			}
			// The access log (outside recovery) sees the final status.
			if !strings.Contains(logged, `"msg":"http request"`) {
				t.Errorf("no access log line after panic: %s", logged)
			}
		})
	}
}

func TestNoRouteAndNoMethod(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		path       string
		wantStatus int
		wantCode   string
		wantMsg    string
		wantAllow  string
	}{
		{"unknown path", http.MethodGet, "/api/v1/nope", 404, "not_found", "接口不存在", ""},
		{"wrong method", http.MethodDelete, "/things", 404, "not_found", "接口不存在", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(quietLogger(), nil)
			e.GET("/things", func(c *gin.Context) { c.Status(http.StatusNoContent) })
			w := httptest.NewRecorder()
			e.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))

			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			got := decodeEnvelope(t, w.Body.Bytes())
			if got.Code != tt.wantCode || got.Message != tt.wantMsg {
				t.Errorf("body = %+v", got)
			}
			if allow := w.Header().Get("Allow"); allow != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", allow, tt.wantAllow)
			}
			if w.Header().Get(requestIDHeader) == "" {
				t.Error("no request id on a 404/405")
			}
		})
	}
}

func TestAccessLog(t *testing.T) {
	log, buf := capturingLogger()
	e := newEngine(log, nil)
	e.GET("/students/:no", func(c *gin.Context) { c.String(http.StatusOK, "hello") })
	req := httptest.NewRequest(http.MethodGet, "/students/S2024X01?token=tok-s3cr3t", nil)
	req.Header.Set("Authorization", "Bearer bearer-s3cr3t")
	req.Header.Set(requestIDHeader, "trace-1")
	e.ServeHTTP(httptest.NewRecorder(), req)

	logged := buf.String()
	if n := strings.Count(logged, "\n"); n != 1 {
		t.Fatalf("want exactly one line, got %d: %s", n, logged)
	}
	for _, want := range []string{
		`"method":"GET"`, `"route":"/students/:no"`, `"status":200`, `"bytes":5`,
		`"request_id":"trace-1"`, `"ip":"192.0.2.1"`, `"duration":`,
	} {
		if !strings.Contains(logged, want) {
			t.Errorf("log lacks %s: %s", want, logged)
		}
	}
	for _, secret := range []string{"S2024X01", "s3cr3t", "token", "Bearer"} {
		if strings.Contains(logged, secret) {
			t.Errorf("log contains %q: %s", secret, logged)
		}
	}
}
