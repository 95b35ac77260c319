package wechat

// No t.Parallel: clients swap the SDK's process-wide HTTP client.

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/miniprogram/qrcode"
	"github.com/silenceper/wechat/v2/util"

	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

func TestTransportFailuresSurfaceAsErrors(t *testing.T) {
	const timeout = 300 * time.Millisecond
	send := func(c *sdkClient) error {
		return c.SendSubscribe(context.Background(), SubscribeMessage{ToUser: "oS", TemplateID: "t", Data: map[string]string{"thing1": "x"}})
	}
	login := func(c *sdkClient) error {
		_, err := c.Code2Session(context.Background(), "oS")
		return err
	}
	tests := []struct {
		name    string
		path    string
		failure wxfake.Failure
		call    func(*sdkClient) error
		timeout bool
	}{
		{name: "subscribe 500", path: subscribePath, failure: wxfake.Fail500, call: send},
		{name: "subscribe 503", path: subscribePath, failure: wxfake.HTTPStatus(503), call: send},
		{name: "subscribe timeout", path: subscribePath, failure: wxfake.Timeout, call: send, timeout: true},
		{name: "token 500", path: stablePath, failure: wxfake.Fail500, call: send},
		{name: "token timeout", path: stablePath, failure: wxfake.Timeout, call: send, timeout: true},
		{name: "code2session 500", path: sessionPath, failure: wxfake.Fail500, call: login},
		{name: "code2session timeout", path: sessionPath, failure: wxfake.Timeout, call: login, timeout: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := wxfake.New()
			defer fake.Close()
			fake.SetTimeoutDelay(3 * time.Second)
			cfg := testConfig(fake)
			cfg.Timeout = timeout
			cl, err := New(cfg, nil, nil)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			fake.FailNext(tt.path, 1, tt.failure)
			start := time.Now()
			err = tt.call(cl.(*sdkClient))
			elapsed := time.Since(start)
			if err == nil {
				t.Fatal("want an error")
			}
			if code := ErrCode(err); code != 0 {
				t.Fatalf("transport failure reported as errcode %d: %v", code, err)
			}
			if tt.timeout {
				var ne net.Error
				if !errors.As(err, &ne) || !ne.Timeout() {
					t.Fatalf("err = %v, want a net.Error timeout", err)
				}
			}
			if elapsed > timeout+time.Second {
				t.Fatalf("took %v, want about the client timeout %v", elapsed, timeout)
			}
			for _, secret := range []string{testSecret, "access_token=tok-"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("error text leaks %q: %v", secret, err)
				}
			}
			if n := fake.Count(tt.path); n != 1 {
				t.Fatalf("attempts on %s = %d, want 1 (no retry on transport errors)", tt.path, n)
			}
		})
	}
}

func TestPing(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	ctx := context.Background()
	if err := cl.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	fake.FailNext("/cgi-bin/getcallbackip", 1, wxfake.Fail500)
	if err := cl.Ping(ctx); err == nil {
		t.Fatal("Ping succeeded against a 500")
	}
	fake.Close()
	if err := cl.Ping(ctx); err == nil {
		t.Fatal("Ping succeeded against a closed server")
	}
}

func TestNewLeavesDefaultClientAlone(t *testing.T) {
	beforeClient := http.DefaultClient.Transport
	beforeTransport := http.DefaultTransport
	beforeTimeout := http.DefaultClient.Timeout
	cl, _ := newTestClient(t, nil)
	if _, err := cl.Code2Session(context.Background(), "oS"); err != nil {
		t.Fatalf("Code2Session: %v", err)
	}
	if http.DefaultClient.Transport != beforeClient || http.DefaultTransport != beforeTransport ||
		http.DefaultClient.Timeout != beforeTimeout {
		t.Fatal("New changed http.DefaultClient or http.DefaultTransport")
	}
	if util.DefaultHTTPClient == http.DefaultClient {
		t.Fatal("the SDK still uses http.DefaultClient")
	}
	if util.DefaultHTTPClient != cl.http {
		t.Fatal("the SDK does not use the client New built")
	}
}

func TestRewriteTransport(t *testing.T) {
	var gotPath, gotQuery, gotHost string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotQuery, gotHost = r.URL.Path, r.URL.RawQuery, r.Host
	}))
	defer srv.Close()
	tests := []struct {
		name, base, wantPath string
	}{
		{name: "bare host", base: srv.URL, wantPath: "/cgi-bin/token"},
		{name: "gateway prefix", base: srv.URL + "/wx/", wantPath: "/wx/cgi-bin/token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := parseAPIBase(tt.base)
			if err != nil {
				t.Fatal(err)
			}
			hc := newHTTPClient(base, time.Second)
			req, _ := http.NewRequest(http.MethodGet, DefaultAPIBase+"/cgi-bin/token?a=1&b=%2B", nil)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			resp.Body.Close()
			if gotPath != tt.wantPath || gotQuery != "a=1&b=%2B" || gotHost != base.Host {
				t.Fatalf("server saw host %q path %q query %q", gotHost, gotPath, gotQuery)
			}
			if req.URL.Host != "api.weixin.qq.com" || req.Host != "api.weixin.qq.com" {
				t.Fatalf("the caller's request was modified: %v host %q", req.URL, req.Host)
			}
		})
	}
}

// The fake serves mini-program codes in the shape the SDK accepts.
func TestWXACodeThroughSDK(t *testing.T) {
	cl, fake := newTestClient(t, nil)
	img, err := cl.mp.GetQRCode().GetWXACodeUnlimit(qrcode.QRCoder{Scene: "s=2026001", Page: "pages/index/index"})
	if err != nil {
		t.Fatalf("GetWXACodeUnlimit: %v", err)
	}
	if _, err := jpeg.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("not a JPEG: %v", err)
	}
	_, err = cl.mp.GetQRCode().GetWXACodeUnlimit(qrcode.QRCoder{Scene: strings.Repeat("s", 33)})
	if err == nil || !strings.Contains(err.Error(), "errcode=40169") {
		t.Fatalf("over-long scene: err = %v, want errcode 40169", err)
	}
	if n := fake.Count("/wxa/getwxacodeunlimit"); n != 2 {
		t.Fatalf("calls = %d, want 2", n)
	}
}
