package signing

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	now0    = time.Unix(1624156200, 0)
	finKey  = Key{ID: "fin1", Secret: "fin-secret", System: SystemFinance}
	libKey  = Key{ID: "lib1", Secret: "lib-secret", System: SystemLibrary}
	payload = []byte(`{"records":[{"student_no":"2018001","as_of":"2021-06-20T09:00:00+08:00","owed_cents":0}]}`)
)

// signed builds the headers a correct client sends.
func signed(k Key, ts int64, nonce string, body []byte) http.Header {
	h := http.Header{}
	h.Set(HeaderKey, k.ID)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignature, Sign(k.Secret, ts, nonce, body))
	return h
}

func newTestVerifier(store NonceStore) *Verifier {
	if store == nil {
		store = NewMemoryNonces()
	}
	return NewVerifier([]Key{finKey, libKey}, store, 0, func() time.Time { return now0 })
}

func TestVerify(t *testing.T) {
	const nonce = "n0nce-0001_abc"
	ts := now0.Unix()
	win := int64(DefaultWindow / time.Second)
	tests := []struct {
		name   string
		system string
		header func() http.Header
		body   []byte
		want   error
	}{
		{name: "valid", header: func() http.Header { return signed(finKey, ts, nonce, payload) }},
		{name: "valid empty body", body: []byte{}, header: func() http.Header { return signed(finKey, ts, nonce, nil) }},
		{name: "edge of past window", header: func() http.Header { return signed(finKey, ts-win, nonce, payload) }},
		{name: "edge of future window", header: func() http.Header { return signed(finKey, ts+win, nonce, payload) }},
		{name: "upper-case hex signature", header: func() http.Header {
			h := signed(finKey, ts, nonce, payload)
			h.Set(HeaderSignature, strings.ToUpper(h.Get(HeaderSignature)))
			return h
		}},
		{name: "timestamp signed as sent", header: func() http.Header {
			h := signed(finKey, ts, nonce, payload)
			raw := "0" + strconv.FormatInt(ts, 10)
			h.Set(HeaderTimestamp, raw)
			h.Set(HeaderSignature, hexOf(macRaw(finKey.Secret, raw, nonce, payload)))
			return h
		}},
		{name: "tampered body", body: []byte(`{"records":[{"student_no":"2018001","owed_cents":1}]}`),
			header: func() http.Header { return signed(finKey, ts, nonce, payload) }, want: ErrBadSignature},
		{name: "body with trailing newline", body: append([]byte(string(payload)), '\n'),
			header: func() http.Header { return signed(finKey, ts, nonce, payload) }, want: ErrBadSignature},
		{name: "wrong secret", want: ErrBadSignature, header: func() http.Header {
			return signed(Key{ID: finKey.ID, Secret: "guess"}, ts, nonce, payload)
		}},
		{name: "signature over other nonce", want: ErrBadSignature, header: func() http.Header {
			h := signed(finKey, ts, nonce, payload)
			h.Set(HeaderNonce, "other-nonce-1")
			return h
		}},
		{name: "signature over other timestamp", want: ErrBadSignature, header: func() http.Header {
			h := signed(finKey, ts, nonce, payload)
			h.Set(HeaderTimestamp, strconv.FormatInt(ts-1, 10))
			return h
		}},
		{name: "wrong system", system: SystemLibrary, want: ErrWrongSystem,
			header: func() http.Header { return signed(finKey, ts, nonce, payload) }},
		{name: "system not an integration", system: "dorm", want: ErrWrongSystem,
			header: func() http.Header { return signed(finKey, ts, nonce, payload) }},
		{name: "unknown key", want: ErrUnknownKey,
			header: func() http.Header { return signed(Key{ID: "nobody", Secret: "x"}, ts, nonce, payload) }},
		{name: "stale by 5m1s", want: ErrStale, header: func() http.Header { return signed(finKey, ts-win-1, nonce, payload) }},
		{name: "future by 5m1s", want: ErrStale, header: func() http.Header { return signed(finKey, ts+win+1, nonce, payload) }},
		{name: "future by a day", want: ErrStale, header: func() http.Header { return signed(finKey, ts+86400, nonce, payload) }},
		{name: "epoch", want: ErrStale, header: func() http.Header { return signed(finKey, 0, nonce, payload) }},
		{name: "huge timestamp", want: ErrStale, header: func() http.Header { return signed(finKey, 999999999999, nonce, payload) }},
		{name: "milliseconds", want: ErrMalformed, header: func() http.Header { return signed(finKey, ts*1000, nonce, payload) }},
		{name: "no headers", want: ErrMissingHeaders, header: func() http.Header { return http.Header{} }},
		{name: "missing key", want: ErrMissingHeaders, header: without(HeaderKey)},
		{name: "missing timestamp", want: ErrMissingHeaders, header: without(HeaderTimestamp)},
		{name: "missing nonce", want: ErrMissingHeaders, header: without(HeaderNonce)},
		{name: "missing signature", want: ErrMissingHeaders, header: without(HeaderSignature)},
		{name: "empty signature", want: ErrMissingHeaders, header: with(HeaderSignature, "")},
		{name: "timestamp letters", want: ErrMalformed, header: with(HeaderTimestamp, "abc")},
		{name: "timestamp negative", want: ErrMalformed, header: with(HeaderTimestamp, "-1624156200")},
		{name: "timestamp plus sign", want: ErrMalformed, header: with(HeaderTimestamp, "+1624156200")},
		{name: "timestamp fraction", want: ErrMalformed, header: with(HeaderTimestamp, "1624156200.5")},
		{name: "timestamp spaces", want: ErrMalformed, header: with(HeaderTimestamp, " 1624156200")},
		{name: "timestamp RFC 3339", want: ErrMalformed, header: with(HeaderTimestamp, "2021-06-20T09:30:00Z")},
		{name: "timestamp overflow", want: ErrMalformed, header: with(HeaderTimestamp, "99999999999999999999")},
		{name: "nonce too short", want: ErrMalformed, header: with(HeaderNonce, "1234567")},
		{name: "nonce too long", want: ErrMalformed, header: with(HeaderNonce, strings.Repeat("a", 65))},
		{name: "nonce bad char", want: ErrMalformed, header: with(HeaderNonce, "abc/defgh")},
		{name: "nonce non-ascii", want: ErrMalformed, header: with(HeaderNonce, "随机数随机数随机数")},
		{name: "signature not hex", want: ErrMalformed, header: with(HeaderSignature, strings.Repeat("z", 64))},
		{name: "signature short", want: ErrMalformed, header: with(HeaderSignature, strings.Repeat("a", 62))},
		{name: "signature base64", want: ErrMalformed, header: with(HeaderSignature, "oRLIJGHjPAUWP1hjXLpARfbthYIw3XLd/9S9yQcWwhI=")},
		{name: "key with space", want: ErrMalformed, header: with(HeaderKey, "fin 1")},
		{name: "repeated signature", want: ErrMalformed, header: func() http.Header {
			h := signed(finKey, ts, nonce, payload)
			h.Add(HeaderSignature, h.Get(HeaderSignature))
			return h
		}},
		// Order: the cheaper, earlier check decides.
		{name: "unknown key before bad signature", want: ErrUnknownKey, header: func() http.Header {
			h := signed(finKey, ts, nonce, []byte("x"))
			h.Set(HeaderKey, "nobody")
			return h
		}},
		{name: "wrong system before stale", system: SystemLibrary, want: ErrWrongSystem,
			header: func() http.Header { return signed(finKey, ts-3600, nonce, payload) }},
		{name: "stale before bad signature", want: ErrStale,
			header: func() http.Header { return signed(Key{ID: finKey.ID, Secret: "guess"}, ts-3600, nonce, payload) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			system := tt.system
			if system == "" {
				system = SystemFinance
			}
			body := tt.body
			if body == nil {
				body = payload
			}
			k, err := newTestVerifier(nil).Verify(context.Background(), system, tt.header(), body)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify = %v, want success", err)
				}
				if k != finKey {
					t.Fatalf("key = %+v, want %+v", k, finKey)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("%v does not match ErrRejected", err)
			}
			if k != (Key{}) {
				t.Fatalf("key %+v returned with error", k)
			}
		})
	}
}

// with returns a valid header set with one header replaced.
func with(name, value string) func() http.Header {
	return func() http.Header {
		h := signed(finKey, now0.Unix(), "n0nce-0001_abc", payload)
		h.Set(name, value)
		return h
	}
}

// without returns a valid header set with one header removed.
func without(name string) func() http.Header {
	return func() http.Header {
		h := signed(finKey, now0.Unix(), "n0nce-0001_abc", payload)
		h.Del(name)
		return h
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// Each step is one request against the same verifier, in order.
func TestVerifyNonceLifecycle(t *testing.T) {
	ctx := context.Background()
	ts := now0.Unix()
	type step struct {
		name   string
		key    Key
		system string
		h      http.Header
		want   error
	}
	forged := signed(Key{ID: finKey.ID, Secret: "guess"}, ts, "nonce-AAAA", payload)
	stale := signed(finKey, ts-3600, "nonce-BBBB", payload)
	steps := []step{
		{"bad signature first", finKey, SystemFinance, forged, ErrBadSignature},
		{"genuine request with that nonce still accepted", finKey, SystemFinance, signed(finKey, ts, "nonce-AAAA", payload), nil},
		{"identical replay refused", finKey, SystemFinance, signed(finKey, ts, "nonce-AAAA", payload), ErrReplay},
		{"replay with new timestamp refused", finKey, SystemFinance, signed(finKey, ts+1, "nonce-AAAA", payload), ErrReplay},
		{"stale request", finKey, SystemFinance, stale, ErrStale},
		{"stale did not burn nonce", finKey, SystemFinance, signed(finKey, ts, "nonce-BBBB", payload), nil},
		{"same nonce under another key is fresh", libKey, SystemLibrary, signed(libKey, ts, "nonce-AAAA", payload), nil},
		{"and replays there too", libKey, SystemLibrary, signed(libKey, ts, "nonce-AAAA", payload), ErrReplay},
	}
	v := newTestVerifier(nil)
	for _, s := range steps {
		k, err := v.Verify(ctx, s.system, s.h, payload)
		if !errors.Is(err, s.want) || (s.want == nil && err != nil) {
			t.Fatalf("%s: Verify = %v, want %v", s.name, err, s.want)
		}
		if s.want == nil && k != s.key {
			t.Fatalf("%s: key = %+v, want %+v", s.name, k, s.key)
		}
	}
}

// recordingStore records the ttl asked for and can fail on demand.
type recordingStore struct {
	calls int
	ttl   time.Duration
	err   error
}

func (r *recordingStore) Remember(_ context.Context, _, _ string, ttl time.Duration) (bool, error) {
	r.calls++
	r.ttl = ttl
	return r.err == nil, r.err
}

func TestVerifyNonceTTLAndStoreErrors(t *testing.T) {
	ctx := context.Background()
	h := signed(finKey, now0.Unix(), "nonce-CCCC", payload)

	rec := &recordingStore{}
	if _, err := newTestVerifier(rec).Verify(ctx, SystemFinance, h, payload); err != nil {
		t.Fatal(err)
	}
	if rec.ttl != 2*DefaultWindow {
		t.Fatalf("nonce ttl = %v, want %v", rec.ttl, 2*DefaultWindow)
	}

	rec = &recordingStore{}
	if _, err := newTestVerifier(rec).Verify(ctx, SystemFinance, h, []byte("tampered")); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("Verify = %v, want ErrBadSignature", err)
	}
	if rec.calls != 0 {
		t.Fatalf("bad signature reached the nonce store %d times", rec.calls)
	}

	boom := errors.New("db down")
	rec = &recordingStore{err: boom}
	_, err := newTestVerifier(rec).Verify(ctx, SystemFinance, h, payload)
	if !errors.Is(err, boom) || errors.Is(err, ErrRejected) {
		t.Fatalf("Verify = %v, want wrapped store error not matching ErrRejected", err)
	}
}

func TestVerifierCustomWindow(t *testing.T) {
	v := NewVerifier([]Key{finKey}, NewMemoryNonces(), time.Minute, func() time.Time { return now0 })
	ctx := context.Background()
	if _, err := v.Verify(ctx, SystemFinance, signed(finKey, now0.Unix()-60, "nonce-DDDD", payload), payload); err != nil {
		t.Fatalf("60s old with 1m window: %v", err)
	}
	if _, err := v.Verify(ctx, SystemFinance, signed(finKey, now0.Unix()-61, "nonce-EEEE", payload), payload); !errors.Is(err, ErrStale) {
		t.Fatalf("61s old with 1m window: %v, want ErrStale", err)
	}
}

func TestNewVerifierPanics(t *testing.T) {
	tests := []struct {
		name  string
		keys  []Key
		store NonceStore
	}{
		{"nil store", []Key{finKey}, nil},
		{"empty secret", []Key{{ID: "k", System: SystemFinance}}, NewMemoryNonces()},
		{"empty id", []Key{{Secret: "s", System: SystemFinance}}, NewMemoryNonces()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("NewVerifier did not panic")
				}
			}()
			NewVerifier(tt.keys, tt.store, 0, nil)
		})
	}
}
