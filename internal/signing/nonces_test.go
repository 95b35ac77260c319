package signing

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestMemoryNonces(t *testing.T) {
	ctx := context.Background()
	clock := now0
	m := NewMemoryNonces()
	m.now = func() time.Time { return clock }

	steps := []struct {
		name         string
		advance      time.Duration
		keyID, nonce string
		want         bool
	}{
		{"first use", 0, "k1", "nonce-1", true},
		{"replay", time.Second, "k1", "nonce-1", false},
		{"other key", 0, "k2", "nonce-1", true},
		{"other nonce", 0, "k1", "nonce-2", true},
		{"just before expiry", 10*time.Minute - 2*time.Second, "k1", "nonce-1", false},
		{"after expiry", 2 * time.Second, "k1", "nonce-1", true},
		{"remembered again", 0, "k1", "nonce-1", false},
	}
	for _, s := range steps {
		clock = clock.Add(s.advance)
		fresh, err := m.Remember(ctx, s.keyID, s.nonce, 10*time.Minute)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if fresh != s.want {
			t.Fatalf("%s: fresh = %v, want %v", s.name, fresh, s.want)
		}
	}
	// The remaining entries expire, and the next call sweeps them.
	clock = clock.Add(time.Hour)
	if _, err := m.Remember(ctx, "k9", "nonce-9", time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := m.Len(); n != 1 {
		t.Fatalf("Len after prune = %d, want 1", n)
	}
}

func TestMemoryNoncesCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewMemoryNonces().Remember(ctx, "k", "nonce-1", time.Minute); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// Exactly one of many concurrent identical requests wins.
func TestMemoryNoncesConcurrent(t *testing.T) {
	m := NewMemoryNonces()
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := map[string]int{}
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nonce := fmt.Sprintf("nonce-%d", i%4)
			fresh, err := m.Remember(context.Background(), "k", nonce, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if fresh {
				mu.Lock()
				wins[nonce]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(wins) != 4 {
		t.Fatalf("wins = %v, want one per nonce", wins)
	}
	for n, c := range wins {
		if c != 1 {
			t.Fatalf("nonce %s fresh %d times", n, c)
		}
	}
}
