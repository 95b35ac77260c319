package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/lixiao/lixiao/internal/domain"
)

// quietLogger drops everything; capturingLogger keeps JSON lines to assert on.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func capturingLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewJSONHandler(&buf, nil)), &buf
}

func decodeEnvelope(t *testing.T, body []byte) errorBody {
	t.Helper()
	var eb errorBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&eb); err != nil {
		t.Fatalf("body %q is not the error envelope: %v", body, err)
	}
	return eb
}

func TestStatusOf(t *testing.T) {
	tests := []struct {
		code domain.Code
		want int
	}{
		{domain.CodeInvalidArgument, 400},
		{domain.CodeUnauthenticated, 401},
		{domain.CodeForbidden, 403},
		{domain.CodeNotFound, 404},
		{domain.CodeConflict, 409},
		{domain.CodeStageLocked, 409},
		{domain.CodeRateLimited, 429},
		{domain.CodeUnavailable, 503},
		{domain.CodeInternal, 500},
		{domain.Code("made_up"), 500},
		{domain.Code(""), 500},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			if got := statusOf(tt.code); got != tt.want {
				t.Errorf("statusOf(%q) = %d, want %d", tt.code, got, tt.want)
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	const secret = "dial tcp 10.0.0.5:3306: SELECT id_last6 FROM students"
	locked := &domain.Error{
		Code:      domain.CodeStageLocked,
		Message:   "请先完成导师审核",
		BlockedBy: []domain.StageCode{"supervisor", "college_secretary"},
	}
	tests := []struct {
		name       string
		err        error
		wantStatus int
		want       errorBody
		wantLogged bool
	}{
		{
			name: "stage locked with blocked_by", err: locked, wantStatus: 409,
			want: errorBody{Code: "stage_locked", Message: "请先完成导师审核",
				BlockedBy: []string{"supervisor", "college_secretary"}},
		},
		{
			name: "stage locked without blocking stages still has blocked_by", wantStatus: 409,
			err:  &domain.Error{Code: domain.CodeStageLocked, Message: "暂不能网上申请离校"},
			want: errorBody{Code: "stage_locked", Message: "暂不能网上申请离校"},
		},
		{
			name:       "wrapped domain error",
			err:        fmt.Errorf("get student: %w", domain.ErrNotFound),
			wantStatus: 404, want: errorBody{Code: "not_found", Message: "记录不存在"},
		},
		{
			name:       "domain error with a cause keeps the cause out",
			err:        &domain.Error{Code: domain.CodeConflict, Message: "该账号已绑定", Err: errors.New(secret)},
			wantStatus: 409, want: errorBody{Code: "conflict", Message: "该账号已绑定"},
		},
		{
			name:       "plain error",
			err:        fmt.Errorf("load batch: %w", errors.New(secret)),
			wantStatus: 500, want: errorBody{Code: "internal", Message: internalMessage},
			wantLogged: true,
		},
		{
			name:       "internal domain error is logged",
			err:        &domain.Error{Code: domain.CodeInternal, Message: "导出失败", Err: errors.New(secret)},
			wantStatus: 500, want: errorBody{Code: "internal", Message: "导出失败"},
			wantLogged: true,
		},
		{
			name:       "unknown code becomes internal",
			err:        &domain.Error{Code: "weird", Message: "奇怪", Err: errors.New(secret)},
			wantStatus: 500, want: errorBody{Code: "internal", Message: "奇怪"},
			wantLogged: true,
		},
		{
			name:       "empty message gets a default",
			err:        &domain.Error{Code: domain.CodeRateLimited},
			wantStatus: 429, want: errorBody{Code: "rate_limited", Message: "操作过于频繁，请稍后再试"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, buf := capturingLogger()
			e := newEngine(quietLogger(), nil)
			after := false
			e.GET("/x/:id", func(c *gin.Context) { writeError(c, log, tt.err) }, func(c *gin.Context) { after = true })
			req := httptest.NewRequest(http.MethodGet, "/x/1", nil)
			req.Header.Set(requestIDHeader, "req-abc")
			w := httptest.NewRecorder()
			e.ServeHTTP(w, req)

			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			got := decodeEnvelope(t, w.Body.Bytes())
			if got.Code != tt.want.Code || got.Message != tt.want.Message ||
				strings.Join(got.BlockedBy, ",") != strings.Join(tt.want.BlockedBy, ",") {
				t.Errorf("body = %+v, want %+v", got, tt.want)
			}
			if strings.Contains(w.Body.String(), "10.0.0.5") || strings.Contains(w.Body.String(), "SELECT") {
				t.Errorf("body leaks the cause: %s", w.Body.String())
			}
			if locked := tt.want.Code == "stage_locked"; locked != strings.Contains(w.Body.String(), `"blocked_by":[`) {
				t.Errorf("blocked_by must be present exactly for stage_locked: %s", w.Body.String())
			}
			if after {
				t.Error("handler chain was not aborted")
			}
			logged := buf.String()
			if tt.wantLogged {
				if !strings.Contains(logged, secret) || !strings.Contains(logged, `"request_id":"req-abc"`) ||
					!strings.Contains(logged, `"route":"/x/:id"`) {
					t.Errorf("log lacks the cause, request id or route: %s", logged)
				}
			} else if logged != "" {
				t.Errorf("caller error was logged: %s", logged)
			}
		})
	}
}

func TestBindJSON(t *testing.T) {
	type payload struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	big := `{"name":"` + strings.Repeat("a", maxBodyBytes) + `"}`
	tests := []struct {
		name    string
		body    io.Reader // nil means no body at all
		want    payload
		wantMsg string // "" means success
	}{
		{name: "ok", body: strings.NewReader(`{"name":"张三","age":23}`), want: payload{"张三", 23}},
		{name: "ok with trailing whitespace", body: strings.NewReader("{\"name\":\"a\"}\n \t"), want: payload{Name: "a"}},
		{name: "malformed", body: strings.NewReader(`{"name":}`), wantMsg: "JSON 语法错误"},
		{name: "truncated", body: strings.NewReader(`{"name":"a"`), wantMsg: "JSON 不完整"},
		{name: "unknown field", body: strings.NewReader(`{"name":"a","admin":true}`), wantMsg: "未知字段 admin"},
		{name: "wrong type", body: strings.NewReader(`{"name":"a","age":"23"}`), wantMsg: "字段 age 类型不正确"},
		{name: "not an object", body: strings.NewReader(`[1,2]`), wantMsg: "类型不正确"},
		{name: "empty body", body: strings.NewReader(""), wantMsg: "请求体不能为空"},
		{name: "whitespace body", body: strings.NewReader("  \n"), wantMsg: "请求体不能为空"},
		{name: "no body", body: nil, wantMsg: "请求体不能为空"},
		{name: "too large", body: strings.NewReader(big), wantMsg: "请求体过大"},
		{name: "trailing garbage", body: strings.NewReader(`{"name":"a"} xyz`), wantMsg: "多余内容"},
		{name: "two objects", body: strings.NewReader(`{"name":"a"}{"name":"b"}`), wantMsg: "多余内容"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodPost, "/x", tt.body)
			if tt.body == nil {
				c.Request.Body = nil
			}
			var got payload
			err := bindJSON(c, &got)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("bindJSON: %v", err)
				}
				if got != tt.want {
					t.Errorf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			de, ok := domain.AsError(err)
			if !ok || de.Code != domain.CodeInvalidArgument {
				t.Fatalf("err = %v, want an invalid_argument domain error", err)
			}
			if !strings.Contains(de.Message, tt.wantMsg) {
				t.Errorf("message = %q, want it to mention %q", de.Message, tt.wantMsg)
			}
			if len(de.Message) > 120 {
				t.Errorf("message too long (%d bytes): %q", len(de.Message), de.Message)
			}
		})
	}
}

func TestBindJSONBadDestinationIsInternal(t *testing.T) {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(`{}`))
	var notAPointer struct{}
	err := bindJSON(c, notAPointer)
	if err == nil || domain.ErrorCode(err) != domain.CodeInternal {
		t.Fatalf("err = %v, want an internal error", err)
	}
}
