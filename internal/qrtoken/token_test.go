package qrtoken

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"
)

var (
	testSecret = []byte("server-secret-for-tests")
	t0         = time.Date(2021, 6, 20, 9, 30, 0, 0, time.UTC)
)

// clock is a settable time source for expiry tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestSigner(c *clock) *Signer { return NewSigner(testSecret, 0, c.now) }

func TestRoundTrip(t *testing.T) {
	c := &clock{t: t0}
	s := newTestSigner(c)
	tests := []struct {
		name      string
		batch     int64
		studentNo string
	}{
		{"typical", 7, "20181302045"},
		{"one char", 1, "A"},
		{"max length", 1<<63 - 1, "ABCDEFGHIJ0123456789"},
		{"letters", 300, "MSc2021xy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, exp, err := s.Issue(tt.batch, tt.studentNo)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			if want := t0.Add(DefaultTTL); !exp.Equal(want) {
				t.Fatalf("expiresAt = %v, want %v", exp, want)
			}
			got, err := s.Verify(tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.BatchID != tt.batch || got.StudentNo != tt.studentNo || !got.ExpiresAt.Equal(exp) {
				t.Fatalf("claims = %+v, want batch %d student %q exp %v", got, tt.batch, tt.studentNo, exp)
			}
			if err := got.ForBatch(tt.batch); err != nil {
				t.Fatalf("ForBatch(own batch) = %v", err)
			}
		})
	}
}

func TestIssueRejectsBadClaims(t *testing.T) {
	s := newTestSigner(&clock{t: t0})
	tests := []struct {
		name      string
		batch     int64
		studentNo string
	}{
		{"zero batch", 0, "2018001"},
		{"negative batch", -3, "2018001"},
		{"empty student", 1, ""},
		{"too long", 1, strings.Repeat("1", MaxStudentNoLen+1)},
		{"space", 1, "2018 001"},
		{"non-ascii", 1, "２０１８"},
		{"dash", 1, "2018-001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := s.Issue(tt.batch, tt.studentNo); !errors.Is(err, ErrInvalidClaims) {
				t.Fatalf("Issue err = %v, want ErrInvalidClaims", err)
			}
		})
	}
}

func TestLengthUnder60(t *testing.T) {
	s := NewSigner(testSecret, DefaultTTL, nil) // real clock: expiry needs 5 varint bytes today
	tok, _, err := s.Issue(1<<40, strings.Repeat("9", MaxStudentNoLen))
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) >= 60 {
		t.Fatalf("token %q has %d chars, want < 60", tok, len(tok))
	}
	for _, r := range tok {
		if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", r) {
			t.Fatalf("token %q has non-base64url char %q", tok, r)
		}
	}
}

func TestTamperedRawBytesRejected(t *testing.T) {
	s := newTestSigner(&clock{t: t0})
	tok, _, err := s.Issue(42, "20181302045")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(raw)
			bad[i] ^= mask
			_, err := s.Verify(base64.RawURLEncoding.EncodeToString(bad))
			if !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("byte %d ^ %#x: Verify err = %v, want rejection", i, mask, err)
			}
			if i > 0 && !errors.Is(err, ErrBadSignature) {
				t.Fatalf("byte %d ^ %#x: err = %v, want ErrBadSignature", i, mask, err)
			}
		}
	}
}

func TestTamperedCharsRejected(t *testing.T) {
	s := newTestSigner(&clock{t: t0})
	tok, _, err := s.Issue(42, "20181302045")
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range len(tok) {
		for _, r := range alphabet {
			if byte(r) == tok[i] {
				continue
			}
			bad := tok[:i] + string(r) + tok[i+1:]
			if _, err := s.Verify(bad); err == nil {
				t.Fatalf("char %d -> %q accepted", i, r)
			}
		}
	}
	// Truncated, extended, and with characters the decoder would skip.
	for _, bad := range []string{tok[:len(tok)-1], tok + "A", tok[1:], tok + "=",
		tok[:5] + "\r" + tok[5:], tok + "\n", " " + tok, tok + " "} {
		if _, err := s.Verify(bad); err == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestWrongSecret(t *testing.T) {
	c := &clock{t: t0}
	tok, _, err := NewSigner([]byte("another-secret"), 0, c.now).Issue(1, "2018001")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newTestSigner(c).Verify(tok); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("err = %v, want ErrBadSignature", err)
	}
}

// A MAC keyed with the raw server secret (as another component might compute) must not pass:
// the QR key is derived with its own label.
func TestDomainSeparation(t *testing.T) {
	c := &clock{t: t0}
	tok, _, err := newTestSigner(c).Issue(1, "2018001")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	body := raw[:len(raw)-macLen]
	undivided := &Signer{key: testSecret, ttl: DefaultTTL, now: c.now}
	forged := base64.RawURLEncoding.EncodeToString(append(bytes.Clone(body), undivided.mac(body)...))
	if _, err := newTestSigner(c).Verify(forged); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("err = %v, want ErrBadSignature", err)
	}
}

func TestExpiry(t *testing.T) {
	c := &clock{t: t0}
	s := NewSigner(testSecret, 2*time.Minute, c.now)
	tok, exp, err := s.Issue(1, "2018001")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		want error
	}{
		{"just issued", t0, nil},
		{"one second before expiry", exp.Add(-time.Second), nil},
		{"at expiry", exp, ErrExpired},
		{"long after", exp.Add(time.Hour), ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = tt.at
			if _, err := s.Verify(tok); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestOtherBatch(t *testing.T) {
	c := &clock{t: t0}
	s := newTestSigner(c)
	tok, _, err := s.Issue(9, "2018001")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.BatchID != 9 {
		t.Fatalf("BatchID = %d, want 9", got.BatchID)
	}
	if err := got.ForBatch(10); !errors.Is(err, ErrWrongBatch) {
		t.Fatalf("ForBatch(10) = %v, want ErrWrongBatch", err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	s := newTestSigner(&clock{t: t0})
	tests := []string{
		"",
		"!!!!",
		"abc",
		strings.Repeat("A", 500),
		"AQ",
		base64.RawURLEncoding.EncodeToString(make([]byte, minRawLen)),
		base64.StdEncoding.EncodeToString([]byte{version, 1, 1, '1', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
	}
	for _, tok := range tests {
		if _, err := s.Verify(tok); !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBadSignature) {
			t.Fatalf("Verify(%q) err = %v, want rejection", tok, err)
		}
	}
}

// A body signed with our key but not one Issue would produce is still refused.
func TestSignedButInvalidBody(t *testing.T) {
	c := &clock{t: t0}
	s := newTestSigner(c)
	exp := uint64(t0.Add(time.Minute).Unix())
	tests := []struct {
		name string
		body []byte
	}{
		{"zero batch", append(appendUv(appendUv([]byte{version}, 0), exp), "2018"...)},
		{"zero expiry", append(appendUv(appendUv([]byte{version}, 1), 0), "2018"...)},
		{"batch overflows int64", append(appendUv(appendUv([]byte{version}, 1<<63), exp), "2018"...)},
		{"bad student char", append(appendUv(appendUv([]byte{version}, 1), exp), "20 8"...)},
		{"truncated varint", []byte{version, 0x80, 0x80, 0x80}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := base64.RawURLEncoding.EncodeToString(append(bytes.Clone(tt.body), s.mac(tt.body)...))
			if _, err := s.Verify(tok); !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

func appendUv(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func TestNewSignerPanicsOnEmptySecret(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewSigner(nil secret) did not panic")
		}
	}()
	NewSigner(nil, 0, nil)
}

func TestPNG(t *testing.T) {
	tok, _, err := NewSigner(testSecret, 0, nil).Issue(3, strings.Repeat("7", MaxStudentNoLen))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{MinPNGSize, 256, 430} {
		b, err := PNG(tok, size)
		if err != nil {
			t.Fatalf("PNG(%d): %v", size, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("png.Decode: %v", err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Fatalf("size %d: image is %dx%d", size, r.Dx(), r.Dy())
		}
	}
	for _, size := range []int{0, -4, MinPNGSize - 1, MaxPNGSize + 1} {
		if _, err := PNG(tok, size); err == nil {
			t.Fatalf("PNG(size %d) accepted", size)
		}
	}
	if _, err := PNG("", 256); err == nil {
		t.Fatal("PNG(empty token) accepted")
	}
}

func FuzzVerify(f *testing.F) {
	c := &clock{t: t0}
	s := newTestSigner(c)
	good, _, err := s.Issue(5, "20181302045")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{good, "", "AQ", "AQEBMQ", good[:len(good)-2], good + good, "////", "\x00\xff", good[:13] + "\r" + good[13:]} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		cl, err := s.Verify(tok)
		if err != nil {
			if cl != (Claims{}) {
				t.Fatalf("error %v with non-zero claims %+v", err, cl)
			}
			return
		}
		if tok != good {
			// Any other accepted token must re-encode to itself (strict decoding).
			raw, derr := base64.RawURLEncoding.DecodeString(tok)
			if derr != nil || base64.RawURLEncoding.EncodeToString(raw) != tok {
				t.Fatalf("accepted non-canonical token %q", tok)
			}
		}
		if cl.BatchID <= 0 || !validStudentNo(cl.StudentNo) {
			t.Fatalf("accepted invalid claims %+v", cl)
		}
	})
}
