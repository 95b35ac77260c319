package wechat

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

const oaToken = "oa-callback-token"

// oaSign is WeChat's callback signature, computed independently of the SDK.
func oaSign(token, timestamp, nonce string) string {
	parts := []string{token, timestamp, nonce}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

func oaEvent(from, event string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event></xml>`, from, event)
}

func newFakeOnly(t *testing.T) *wxfake.Server {
	t.Helper()
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	return fake
}

type followLog struct {
	calls []string
	fail  error
}

func (l *followLog) follows() OAFollows {
	return OAFollows{
		Follow: func(_ context.Context, oa, union string) error {
			l.calls = append(l.calls, "follow "+oa+" "+union)
			return l.fail
		},
		Unfollow: func(_ context.Context, oa string) error {
			l.calls = append(l.calls, "unfollow "+oa)
			return l.fail
		},
	}
}

func TestOAHandler(t *testing.T) {
	fake := newFakeOnly(t)
	cfg := testConfig(fake)
	cfg.OAToken = oaToken
	cl, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fake.SetUnionID("oa-1", "u_mp-1")
	tests := []struct {
		name       string
		method     string
		sig        string // "" signs correctly
		body       string
		query      url.Values
		fail       error
		wantStatus int
		wantBody   string
		wantCalls  []string
	}{
		{name: "url check", method: http.MethodGet, query: url.Values{"echostr": {"echo-123"}},
			wantStatus: 200, wantBody: "echo-123"},
		{name: "follow links through the unionid", method: http.MethodPost, body: oaEvent("oa-1", "subscribe"),
			wantStatus: 200, wantBody: "success", wantCalls: []string{"follow oa-1 u_mp-1"}},
		{name: "unfollow", method: http.MethodPost, body: oaEvent("oa-1", "unsubscribe"),
			wantStatus: 200, wantBody: "success", wantCalls: []string{"unfollow oa-1"}},
		{name: "bad signature changes nothing", method: http.MethodPost, sig: "0000", body: oaEvent("oa-1", "unsubscribe"),
			wantStatus: http.StatusForbidden},
		{name: "other messages are acknowledged", method: http.MethodPost, body: strings.Replace(oaEvent("oa-1", "CLICK"), "event", "text", 1),
			wantStatus: 200, wantBody: "success"},
		{name: "a failed link is not acknowledged", method: http.MethodPost, body: oaEvent("oa-2", "subscribe"),
			fail: errors.New("database down"), wantStatus: http.StatusInternalServerError, wantCalls: []string{"follow oa-2 u_oa-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &followLog{fail: tt.fail}
			h, err := NewOAHandler(cl, l.follows(), nil)
			if err != nil {
				t.Fatal(err)
			}
			q := url.Values{"timestamp": {"1700000000"}, "nonce": {"n0nce"}}
			for k, v := range tt.query {
				q[k] = v
			}
			q.Set("signature", oaSign(oaToken, "1700000000", "n0nce"))
			if tt.sig != "" {
				q.Set("signature", tt.sig)
			}
			req := httptest.NewRequest(tt.method, "/wechat/official-account/callback?"+q.Encode(), strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "text/xml")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.wantStatus || (tt.wantBody != "" && string(body) != tt.wantBody) {
				t.Fatalf("answer %d %q, want %d %q", rec.Code, body, tt.wantStatus, tt.wantBody)
			}
			if fmt.Sprint(l.calls) != fmt.Sprint(tt.wantCalls) {
				t.Fatalf("calls %v, want %v", l.calls, tt.wantCalls)
			}
		})
	}
}

func TestNewOAHandlerNeedsOfficialAccount(t *testing.T) {
	fake := newFakeOnly(t)
	f := (&followLog{}).follows()
	noOA := testConfig(fake)
	noOA.OAAppID, noOA.OAAppSecret = "", ""
	noToken := testConfig(fake)
	for name, cfg := range map[string]Config{"no official account": noOA, "no token": noToken} {
		t.Run(name, func(t *testing.T) {
			cl, err := New(cfg, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := NewOAHandler(cl, f, nil); err == nil {
				t.Fatal("handler built without what it needs")
			}
		})
	}
}
