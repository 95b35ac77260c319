package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lixiao/lixiao/internal/signing"
)

const signKeys = "fin1:fin-secret:with:colons:finance,lib1:lib-secret:library"

func signEnv(k string) (string, bool) {
	if k == "LIXIAO_INTEGRATION_KEYS" {
		return signKeys, true
	}
	return "", false
}

// curlArgs splits a printed curl command the way a POSIX shell would.
func curlArgs(t *testing.T, cmd string) []string {
	t.Helper()
	out, err := exec.Command("sh", "-c", `f() { printf '%s\0' "$@"; }; f `+cmd).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// The printed command carries a signature our verifier accepts, for the
// exact body given, whichever way the body is passed.
func TestSign(t *testing.T) {
	body := "{\"records\": [{\"student_no\": \"2021000001\", \"as_of\": \"2026-06-30T09:00:00+08:00\", \"owed_cents\": 0}]}\n"
	file := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, _ := signing.ParseKeys(signKeys)
	tests := []struct {
		name, url, system string
		args              []string
	}{
		{"key and inline body", "http://127.0.0.1:8080/api/v1/integrations/finance/records", "finance", []string{"-key", "fin1", "-body", body}},
		{"system picks the key", "https://lixiao.example.edu/api/v1/integrations/library/records", "library",
			[]string{"-system", "library", "-url", "https://lixiao.example.edu/", "-body", body}},
		{"body from a file", "http://127.0.0.1:8080/api/v1/integrations/finance/records", "finance", []string{"-key", "fin1", "-body", "@" + file}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := sign(tt.args, signEnv, &out); err != nil {
				t.Fatal(err)
			}
			args := curlArgs(t, strings.TrimSpace(out.String()))
			h := http.Header{}
			var gotURL, gotBody string
			for i := 0; i < len(args); i++ {
				switch args[i] {
				case "-H":
					k, v, _ := strings.Cut(args[i+1], ": ")
					h.Add(k, v)
					i++
				case "--data-binary":
					gotBody = args[i+1]
					i++
				case "-X":
					i++
				default:
					if strings.HasPrefix(args[i], "http") {
						gotURL = args[i]
					}
				}
			}
			if args[0] != "curl" || gotURL != tt.url || gotBody != body {
				t.Fatalf("command %q: url %q body %q", out.String(), gotURL, gotBody)
			}
			v := signing.NewVerifier(keys, signing.NewMemoryNonces(), 0, nil)
			if _, err := v.Verify(context.Background(), tt.system, h, []byte(gotBody)); err != nil {
				t.Fatalf("our verifier refuses the printed signature: %v", err)
			}
		})
	}
	for _, args := range [][]string{{"-key", "nobody", "-body", "{}"}, {"-system", "hospital", "-body", "{}"}} {
		if err := sign(args, signEnv, &bytes.Buffer{}); err == nil {
			t.Errorf("sign %v: no error", args)
		}
	}
}

// End to end: the printed command, run by a shell with the real curl,
// clears a demo student's finance stage on the real server.
func TestSignCurlAgainstServer(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("curl is needed for this test: %v", err)
	}
	env := map[string]string{
		"LIXIAO_HTTP_ADDR": "127.0.0.1:0", "LIXIAO_DATABASE_DRIVER": "sqlite",
		"LIXIAO_DATABASE_DSN": filepath.Join(t.TempDir(), "lixiao.db"), "LIXIAO_STAGES_FILE": "../../configs/stages.yaml",
		"LIXIAO_WECHAT_MODE": "fake", "LIXIAO_DEMO": "1", "LIXIAO_LOG_LEVEL": "error", "LIXIAO_INTEGRATION_KEYS": signKeys,
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, lookup, out) }()
	defer func() {
		cancel()
		<-done
	}()
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`listening on http://(\S+)`).FindStringSubmatch(out.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		t.Fatalf("server did not start:\n%s", out.String())
	}
	body := `{"records":[{"student_no":"2021000001","as_of":"` + time.Now().Add(-time.Minute).Format(time.RFC3339) + `","owed_cents":0}]}`
	var cmd bytes.Buffer
	if err := sign([]string{"-key", "fin1", "-url", base, "-body", body}, lookup, &cmd); err != nil {
		t.Fatal(err)
	}
	resp, err := exec.Command("sh", "-c", cmd.String()).Output()
	if err != nil {
		t.Fatalf("curl: %v", err)
	}
	var res struct {
		Results []struct {
			OK     bool
			Status string
		}
	}
	if json.Unmarshal(resp, &res) != nil || len(res.Results) != 1 || !res.Results[0].OK || res.Results[0].Status != "cleared" {
		t.Fatalf("response %s", resp)
	}
	// The same command again is a replay.
	resp, _ = exec.Command("sh", "-c", cmd.String()).Output()
	if !strings.Contains(string(resp), `"unauthenticated"`) {
		t.Fatalf("replay answered %s", resp)
	}
}

// lockedBuffer is the program's stdout, read while the program writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
