package main

import (
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/demo"
	"github.com/lixiao/lixiao/internal/store/storetest"
	"github.com/lixiao/lixiao/internal/wechat/wxfake"
)

// startRedis runs a private redis-server that the test may kill.
func startRedis(t *testing.T) (addr string, kill func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if storetest.Required() {
			t.Fatal("redis-server is not installed")
		}
		t.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	kill = func() {
		if !killed {
			killed = true
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(kill)
	addr = "127.0.0.1:" + strconv.Itoa(port)
	for range 100 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr, kill
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("redis-server did not start")
	return "", nil
}

// Stopping Redis while the server runs keeps progress answering 200 from
// the database, and changes made meanwhile show at once.
func TestRedisStoppedWhileServing(t *testing.T) {
	addr, kill := startRedis(t)
	fake := wxfake.New()
	t.Cleanup(fake.Close)
	base := startServerEnv(t, fake, map[string]string{
		"LIXIAO_DATABASE_DSN": filepath.Join(t.TempDir(), "lixiao.db"),
		"LIXIAO_DEMO":         "1",
		"LIXIAO_REDIS_ADDR":   addr,
	})
	p := demo.People()[1]
	student := login(t, base, "redis-down-student")
	student.call(http.MethodPost, "/api/v1/me/binding", map[string]string{
		"student_no": p.StudentNo, "name": p.Name, "id_last6": p.IDLast6}, nil)
	staff := login(t, base, demo.StaffCode("dorm"))
	student.call(http.MethodGet, "/api/v1/me/progress", nil, nil) // cached in Redis now

	kill()
	for range 3 {
		start := time.Now()
		if code := student.call(http.MethodGet, "/api/v1/me/progress", nil, nil); code != http.StatusOK {
			t.Fatalf("progress with Redis stopped: %d", code)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("progress took %v with Redis stopped", d)
		}
	}
	staff.call(http.MethodPost, "/api/v1/staff/stages/dorm/clear", map[string]string{"student_no": p.StudentNo}, nil)
	var v struct {
		Stages []struct{ Code, Status string } `json:"stages"`
	}
	student.call(http.MethodGet, "/api/v1/me/progress", nil, &v)
	for _, s := range v.Stages {
		if s.Code == "dorm" && s.Status != "cleared" {
			t.Fatalf("dorm = %s after a clear with Redis stopped", s.Status)
		}
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz with Redis stopped: %v %v", resp, err)
	}
	resp.Body.Close()
}
