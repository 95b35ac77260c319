package wechat

// Tests here build real SDK clients, which swap the SDK's process-wide
// util.DefaultHTTPClient: they must not use t.Parallel.

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/cache"

	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

const (
	subscribePath = "/cgi-bin/message/subscribe/send"
	templatePath  = "/cgi-bin/message/template/send"
	stablePath    = "/cgi-bin/stable_token"
	sessionPath   = "/sns/jscode2session"
	testSecret    = "mp-secret-XYZ"
)

func testConfig(fake *wxfake.Server) Config {
	return Config{
		AppID: "wxmp-test", AppSecret: testSecret,
		OAAppID: "wxoa-test", OAAppSecret: "oa-secret",
		APIBase: fake.URL(),
	}
}

// newTestClient starts a fake and a real client pointed at it.
func newTestClient(t *testing.T, c cache.Cache) (*sdkClient, *wxfake.Server) {
	t.Helper()
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	cl, err := New(testConfig(fake), c, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return cl.(*sdkClient), fake
}

func TestCode2Session(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	fake.FailCode("revoked-code")
	tests := []struct {
		name      string
		code      string
		wantOpen  string
		wantUnion string
		wantCode  int
	}{
		{name: "code is openid", code: "oStudent001", wantOpen: "oStudent001", wantUnion: "u_oStudent001"},
		{name: "no unionid", code: "nounion_oX", wantOpen: "oX"},
		{name: "odd characters stay one parameter", code: "a&secret=x", wantOpen: "a&secret=x", wantUnion: "u_a&secret=x"},
		{name: "bad prefix rejected", code: "bad-123", wantCode: ErrCodeInvalidCode},
		{name: "FailCode rejected", code: "revoked-code", wantCode: ErrCodeInvalidCode},
		{name: "empty code", code: "", wantCode: 41008},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cl.Code2Session(context.Background(), tt.code)
			if tt.wantCode != 0 {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Code != tt.wantCode {
					t.Fatalf("err = %v, want APIError %d", err, tt.wantCode)
				}
				if ErrCode(err) != tt.wantCode {
					t.Fatalf("ErrCode = %d, want %d", ErrCode(err), tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("Code2Session: %v", err)
			}
			if s.OpenID != tt.wantOpen || s.UnionID != tt.wantUnion || s.SessionKey == "" {
				t.Fatalf("session = %+v, want openid %q unionid %q and a session key", s, tt.wantOpen, tt.wantUnion)
			}
		})
	}
	if n := fake.Count(stablePath); n != 0 {
		t.Fatalf("code2session fetched %d access tokens, want 0", n)
	}
}

func TestSendSubscribeDelivers(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	msg := SubscribeMessage{
		ToUser: "oStudent001", TemplateID: "tpl-cleared", Page: "pages/progress/index?stage=dorm",
		Data: map[string]string{"thing1": "宿舍", "phrase2": "已通过", "time3": "2026-06-20 10:00"},
	}
	if err := cl.SendSubscribe(context.Background(), msg); err != nil {
		t.Fatalf("SendSubscribe: %v", err)
	}
	got := fake.Subscribes()
	if len(got) != 1 {
		t.Fatalf("deliveries = %d, want 1", len(got))
	}
	d := got[0]
	if d.ToUser != msg.ToUser || d.TemplateID != msg.TemplateID || d.Page != msg.Page {
		t.Fatalf("delivered %+v, want %+v", d, msg)
	}
	if len(d.Data) != len(msg.Data) {
		t.Fatalf("data = %v, want %v", d.Data, msg.Data)
	}
	for k, v := range msg.Data {
		if d.Data[k] != v {
			t.Fatalf("data[%s] = %q, want %q", k, d.Data[k], v)
		}
	}
	if d.State != "formal" || d.Lang != "zh_CN" {
		t.Fatalf("state/lang = %q/%q, want formal/zh_CN", d.State, d.Lang)
	}
}

func TestSendSubscribeErrors(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(*wxfake.Server)
		to         string
		data       map[string]string
		wantCode   int
		wantSends  int
		wantTokens int
	}{
		{name: "user has no subscription", setup: func(f *wxfake.Server) { f.NoQuotaFor("oNoQuota") },
			to: "oNoQuota", wantCode: ErrCodeNoSubscription, wantSends: 1, wantTokens: 1},
		{name: "daily quota", setup: func(f *wxfake.Server) { f.FailNext(subscribePath, 1, wxfake.ErrCode(45009)) },
			wantCode: ErrCodeQuota, wantSends: 1, wantTokens: 1},
		{name: "busy", setup: func(f *wxfake.Server) { f.FailNext(subscribePath, 1, wxfake.ErrCode(-1)) },
			wantCode: ErrCodeBusy, wantSends: 1, wantTokens: 1},
		{name: "value over limit", data: map[string]string{"thing1": strings.Repeat("长", 21)},
			wantCode: 47003, wantSends: 1, wantTokens: 1},
		{name: "token rejected twice is retried once only",
			setup:    func(f *wxfake.Server) { f.FailNext(subscribePath, 2, wxfake.ErrCode(40001)) },
			wantCode: ErrCodeInvalidToken, wantSends: 2, wantTokens: 2},
		{name: "token endpoint answers errcode",
			setup:    func(f *wxfake.Server) { f.FailNext(stablePath, 1, wxfake.ErrCode(-1)) },
			wantCode: ErrCodeBusy, wantSends: 0, wantTokens: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, fake := newTestClient(t, nil)
			if tt.setup != nil {
				tt.setup(fake)
			}
			to, data := tt.to, tt.data
			if to == "" {
				to = "oStudent001"
			}
			if data == nil {
				data = map[string]string{"thing1": "图书馆"}
			}
			err := cl.SendSubscribe(context.Background(), SubscribeMessage{ToUser: to, TemplateID: "tpl", Data: data})
			if ErrCode(err) != tt.wantCode {
				t.Fatalf("err = %v (errcode %d), want errcode %d", err, ErrCode(err), tt.wantCode)
			}
			if n := fake.Count(subscribePath); n != tt.wantSends {
				t.Fatalf("send attempts = %d, want %d", n, tt.wantSends)
			}
			if n := fake.Count(stablePath); n != tt.wantTokens {
				t.Fatalf("token fetches = %d, want %d", n, tt.wantTokens)
			}
			if n := len(fake.Subscribes()); n != 0 {
				t.Fatalf("deliveries = %d, want 0", n)
			}
		})
	}
}

func TestSendSubscribeRefreshesRejectedToken(t *testing.T) {
	tests := []struct {
		name   string
		reject func(*wxfake.Server)
	}{
		{name: "tokens invalidated (40001)", reject: (*wxfake.Server).InvalidateTokens},
		{name: "injected 40001", reject: func(f *wxfake.Server) { f.FailNext(subscribePath, 1, wxfake.ErrCode(40001)) }},
		{name: "injected 42001", reject: func(f *wxfake.Server) { f.FailNext(subscribePath, 1, wxfake.ErrCode(42001)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, fake := newTestClient(t, nil)
			msg := SubscribeMessage{ToUser: "oStudent001", TemplateID: "tpl", Data: map[string]string{"thing1": "财务处"}}
			if err := cl.SendSubscribe(context.Background(), msg); err != nil {
				t.Fatalf("first send: %v", err)
			}
			tt.reject(fake)
			fake.Reset()
			if err := cl.SendSubscribe(context.Background(), msg); err != nil {
				t.Fatalf("send after token rejection: %v", err)
			}
			if n := fake.Count(stablePath); n != 1 {
				t.Fatalf("token fetches after rejection = %d, want 1 (2 in all)", n)
			}
			if n := fake.Count(subscribePath); n != 2 {
				t.Fatalf("send attempts = %d, want 2", n)
			}
			if n := len(fake.Subscribes()); n != 1 {
				t.Fatalf("deliveries = %d, want exactly 1", n)
			}
		})
	}
}

// The first call of a fresh client: token fetched, rejected, fetched again.
func TestSendSubscribeFirstCallTokenRetry(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	fake.FailNext(subscribePath, 1, wxfake.ErrCode(40001))
	msg := SubscribeMessage{ToUser: "oS", TemplateID: "tpl", Data: map[string]string{"thing1": "医院"}}
	if err := cl.SendSubscribe(context.Background(), msg); err != nil {
		t.Fatalf("SendSubscribe: %v", err)
	}
	if n := fake.Count(stablePath); n != 2 {
		t.Fatalf("token endpoint called %d times, want 2", n)
	}
	if n := len(fake.Subscribes()); n != 1 {
		t.Fatalf("deliveries = %d, want 1", n)
	}
}

func TestSendSubscribeCancelledContext(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := cl.SendSubscribe(ctx, SubscribeMessage{ToUser: "oS", TemplateID: "tpl", Data: map[string]string{"thing1": "x"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Fatalf("calls = %d, want 0", n)
	}
}

func TestSendTemplate(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	ctx := context.Background()
	m := TemplateMessage{
		ToUser: "oaUser1", TemplateID: "oa-tpl", URL: "https://example.edu/lixiao",
		MiniProgramPage: "pages/progress/index", Data: map[string]string{"keyword1": "宿舍", "keyword2": "已通过"},
	}
	id1, err := cl.SendTemplate(ctx, m)
	if err != nil {
		t.Fatalf("SendTemplate: %v", err)
	}
	fake.FailNext(templatePath, 1, wxfake.ErrCode(40001))
	id2, err := cl.SendTemplate(ctx, m)
	if err != nil {
		t.Fatalf("SendTemplate after 40001: %v", err)
	}
	got := fake.Templates()
	if len(got) != 2 || got[0].MsgID != id1 || got[1].MsgID != id2 || id1 == 0 || id1 == id2 {
		t.Fatalf("msgids %d, %d; deliveries %+v", id1, id2, got)
	}
	d := got[0]
	if d.ToUser != m.ToUser || d.TemplateID != m.TemplateID || d.URL != m.URL ||
		d.MiniProgramAppID != "wxmp-test" || d.MiniProgramPage != m.MiniProgramPage ||
		d.Data["keyword1"] != "宿舍" || d.Data["keyword2"] != "已通过" {
		t.Fatalf("delivered %+v, want %+v", d, m)
	}
	if n := fake.Count(stablePath); n != 2 {
		t.Fatalf("token fetches = %d, want 2", n)
	}
}

func TestSendTemplateWithoutOfficialAccount(t *testing.T) {
	fake := wxfake.New()
	defer fake.Close()
	cfg := testConfig(fake)
	cfg.OAAppID, cfg.OAAppSecret = "", ""
	cl, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := cl.SendTemplate(context.Background(), TemplateMessage{ToUser: "x"}); !errors.Is(err, ErrNoOfficialAccount) {
		t.Fatalf("err = %v, want ErrNoOfficialAccount", err)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{name: "no app id", cfg: Config{AppSecret: "s"}},
		{name: "oa id without secret", cfg: Config{AppID: "a", AppSecret: "s", OAAppID: "o"}},
		{name: "bad base", cfg: Config{AppID: "a", AppSecret: "s", APIBase: "ftp://x"}},
		{name: "base without host", cfg: Config{AppID: "a", AppSecret: "s", APIBase: "http://"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg, nil, nil); err == nil {
				t.Fatal("New accepted a bad config")
			}
		})
	}
}
