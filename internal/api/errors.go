package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/lixiao/lixiao/internal/domain"
)

// internalMessage is all a client ever learns about an unexpected failure.
const internalMessage = "服务器内部错误，请稍后再试"

// maxBodyBytes caps a JSON request body; uploads go through multipart instead.
const maxBodyBytes = 1 << 20

// statusOf is the single code → HTTP status table of the API contract.
func statusOf(code domain.Code) int {
	switch code {
	case domain.CodeInvalidArgument:
		return http.StatusBadRequest
	case domain.CodeUnauthenticated:
		return http.StatusUnauthorized
	case domain.CodeForbidden:
		return http.StatusForbidden
	case domain.CodeNotFound:
		return http.StatusNotFound
	case domain.CodeConflict, domain.CodeStageLocked:
		return http.StatusConflict
	case domain.CodeRateLimited:
		return http.StatusTooManyRequests
	case domain.CodeUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the failure envelope of every non-2xx response.
type errorBody struct {
	Code      string   `json:"code"`
	Message   string   `json:"message"`
	BlockedBy []string `json:"blocked_by,omitempty"`
}

// lockedBody is the envelope of stage_locked, which always carries
// blocked_by, empty when nothing but the data itself is missing (the
// library's online application).
type lockedBody struct {
	Code      string   `json:"code"`
	Message   string   `json:"message"`
	BlockedBy []string `json:"blocked_by"`
}

// internalBody is the envelope for anything that is not a caller's mistake.
func internalBody() errorBody {
	return errorBody{Code: string(domain.CodeInternal), Message: internalMessage}
}

// writeError answers err with the error envelope and aborts the chain.
// Only a *domain.Error's message reaches the client; anything else is
// logged in full and answered with a generic internal error.
func writeError(c *gin.Context, log *slog.Logger, err error) {
	body, status, logIt := internalBody(), http.StatusInternalServerError, true
	if e, ok := domain.AsError(err); ok {
		status = statusOf(e.Code)
		logIt = status == http.StatusInternalServerError
		body = errorBody{Code: string(e.Code), Message: e.Message}
		if logIt {
			// Unknown codes are treated as internal so the contract holds.
			body.Code = string(domain.CodeInternal)
		}
		if body.Message == "" {
			body.Message = defaultMessage(domain.Code(body.Code))
		}
		for _, s := range e.BlockedBy {
			body.BlockedBy = append(body.BlockedBy, string(s))
		}
	}
	if logIt {
		log.ErrorContext(c.Request.Context(), "request failed",
			slog.String("request_id", requestIDOf(c)),
			slog.String("method", c.Request.Method),
			slog.String("route", routeOf(c)),
			slog.Any("err", err))
	}
	if c.Writer.Written() {
		// Too late for an envelope; the log line above is all we can do.
		c.Abort()
		return
	}
	if body.Code == string(domain.CodeStageLocked) {
		c.AbortWithStatusJSON(status, lockedBody{Code: body.Code, Message: body.Message,
			BlockedBy: append([]string{}, body.BlockedBy...)})
		return
	}
	c.AbortWithStatusJSON(status, body)
}

// defaultMessage fills in a domain error that was built without a message.
func defaultMessage(code domain.Code) string {
	switch code {
	case domain.CodeInvalidArgument:
		return "请求参数错误"
	case domain.CodeUnauthenticated:
		return "请先登录"
	case domain.CodeForbidden:
		return "无权执行此操作"
	case domain.CodeNotFound:
		return "记录不存在"
	case domain.CodeConflict:
		return "状态已变化，请刷新后重试"
	case domain.CodeStageLocked:
		return "前置环节尚未完成"
	case domain.CodeRateLimited:
		return "操作过于频繁，请稍后再试"
	case domain.CodeUnavailable:
		return "服务暂时不可用，请稍后再试"
	default:
		return internalMessage
	}
}

// bindJSON strictly decodes the request body into dst: exactly one JSON
// value, no unknown fields, at most 1 MiB. A bad body is the caller's fault,
// so it comes back as an invalid_argument error with a short Chinese message.
func bindJSON(c *gin.Context, dst any) error {
	if c.Request.Body == nil || c.Request.Body == http.NoBody {
		return badBody("请求体不能为空", nil)
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case isTooLarge(err):
		return decodeError(err)
	default:
		return badBody("请求格式错误：JSON 之后有多余内容", err)
	}
}

// decodeError turns a json decoding failure into a message a client can act on.
func decodeError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		inv    *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &inv):
		// A programming error in the handler, not the caller's fault.
		return fmt.Errorf("bind json: %w", err)
	case isTooLarge(err):
		return badBody("请求体过大（上限 1 MiB）", err)
	case errors.Is(err, io.EOF):
		return badBody("请求体不能为空", err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badBody("请求格式错误：JSON 不完整", err)
	case errors.As(err, &syntax):
		return badBody("请求格式错误：JSON 语法错误", err)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badBody("请求格式错误：类型不正确", err)
		}
		return badBody(fmt.Sprintf("请求格式错误：字段 %s 类型不正确", clip(typ.Field)), err)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return badBody(fmt.Sprintf("请求格式错误：未知字段 %s", clip(strings.Trim(f, `"`))), err)
	}
	return badBody("请求格式错误：无法读取请求体", err)
}

func isTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

func badBody(msg string, cause error) *domain.Error {
	return &domain.Error{Code: domain.CodeInvalidArgument, Message: msg, Err: cause}
}

// clip keeps a client-supplied field name from bloating the message.
func clip(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}
