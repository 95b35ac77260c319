package wechat

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/silenceper/wechat/v2/util"
)

// WeChat errcodes the app reacts to.
const (
	ErrCodeInvalidCode    = 40029 // bad or used wx.login code
	ErrCodeInvalidToken   = 40001 // access_token invalid or not the latest
	ErrCodeExpiredToken   = 42001 // access_token expired
	ErrCodeNoSubscription = 43101 // the user has no subscription left for the template
	ErrCodeQuota          = 45009 // daily API quota reached
	ErrCodeBusy           = -1    // WeChat system busy; retry later
)

// APIError means WeChat answered with a non-zero errcode. It is returned
// (possibly wrapped) by every Client method so callers can branch on Code
// without knowing how the SDK reports errors.
type APIError struct {
	Code int
	Msg  string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("errcode=%d errmsg=%s", e.Code, e.Msg)
}

// ErrCode returns the WeChat errcode carried by err, or 0 when err is nil or
// not an APIError (a transport failure).
func ErrCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return 0
}

// isTokenError reports whether err says the access token must be refetched.
func isTokenError(err error) bool {
	code := ErrCode(err)
	return code == ErrCodeInvalidToken || code == ErrCodeExpiredToken
}

// errcodeText matches the errcode the SDK formats into its plain errors, e.g.
// "Code2Session error : errcode=40029 , errmsg=invalid code".
var errcodeText = regexp.MustCompile(`errcode=(-?\d+)(?:\s*,\s*(?:errmsg|errormsg)=(.*))?`)

// secretParam matches query parameters that must not reach logs.
var secretParam = regexp.MustCompile(`(secret|access_token|js_code)=[^&\s"]*`)

// classify turns an SDK error into an *APIError when WeChat answered with an
// errcode, and otherwise into an error whose text has secrets redacted (the
// SDK puts the full URL, including appsecret or access_token, in its errors).
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var common *util.CommonError
	if errors.As(err, &common) && common.ErrCode != 0 {
		return fmt.Errorf("wechat: %s: %w", op, &APIError{Code: int(common.ErrCode), Msg: common.ErrMsg})
	}
	msg := err.Error()
	if m := errcodeText.FindStringSubmatch(msg); m != nil {
		if code, convErr := strconv.Atoi(m[1]); convErr == nil && code != 0 {
			return fmt.Errorf("wechat: %s: %w", op, &APIError{Code: code, Msg: strings.TrimSpace(m[2])})
		}
	}
	return &redactedError{msg: "wechat: " + op + ": " + secretParam.ReplaceAllString(msg, "$1=REDACTED"), err: err}
}

// redactedError hides secrets in the message but keeps the cause reachable
// for errors.Is / errors.As (e.g. context.DeadlineExceeded, net.Error).
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
