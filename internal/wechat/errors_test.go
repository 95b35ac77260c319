package wechat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantMsg  string
	}{
		{name: "nil", err: nil},
		{name: "common error", err: util.NewCommonError("Send", 43101, "user refuse to accept the msg"),
			wantCode: 43101, wantMsg: "user refuse to accept the msg"},
		{name: "wrapped common error", err: fmt.Errorf("x: %w", util.NewCommonError("Send", 40001, "invalid")),
			wantCode: 40001, wantMsg: "invalid"},
		{name: "code2session text", err: errors.New("Code2Session error : errcode=40029 , errmsg=invalid code, rid: 1"),
			wantCode: 40029, wantMsg: "invalid code, rid: 1"},
		{name: "template text", err: errors.New("template msg send error : errcode=-1 , errmsg=system error"),
			wantCode: -1, wantMsg: "system error"},
		{name: "stable token text", err: errors.New("get stable access_token error : errcode=40013 , errormsg=invalid appid"),
			wantCode: 40013, wantMsg: "invalid appid"},
		{name: "http status", err: errors.New("http get error : uri=https://h/sns/jscode2session?appid=a&secret=S3CRET&js_code=c , statusCode=500")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify("op", tt.err)
			if tt.err == nil {
				if got != nil {
					t.Fatalf("classify(nil) = %v", got)
				}
				return
			}
			if ErrCode(got) != tt.wantCode {
				t.Fatalf("ErrCode = %d, want %d (%v)", ErrCode(got), tt.wantCode, got)
			}
			var apiErr *APIError
			if tt.wantCode != 0 && (!errors.As(got, &apiErr) || apiErr.Msg != tt.wantMsg) {
				t.Fatalf("APIError = %+v, want msg %q", apiErr, tt.wantMsg)
			}
			if strings.Contains(got.Error(), "S3CRET") {
				t.Fatalf("secret leaked: %v", got)
			}
		})
	}
}

func TestRedactedErrorKeepsCause(t *testing.T) {
	err := classify("op", fmt.Errorf("Get \"https://h/x?access_token=tok-9\": %w", context.DeadlineExceeded))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cause lost: %v", err)
	}
	if strings.Contains(err.Error(), "tok-9") {
		t.Fatalf("token leaked: %v", err)
	}
	if ErrCode(nil) != 0 || ErrCode(errors.New("x")) != 0 {
		t.Fatal("ErrCode of non-API errors must be 0")
	}
}
