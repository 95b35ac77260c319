package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// slowHandler tells started when a request is in flight and finishes only
// when release is closed, reporting whether its context was still alive.
func slowHandler(started chan<- struct{}, release <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		if r.Context().Err() != nil {
			http.Error(w, "cancelled", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "done")
	})
}

func TestServeShutdown(t *testing.T) {
	tests := []struct {
		name            string
		shutdownTimeout time.Duration
		releaseAfter    time.Duration // after cancelling ctx
		wantErr         error
		wantBody        string
	}{
		{name: "in-flight request completes", shutdownTimeout: 5 * time.Second,
			releaseAfter: 100 * time.Millisecond, wantBody: "done"},
		{name: "timeout cuts a stuck request", shutdownTimeout: 50 * time.Millisecond,
			releaseAfter: time.Second, wantErr: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			started, release := make(chan struct{}, 1), make(chan struct{})
			defer func() {
				select {
				case <-release:
				default:
					close(release)
				}
			}()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			served := make(chan error, 1)
			go func() { served <- Serve(ctx, ln, slowHandler(started, release), tt.shutdownTimeout, quietLogger()) }()

			type result struct {
				body string
				err  error
			}
			got := make(chan result, 1)
			go func() {
				resp, err := http.Get("http://" + addr + "/slow")
				if err != nil {
					got <- result{err: err}
					return
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				got <- result{string(b), err}
			}()
			select {
			case <-started:
			case <-time.After(5 * time.Second):
				t.Fatal("request never reached the handler")
			}

			cancel()
			time.Sleep(tt.releaseAfter)
			// Shutdown has begun by now: new connections are refused.
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				t.Error("listener still accepts after shutdown began")
			}
			close(release)

			select {
			case err := <-served:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Serve = %v, want %v", err, tt.wantErr)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Serve did not return")
			}
			r := <-got
			if tt.wantBody != "" && (r.err != nil || r.body != tt.wantBody) {
				t.Errorf("in-flight request got %q, %v; want %q", r.body, r.err, tt.wantBody)
			}
			if tt.wantBody == "" && r.err == nil && r.body == "done" {
				t.Error("stuck request unexpectedly completed")
			}
		})
	}
}

func TestServeListenerFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	done := make(chan error, 1)
	go func() {
		done <- Serve(context.Background(), ln, http.NotFoundHandler(), time.Second, quietLogger())
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Serve on a closed listener returned nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve on a closed listener did not return")
	}
}
