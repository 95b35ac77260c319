package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/demo"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

// syncBuffer is the program's stdout, read while the program writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`listening on http://(\S+)`)

// startServer runs the real program on a free port with real-mode WeChat
// pointed at a fake WeChat server, and returns its base URL.
func startServer(t *testing.T) (string, *wxfake.Server) {
	t.Helper()
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	return startServerEnv(t, fake, map[string]string{
		"LIXIAO_DATABASE_DSN": filepath.Join(t.TempDir(), "lixiao.db"),
		"LIXIAO_DEMO":         "1",
	}), fake
}

// startServerEnv runs the real program with the test defaults overridden
// by over, and returns its base URL.
func startServerEnv(t *testing.T, fake *wxfake.Server, over map[string]string) string {
	t.Helper()
	env := map[string]string{
		"LIXIAO_HTTP_ADDR":         "127.0.0.1:0",
		"LIXIAO_DATABASE_DRIVER":   "sqlite",
		"LIXIAO_STAGES_FILE":       "../../configs/stages.yaml",
		"LIXIAO_WECHAT_MODE":       "real",
		"LIXIAO_WECHAT_API_BASE":   fake.URL(),
		"LIXIAO_WECHAT_APP_ID":     "wxjourney",
		"LIXIAO_WECHAT_APP_SECRET": "journey-secret",
		"LIXIAO_ADMIN_OPENIDS":     "journey-admin",
		"LIXIAO_LOG_LEVEL":         "error",
	}
	for k, v := range over {
		env[k] = v
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, lookup, out) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return "http://" + m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no banner on stdout:\n%s", out.String())
	return ""
}

// client calls the API as one WeChat user.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) call(method, path string, in, out any) int {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			c.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

// login exchanges a wx.login code through the fake WeChat (the openid is the code).
func login(t *testing.T, base, code string) *client {
	t.Helper()
	c := &client{t: t, base: base}
	var l struct {
		Token string   `json:"token"`
		Roles []string `json:"roles"`
	}
	c.call(http.MethodPost, "/api/v1/auth/login", map[string]string{"code": code}, &l)
	c.token = l.Token
	return c
}

// TestJourneyStaffClearsDorm: an admin creates a dorm staff account, the
// staff member redeems it, scans a student's QR code and clears dorm; the
// student sees ✓ and the audit shows one row.
func TestJourneyStaffClearsDorm(t *testing.T) {
	base, fake := startServer(t)
	admin := login(t, base, "journey-admin")
	var inv struct {
		ID         int64  `json:"id"`
		InviteCode string `json:"invite_code"`
	}
	if code := admin.call(http.MethodPost, "/api/v1/admin/staff", map[string]string{
		"name": "宿管李老师", "role": "staff", "stage": "dorm", "campus": "A"}, &inv); code != http.StatusCreated || inv.InviteCode == "" {
		t.Fatalf("create staff: %d %+v", code, inv)
	}

	staff := login(t, base, "journey-dorm")
	staff.call(http.MethodPost, "/api/v1/staff/redeem", map[string]string{"invite_code": inv.InviteCode}, nil)
	var me struct {
		Roles []string `json:"roles"`
		Staff struct {
			ID    int64  `json:"id"`
			Stage string `json:"stage"`
		} `json:"staff"`
	}
	staff.call(http.MethodGet, "/api/v1/me", nil, &me)
	if fmt.Sprint(me.Roles) != "[staff]" || me.Staff.ID != inv.ID || me.Staff.Stage != "dorm" {
		t.Fatalf("staff after redeem: %+v", me)
	}

	p := demo.People()[0]
	student := login(t, base, "journey-student")
	student.call(http.MethodPost, "/api/v1/me/binding", map[string]string{
		"student_no": p.StudentNo, "name": p.Name, "id_last6": p.IDLast6}, nil)
	var qr struct {
		Token string `json:"token"`
	}
	student.call(http.MethodGet, "/api/v1/me/qrcode", nil, &qr)

	var scan struct {
		Student struct {
			StudentNo string `json:"student_no"`
		} `json:"student"`
		MyStage string `json:"my_stage"`
		CanAct  bool   `json:"can_act"`
	}
	staff.call(http.MethodPost, "/api/v1/staff/scan", map[string]string{"qr_token": qr.Token}, &scan)
	if scan.Student.StudentNo != p.StudentNo || scan.MyStage != "dorm" || !scan.CanAct {
		t.Fatalf("scan: %+v", scan)
	}
	var stage struct {
		Status string `json:"status"`
	}
	staff.call(http.MethodPost, "/api/v1/staff/stages/dorm/clear", map[string]string{"student_no": scan.Student.StudentNo}, &stage)
	if stage.Status != "cleared" {
		t.Fatalf("clear: %+v", stage)
	}

	var progress struct {
		Stages []struct {
			Code   string `json:"code"`
			Status string `json:"status"`
		} `json:"stages"`
	}
	student.call(http.MethodGet, "/api/v1/me/progress", nil, &progress)
	dorm := ""
	for _, s := range progress.Stages {
		if s.Code == "dorm" {
			dorm = s.Status
		}
	}
	if dorm != "cleared" {
		t.Fatalf("student sees dorm %q, want cleared", dorm)
	}
	var audit struct {
		Items []struct {
			Stage     string `json:"stage"`
			From      string `json:"from"`
			To        string `json:"to"`
			ActorID   string `json:"actor_id"`
			ActorRole string `json:"actor_role"`
			Channel   string `json:"channel"`
		} `json:"items"`
	}
	admin.call(http.MethodGet, "/api/v1/admin/audit?student_no="+p.StudentNo, nil, &audit)
	if len(audit.Items) != 1 {
		t.Fatalf("audit rows: %+v", audit.Items)
	}
	if a := audit.Items[0]; a.Stage != "dorm" || a.From != "pending" || a.To != "cleared" ||
		a.ActorID != fmt.Sprintf("account:%d", inv.ID) || a.ActorRole != "staff" || a.Channel != "scan" {
		t.Fatalf("audit row: %+v", a)
	}
	if n := fake.Count("/sns/jscode2session"); n != 3 {
		t.Fatalf("code2session calls on the fake WeChat = %d, want 3 (real mode)", n)
	}
}
