package signing

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSignKnownVector(t *testing.T) {
	// Computed independently: python3 hmac.new(b"s3cret", b"1624156200\nabcdef0123456789\n{\"records\":[]}", sha256).
	const want = "a212c82461e33c05163f58635cba4045f6ed858230dd72ddfd4bdc90716c2125"
	if got := Sign("s3cret", 1624156200, "abcdef0123456789", []byte(`{"records":[]}`)); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

// SignRequest and Verify agree over a real HTTP round trip.
func TestSignRequestOverHTTP(t *testing.T) {
	key := Key{ID: "fin1", Secret: "s3cret", System: SystemFinance}
	v := NewVerifier([]Key{key}, NewMemoryNonces(), 0, nil)
	var gotErr error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, gotErr = v.Verify(r.Context(), SystemFinance, r.Header, body)
	}))
	defer srv.Close()

	body := []byte("{\"records\": [{\"student_no\": \"2018001\", \"owed_cents\": 0}]}\n")
	nonces := map[string]bool{}
	for i := range 3 {
		req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if err := SignRequest(req, key, body, time.Now()); err != nil {
			t.Fatal(err)
		}
		n := req.Header.Get(HeaderNonce)
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(n) || nonces[n] {
			t.Fatalf("nonce %q is not fresh 32-char hex", n)
		}
		nonces[n] = true
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(req.Header.Get(HeaderSignature)) {
			t.Fatalf("signature %q is not lower-case hex", req.Header.Get(HeaderSignature))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if gotErr != nil {
			t.Fatalf("request %d: Verify = %v", i, gotErr)
		}
	}
}

func TestSignRequestNeedsKey(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	for _, k := range []Key{{ID: "", Secret: "s"}, {ID: "k", Secret: ""}} {
		if err := SignRequest(req, k, nil, time.Now()); err == nil {
			t.Fatalf("SignRequest(%+v) succeeded", k)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"":          "''",
		"plain":     "'plain'",
		"it's":      `'it'\''s'`,
		"$HOME `x`": "'$HOME `x`'",
	}
	for in, want := range tests {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// The curl line, parsed by a real shell, carries headers and a body that Verify accepts.
func TestCurlThroughShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh on PATH: %v", err)
	}
	key := Key{ID: "lib1", Secret: "s3cret", System: SystemLibrary}
	now := time.Unix(1624156200, 0)
	body := []byte("{\"records\": [{\"student_no\": \"2018001\", \"note\": \"O'Brien $HOME `id` \\\\ \"}]}\n")
	url := "http://127.0.0.1:8080/api/v1/integrations/library/records?x=1&y=2"
	line := Curl(key, url, body, now)
	if strings.Contains(line, "\n") && !strings.Contains(string(body), "\n") {
		t.Fatalf("curl line spans lines: %q", line)
	}
	// A shell function named curl prints its arguments NUL-separated instead of running curl.
	out, err := exec.Command(sh, "-c", `curl() { for a in "$@"; do printf '%s\0' "$a"; done; }; `+line).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	args := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	h := http.Header{}
	var gotBody, gotURL string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-H":
			name, value, _ := strings.Cut(args[i+1], ": ")
			h.Add(name, value)
			i++
		case "--data-binary":
			gotBody = args[i+1]
			i++
		case "-X":
			if args[i+1] != "POST" {
				t.Fatalf("method %q", args[i+1])
			}
			i++
		case "-sS":
		default:
			gotURL = args[i]
		}
	}
	if gotURL != url {
		t.Fatalf("url = %q, want %q", gotURL, url)
	}
	if gotBody != string(body) {
		t.Fatalf("body = %q, want %q", gotBody, body)
	}
	v := NewVerifier([]Key{key}, NewMemoryNonces(), 0, func() time.Time { return now })
	if _, err := v.Verify(context.Background(), SystemLibrary, h, []byte(gotBody)); err != nil {
		t.Fatalf("Verify(curl headers) = %v", err)
	}
}
