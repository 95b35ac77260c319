package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/lixiao/lixiao/internal/demo"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

// Two server instances share MySQL and Redis, as in production: a change
// committed through one is what the very next read on the other shows,
// every time, and a login on one is valid on the other.
func TestTwoInstancesStayFresh(t *testing.T) {
	_, dsn := storetest.OpenDSN(t, "mysql")
	rdb, prefix := storetest.Redis(t)
	if rdb == nil {
		t.Skip("TEST_REDIS_ADDR is not set: two instances need a shared Redis")
	}
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	env := map[string]string{
		"LIXIAO_DATABASE_DRIVER": "mysql",
		"LIXIAO_DATABASE_DSN":    dsn,
		"LIXIAO_REDIS_ADDR":      os.Getenv("TEST_REDIS_ADDR"),
		"LIXIAO_REDIS_PREFIX":    prefix,
		"LIXIAO_SECRET":          "two-instances-test-secret-0123456789abcdef",
		"LIXIAO_DEMO":            "1",
	}
	a := startServerEnv(t, fake, env)
	env["LIXIAO_DEMO"] = "0"
	b := startServerEnv(t, fake, env)

	p := demo.People()[0]
	student := login(t, a, "two-instances-student")
	student.call(http.MethodPost, "/api/v1/me/binding", map[string]string{
		"student_no": p.StudentNo, "name": p.Name, "id_last6": p.IDLast6}, nil)
	onB := &client{t: t, base: b, token: student.token} // the same session, on the other instance
	staffA := login(t, a, demo.StaffCode("dorm"))
	staffB := login(t, b, demo.StaffCode("dorm"))

	dorm := func(c *client) string {
		var v struct {
			Stages []struct{ Code, Status string } `json:"stages"`
		}
		c.call(http.MethodGet, "/api/v1/me/progress", nil, &v)
		for _, s := range v.Stages {
			if s.Code == "dorm" {
				return s.Status
			}
		}
		t.Fatal("no dorm stage")
		return ""
	}
	// Readers on both instances keep the cache warm while the writers change dorm.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, base := range []string{a, b} {
		go func() {
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/me/progress", nil)
				req.Header.Set("Authorization", "Bearer "+student.token)
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			}
		}()
	}
	for i := range 20 {
		writer, reader, want := staffA, onB, "cleared"
		action, body := "clear", map[string]string{"student_no": p.StudentNo}
		if i%2 == 1 {
			writer, reader, want = staffB, student, "pending"
			action, body = "revoke", map[string]string{"student_no": p.StudentNo, "reason": "复核"}
		}
		writer.call(http.MethodPost, "/api/v1/staff/stages/dorm/"+action, body, nil)
		if got := dorm(reader); got != want {
			t.Fatalf("round %d: the other instance shows dorm %s after %s committed %s", i, got, strings.TrimPrefix(writer.base, "http://"), want)
		}
	}
	// The audit holds every change exactly once.
	admin := login(t, b, demo.AdminCode)
	var audit struct {
		Items []struct{ Stage string } `json:"items"`
	}
	admin.call(http.MethodGet, "/api/v1/admin/audit?student_no="+p.StudentNo, nil, &audit)
	if len(audit.Items) != 20 {
		t.Fatalf("audit rows = %d, want 20", len(audit.Items))
	}
}

// Bad configuration stops start-up with one line naming the setting.
func TestRun_BadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown driver", map[string]string{"LIXIAO_DATABASE_DRIVER": "postgres"}, "LIXIAO_DATABASE_DRIVER"},
		{"bad dsn", map[string]string{"LIXIAO_DATABASE_DRIVER": "mysql", "LIXIAO_DATABASE_DSN": "no-slash", "LIXIAO_WECHAT_MODE": "fake",
			"LIXIAO_SECRET": "0123456789abcdef0123456789abcdef"}, "LIXIAO_DATABASE_DSN"},
		{"missing stages file", map[string]string{"LIXIAO_STAGES_FILE": "/nonexistent/stages.yaml"}, "LIXIAO_STAGES_FILE"},
		{"bad address", map[string]string{"LIXIAO_HTTP_ADDR": "nowhere"}, "LIXIAO_HTTP_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"LIXIAO_STAGES_FILE": "../../configs/stages.yaml",
				"LIXIAO_DATABASE_DSN": t.TempDir() + "/x.db"}
			for k, v := range tt.env {
				env[k] = v
			}
			lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
			err := run(context.Background(), []string{"serve"}, lookup, &syncBuffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("run = %v, want one line naming %s", err, tt.want)
			}
		})
	}
}
