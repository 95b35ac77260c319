// Command progress is the load benchmark of `make bench`: it starts the
// real server (bin/lixiao) in its own process, logs in the demo students,
// and loads the authenticated, cached GET /api/v1/me/progress over
// loopback, then /livez on the same server as the baseline, and prints both
// and their ratio. The target is a ratio of at least 0.35 with p99 under
// 20 ms at 64 connections.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lixiao/lixiao/internal/demo"
)

func main() {
	bin := flag.String("bin", "bin/lixiao", "server binary")
	conns := flag.Int("c", 64, "concurrent connections")
	dur := flag.Duration("d", 2*time.Second, "duration of each load in a round")
	rounds := flag.Int("rounds", 5, "rounds of baseline then progress, interleaved so drift hits both")
	redisAddr := flag.String("redis", "127.0.0.1:6379", "Redis address for the server's cache; empty for in-process")
	flag.Parse()
	if err := run(*bin, *conns, *dur, *rounds, *redisAddr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func run(bin string, conns int, dur time.Duration, rounds int, redisAddr string) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "lixiao-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cacheDesc := "in-process"
	if redisAddr != "" {
		if c, err := net.DialTimeout("tcp", redisAddr, time.Second); err == nil {
			c.Close()
			cacheDesc = "redis " + redisAddr
		} else {
			redisAddr = ""
		}
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "LIXIAO_HTTP_ADDR="+addr, "LIXIAO_DATABASE_DRIVER=sqlite",
		"LIXIAO_DATABASE_DSN="+filepath.Join(dir, "bench.db"), "LIXIAO_DEMO=1", "LIXIAO_WECHAT_MODE=fake",
		"LIXIAO_REDIS_ADDR="+redisAddr, "LIXIAO_LOG_LEVEL=warn", "LIXIAO_CONFIG="+filepath.Join(dir, "none.yaml"))
	if err := os.WriteFile(filepath.Join(dir, "none.yaml"), []byte("{}\n"), 0o644); err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s (run make build first): %w", bin, err)
	}
	defer func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }()
	base := "http://" + addr
	if err := waitHealthy(base); err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2}}
	tokens, err := loginStudents(client, base)
	if err != nil {
		return err
	}
	fmt.Printf("server: %s, sqlite, cache %s; %d students logged in; %d connections; %d rounds of %v each; clients accept gzip\n",
		bin, cacheDesc, len(tokens), conns, rounds, dur)
	// Warm up both paths (and the progress cache).
	load(client, base+"/livez", nil, conns, time.Second)
	load(client, base+"/api/v1/me/progress", tokens, conns, time.Second)
	var baseline, progress result
	for i := range rounds {
		b := load(client, base+"/livez", nil, conns, dur)
		p := load(client, base+"/api/v1/me/progress", tokens, conns, dur)
		fmt.Printf("round %d: baseline %6.0f req/s, progress %6.0f req/s, ratio %.2f\n", i+1, b.rps, p.rps, p.rps/b.rps)
		baseline.merge(b)
		progress.merge(p)
	}
	baseline.finish()
	progress.finish()
	fmt.Printf("%-28s %10s %9s %9s %9s %7s\n", "endpoint", "req/s", "p50", "p99", "max", "errors")
	baseline.print("GET /livez (baseline)")
	progress.print("GET /api/v1/me/progress")
	ratio := progress.rps / baseline.rps
	verdict := "meets"
	if ratio < 0.35 || progress.p99 > 20*time.Millisecond {
		verdict = "MISSES"
	}
	fmt.Printf("ratio progress/baseline = %.2f (target >= 0.35, p99 < 20ms): %s the target\n", ratio, verdict)
	return nil
}

func waitHealthy(base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("server did not become healthy in 60s")
}

func post(client *http.Client, url, token string, body any) (map[string]any, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s: %d %s", url, resp.StatusCode, data)
	}
	return out, json.Unmarshal(data, &out)
}

// loginStudents logs in and binds every demo student.
func loginStudents(client *http.Client, base string) ([]string, error) {
	var tokens []string
	for _, p := range demo.People() {
		out, err := post(client, base+"/api/v1/auth/login", "", map[string]string{"code": "bench-" + p.StudentNo})
		if err != nil {
			return nil, err
		}
		token, _ := out["token"].(string)
		if _, err := post(client, base+"/api/v1/me/binding", token, map[string]string{
			"student_no": p.StudentNo, "name": p.Name, "id_last6": p.IDLast6}); err != nil {
			return nil, err
		}
		tokens = append(tokens, token)
	}
	return tokens, nil
}

type result struct {
	rps           float64
	p50, p99, max time.Duration
	n, errs       int64
	lat           []time.Duration
	elapsed       time.Duration
}

// merge adds another load's requests to r; finish computes the totals.
func (r *result) merge(o result) {
	r.n += o.n
	r.errs += o.errs
	r.elapsed += o.elapsed
	r.lat = append(r.lat, o.lat...)
}

func (r *result) finish() {
	slices.Sort(r.lat)
	r.rps = float64(r.n) / r.elapsed.Seconds()
	if len(r.lat) > 0 {
		r.p50, r.p99, r.max = r.lat[len(r.lat)/2], r.lat[len(r.lat)*99/100], r.lat[len(r.lat)-1]
	}
}

func (r result) print(name string) {
	fmt.Printf("%-28s %10.0f %9s %9s %9s %7d\n", name, r.rps, r.p50.Round(10*time.Microsecond),
		r.p99.Round(10*time.Microsecond), r.max.Round(10*time.Microsecond), r.errs)
}

// load keeps conns requests in flight against url for dur.
func load(client *http.Client, url string, tokens []string, conns int, dur time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var wg sync.WaitGroup
	var n, errs atomic.Int64
	lat := make([][]time.Duration, conns)
	start := time.Now()
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			// Like the mini-program, accept gzip; the bytes are read as sent.
			req.Header.Set("Accept-Encoding", "gzip")
			if len(tokens) > 0 {
				req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
			}
			for ctx.Err() == nil {
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
				}
				lat[i] = append(lat[i], time.Since(t0))
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	r := result{n: n.Load(), errs: errs.Load(), lat: all, elapsed: elapsed}
	r.finish()
	return r
}
