package wxfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const subscribePath = "/cgi-bin/message/subscribe/send"

// answer is the union of the JSON fields the fake answers with.
type answer struct {
	ErrCode     int    `json:"errcode"`
	ErrMsg      string `json:"errmsg"`
	OpenID      string `json:"openid"`
	UnionID     string `json:"unionid"`
	SessionKey  string `json:"session_key"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
	MsgID       int64  `json:"msgid"`
}

func do(t *testing.T, s *Server, method, path string, q url.Values, body any) (int, answer, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL()+path+"?"+q.Encode(), rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a answer
	_ = json.Unmarshal(raw, &a)
	return resp.StatusCode, a, resp.Header, raw
}

func stableToken(t *testing.T, s *Server, force bool) answer {
	t.Helper()
	_, a, _, _ := do(t, s, http.MethodPost, "/cgi-bin/stable_token", nil,
		map[string]any{"grant_type": "client_credential", "appid": "wx1", "secret": "s", "force_refresh": force})
	if a.AccessToken == "" {
		t.Fatalf("no token: %+v", a)
	}
	return a
}

func sendSubscribe(t *testing.T, s *Server, tok, to string, data map[string]string) answer {
	t.Helper()
	d := map[string]any{}
	for k, v := range data {
		d[k] = map[string]string{"value": v}
	}
	_, a, _, _ := do(t, s, http.MethodPost, subscribePath, url.Values{"access_token": {tok}},
		map[string]any{"touser": to, "template_id": "tpl", "page": "p", "data": d, "miniprogram_state": "formal", "lang": "zh_CN"})
	return a
}

func TestCode2Session(t *testing.T) {
	s := New()
	defer s.Close()
	s.FailCode("used")
	tests := []struct {
		code, grant     string
		wantErr         int
		wantOpen, union string
	}{
		{code: "oAbc", grant: "authorization_code", wantOpen: "oAbc", union: "u_oAbc"},
		{code: "nounion_oX", grant: "authorization_code", wantOpen: "oX"},
		{code: "bad1", grant: "authorization_code", wantErr: 40029},
		{code: "used", grant: "authorization_code", wantErr: 40029},
		{code: "", grant: "authorization_code", wantErr: 41008},
		{code: "oAbc", grant: "x", wantErr: 40002},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.grant, func(t *testing.T) {
			q := url.Values{"appid": {"wx1"}, "secret": {"s"}, "js_code": {tt.code}, "grant_type": {tt.grant}}
			status, a, _, _ := do(t, s, http.MethodGet, "/sns/jscode2session", q, nil)
			if status != http.StatusOK || a.ErrCode != tt.wantErr {
				t.Fatalf("status %d answer %+v, want errcode %d", status, a, tt.wantErr)
			}
			if tt.wantErr == 0 && (a.OpenID != tt.wantOpen || a.UnionID != tt.union || a.SessionKey == "") {
				t.Fatalf("answer %+v", a)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	s := New()
	defer s.Close()
	a1, a2 := stableToken(t, s, false), stableToken(t, s, false)
	if a1.AccessToken != a2.AccessToken || a1.ExpiresIn != 7200 {
		t.Fatalf("stable tokens %q %q, want the same one", a1.AccessToken, a2.AccessToken)
	}
	if a3 := stableToken(t, s, true); a3.AccessToken == a1.AccessToken {
		t.Fatal("force_refresh returned the old token")
	}
	q := url.Values{"grant_type": {"client_credential"}, "appid": {"wx1"}, "secret": {"s"}}
	_, b1, _, _ := do(t, s, http.MethodGet, "/cgi-bin/token", q, nil)
	_, b2, _, _ := do(t, s, http.MethodGet, "/cgi-bin/token", q, nil)
	if b1.AccessToken == "" || b1.AccessToken == b2.AccessToken {
		t.Fatalf("/cgi-bin/token gave %q then %q, want two new tokens", b1.AccessToken, b2.AccessToken)
	}
	if _, a, _, _ := do(t, s, http.MethodGet, "/cgi-bin/stable_token", nil, nil); a.ErrCode != 43002 {
		t.Fatalf("GET stable_token: %+v, want 43002", a)
	}
	tok := stableToken(t, s, false).AccessToken
	if a := sendSubscribe(t, s, tok, "o1", map[string]string{"thing1": "x"}); a.ErrCode != 0 {
		t.Fatalf("send with valid token: %+v", a)
	}
	s.InvalidateTokens()
	if a := sendSubscribe(t, s, tok, "o1", map[string]string{"thing1": "x"}); a.ErrCode != 40001 {
		t.Fatalf("send with invalidated token: %+v, want 40001", a)
	}
	if a := sendSubscribe(t, s, "", "o1", map[string]string{"thing1": "x"}); a.ErrCode != 41001 {
		t.Fatalf("send without token: %+v, want 41001", a)
	}
	if fresh := stableToken(t, s, false).AccessToken; fresh == tok {
		t.Fatal("stable_token returned an invalidated token")
	}
}

func TestSubscribeRecords(t *testing.T) {
	s := New()
	defer s.Close()
	tok := stableToken(t, s, false).AccessToken
	s.NoQuotaFor("oNoQuota")
	tests := []struct {
		name    string
		to      string
		data    map[string]string
		wantErr int
	}{
		{name: "delivered", to: "o1", data: map[string]string{"thing1": "宿舍", "phrase2": "已通过"}},
		{name: "no quota", to: "oNoQuota", data: map[string]string{"thing1": "x"}, wantErr: 43101},
		{name: "thing too long", to: "o1", data: map[string]string{"thing1": strings.Repeat("字", 21)}, wantErr: 47003},
		{name: "phrase too long", to: "o1", data: map[string]string{"phrase1": "一二三四五六"}, wantErr: 47003},
		{name: "empty value", to: "o1", data: map[string]string{"thing1": ""}, wantErr: 47003},
		{name: "no touser", to: "", data: map[string]string{"thing1": "x"}, wantErr: 40003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a := sendSubscribe(t, s, tok, tt.to, tt.data); a.ErrCode != tt.wantErr {
				t.Fatalf("answer %+v, want errcode %d", a, tt.wantErr)
			}
		})
	}
	got := s.Subscribes()
	if len(got) != 1 || got[0].ToUser != "o1" || got[0].Data["thing1"] != "宿舍" ||
		got[0].Data["phrase2"] != "已通过" || got[0].State != "formal" || got[0].Lang != "zh_CN" || got[0].MsgID == 0 {
		t.Fatalf("deliveries %+v", got)
	}
	if n := s.Count(subscribePath); n != len(tests) {
		t.Fatalf("Count = %d, want %d attempts", n, len(tests))
	}
	for _, c := range s.Calls() {
		if c.Status != http.StatusOK {
			t.Fatalf("call %s status %d, want 200 (errcodes ride on 200)", c.Path, c.Status)
		}
	}
	s.Reset()
	if len(s.Calls()) != 0 || len(s.Subscribes()) != 0 {
		t.Fatal("Reset kept records")
	}
	if a := sendSubscribe(t, s, tok, "o1", map[string]string{"thing1": "x"}); a.ErrCode != 0 {
		t.Fatalf("token invalid after Reset: %+v", a)
	}
}

func TestTemplateAndCode(t *testing.T) {
	s := New()
	defer s.Close()
	tok := url.Values{"access_token": {stableToken(t, s, false).AccessToken}}
	_, a, _, _ := do(t, s, http.MethodPost, "/cgi-bin/message/template/send", tok, map[string]any{
		"touser": "oa1", "template_id": "t", "url": "https://x",
		"data":        map[string]any{"keyword1": map[string]string{"value": "宿舍"}},
		"miniprogram": map[string]string{"appid": "wxmp", "pagepath": "pages/a"},
	})
	got := s.Templates()
	if a.ErrCode != 0 || a.MsgID == 0 || len(got) != 1 || got[0].MsgID != a.MsgID ||
		got[0].Data["keyword1"] != "宿舍" || got[0].MiniProgramAppID != "wxmp" || got[0].MiniProgramPage != "pages/a" {
		t.Fatalf("answer %+v deliveries %+v", a, got)
	}

	status, _, h, raw := do(t, s, http.MethodPost, "/wxa/getwxacodeunlimit", tok, map[string]any{"scene": "s=1", "page": "pages/a"})
	if status != http.StatusOK || h.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("status %d content-type %q", status, h.Get("Content-Type"))
	}
	if _, err := jpeg.Decode(bytes.NewReader(raw)); err != nil {
		t.Fatalf("not a JPEG: %v", err)
	}
	_, a, h, _ = do(t, s, http.MethodPost, "/wxa/getwxacodeunlimit", nil, map[string]any{"scene": "s=1"})
	if a.ErrCode != 41001 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("without token: %+v %q", a, h.Get("Content-Type"))
	}
}

func TestFailNext(t *testing.T) {
	s := New()
	defer s.Close()
	tok := stableToken(t, s, false).AccessToken
	s.FailNext(subscribePath, 2, ErrCode(45009))
	s.FailNext(subscribePath, 1, Fail500)
	data := map[string]string{"thing1": "x"}
	for i, want := range []int{45009, 45009} {
		if a := sendSubscribe(t, s, tok, "o1", data); a.ErrCode != want {
			t.Fatalf("call %d: %+v, want %d", i, a, want)
		}
	}
	if status, _, _, _ := do(t, s, http.MethodPost, subscribePath, url.Values{"access_token": {tok}}, map[string]any{}); status != 500 {
		t.Fatalf("third call status %d, want 500", status)
	}
	if a := sendSubscribe(t, s, tok, "o1", data); a.ErrCode != 0 {
		t.Fatalf("after the rules ran out: %+v", a)
	}
	calls := s.Calls()
	statuses := []int{}
	for _, c := range calls {
		if c.Path == subscribePath {
			statuses = append(statuses, c.Status)
		}
	}
	if want := []int{200, 200, 500, 200}; !equalInts(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
	if len(s.Subscribes()) != 1 {
		t.Fatalf("deliveries %d, want 1", len(s.Subscribes()))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFailRatio(t *testing.T) {
	s := New()
	defer s.Close()
	s.SetSeed(42)
	tok := stableToken(t, s, false).AccessToken
	s.FailRatio(subscribePath, 0.5, ErrCode(-1))
	const n = 200
	failed := 0
	for range n {
		if sendSubscribe(t, s, tok, "o1", map[string]string{"thing1": "x"}).ErrCode == -1 {
			failed++
		}
	}
	if failed < n/4 || failed > 3*n/4 {
		t.Fatalf("%d of %d failed, want about half", failed, n)
	}
	if got := len(s.Subscribes()); got != n-failed {
		t.Fatalf("deliveries %d, want %d", got, n-failed)
	}
	s.ClearFailures()
	if a := sendSubscribe(t, s, tok, "o1", map[string]string{"thing1": "x"}); a.ErrCode != 0 {
		t.Fatalf("after ClearFailures: %+v", a)
	}
}

func TestTimeout(t *testing.T) {
	s := New()
	defer s.Close()
	s.SetTimeoutDelay(150 * time.Millisecond)
	s.FailNext("/cgi-bin/getcallbackip", 1, Timeout)
	start := time.Now()
	if status, _, _, _ := do(t, s, http.MethodGet, "/cgi-bin/getcallbackip", nil, nil); status != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504 after the delay", status)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("answered after %v, before the delay", d)
	}

	// A client that gives up first is recorded as 499, promptly.
	s.SetTimeoutDelay(10 * time.Second)
	s.FailNext("/cgi-bin/getcallbackip", 1, Timeout)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/cgi-bin/getcallbackip", nil)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		calls := s.Calls()
		if last := calls[len(calls)-1]; last.Status == StatusClientClosed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stalled call not released: %+v", calls[len(calls)-1])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := New()
	defer s.Close()
	tok := stableToken(t, s, false).AccessToken
	s.FailRatio(subscribePath, 0.3, ErrCode(45009))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for range 10 {
				body := `{"touser":"o1","template_id":"t","data":{"thing1":{"value":"x"}}}`
				resp, err := http.Post(s.URL()+subscribePath+"?access_token="+tok, "application/json", strings.NewReader(body))
				if err != nil {
					t.Errorf("post: %v", err)
					return
				}
				resp.Body.Close()
				_ = s.Count(subscribePath)
				_ = s.Subscribes()
			}
		})
	}
	wg.Go(func() { s.FailNext(subscribePath, 5, Fail500); s.NoQuotaFor("o2") })
	wg.Wait()
	if n := s.Count(subscribePath); n != 100 {
		t.Fatalf("Count = %d, want 100", n)
	}
}

func TestStartAndHandler(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %q", s.URL())
	}
	var _ http.Handler = s
	s.Close()
	s.Close() // idempotent
	if _, err := http.Get(s.URL() + "/cgi-bin/getcallbackip"); err == nil {
		t.Fatal("server still answers after Close")
	}
}
