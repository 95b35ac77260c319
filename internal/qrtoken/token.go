// Package qrtoken issues and verifies the short-lived tokens a student shows as a QR code and
// staff scan with wx.scanCode. A token names one student in one batch, is HMAC-signed with a
// key derived from the server secret, and expires after a few minutes.
//
// Wire format (before base64url without padding):
//
//	version (1 byte) | batch id (uvarint) | expiry unix seconds (uvarint) | student_no | MAC (12 bytes)
//
// The MAC is HMAC-SHA256 over everything before it, truncated to 12 bytes. A 20-character
// student number gives a token of about 54 characters, small enough for a QR code that is
// easy to read at arm's length.
package qrtoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// DefaultTTL is how long a token stays valid when NewSigner is given no ttl: long enough to
// walk up to a counter, short enough that a photographed code is soon useless.
const DefaultTTL = 3 * time.Minute

// MaxStudentNoLen bounds the student number so tokens stay short.
const MaxStudentNoLen = 20

const (
	version = 1
	macLen  = 12
	// keyLabel separates the QR key from every other use of the same server secret.
	keyLabel = "lixiao/qr/v1"
	// minRawLen is version + one byte per varint + one student-number byte + MAC.
	minRawLen = 1 + 1 + 1 + 1 + macLen
	// maxRawLen is version + two maximal uvarints + the longest student number + MAC.
	maxRawLen = 1 + binary.MaxVarintLen64*2 + MaxStudentNoLen + macLen
)

// Errors returned by Verify, Issue and Claims.ForBatch; callers map them to API error codes.
var (
	// ErrMalformed means the token is not one this package could have issued.
	ErrMalformed = errors.New("qrtoken: malformed token")
	// ErrBadSignature means the token decodes but was not signed with this server's key.
	ErrBadSignature = errors.New("qrtoken: bad signature")
	// ErrExpired means the token was genuine but is past its expiry.
	ErrExpired = errors.New("qrtoken: token expired")
	// ErrWrongBatch means a genuine token belongs to a batch other than the one being cleared.
	ErrWrongBatch = errors.New("qrtoken: token is for another batch")
	// ErrInvalidClaims means Issue was asked to sign a batch id or student number that cannot
	// be encoded (non-positive batch, empty, too long or non-alphanumeric student number).
	ErrInvalidClaims = errors.New("qrtoken: invalid claims")
)

// Claims is what a verified token says: which student, in which batch, valid until when.
type Claims struct {
	BatchID   int64
	StudentNo string
	ExpiresAt time.Time
}

// ForBatch lets the scanning handler reject a genuine token shown for another batch; Verify
// itself does not know which batch the staff member is clearing.
func (c Claims) ForBatch(id int64) error {
	if c.BatchID != id {
		return ErrWrongBatch
	}
	return nil
}

// Signer issues and verifies tokens with one derived key. It is safe for concurrent use.
type Signer struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// NewSigner derives the QR key from the server secret so that a MAC computed with the same
// secret elsewhere can never pass as a QR token. A ttl <= 0 means DefaultTTL; a nil now means
// time.Now. An empty secret is a wiring bug and panics, so it is caught at start-up.
func NewSigner(secret []byte, ttl time.Duration, now func() time.Time) *Signer {
	if len(secret) == 0 {
		panic("qrtoken: NewSigner needs a non-empty secret")
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if now == nil {
		now = time.Now
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(keyLabel))
	return &Signer{key: m.Sum(nil), ttl: ttl, now: now}
}

// Issue signs a token for the student in the batch. expiresAt is the instant encoded in the
// token (whole seconds), so what the API reports is exactly what Verify enforces.
func (s *Signer) Issue(batchID int64, studentNo string) (token string, expiresAt time.Time, err error) {
	if batchID <= 0 {
		return "", time.Time{}, fmt.Errorf("%w: batch id %d", ErrInvalidClaims, batchID)
	}
	if !validStudentNo(studentNo) {
		return "", time.Time{}, fmt.Errorf("%w: student number must be 1..%d ASCII letters or digits", ErrInvalidClaims, MaxStudentNoLen)
	}
	exp := s.now().Add(s.ttl).Unix()
	if exp <= 0 {
		return "", time.Time{}, fmt.Errorf("%w: expiry before 1970", ErrInvalidClaims)
	}
	buf := make([]byte, 0, maxRawLen)
	buf = append(buf, version)
	buf = binary.AppendUvarint(buf, uint64(batchID))
	buf = binary.AppendUvarint(buf, uint64(exp))
	buf = append(buf, studentNo...)
	buf = append(buf, s.mac(buf)...)
	return base64.RawURLEncoding.EncodeToString(buf), time.Unix(exp, 0), nil
}

// Verify checks the token's encoding, signature and expiry, in that order, and returns its
// claims. The MAC is checked before the payload is parsed, so nothing an attacker controls is
// interpreted unless it was signed by us. It never panics, whatever the input.
func (s *Signer) Verify(token string) (Claims, error) {
	if len(token) == 0 || len(token) > base64.RawURLEncoding.EncodedLen(maxRawLen) || !base64URL(token) {
		return Claims{}, ErrMalformed
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) < minRawLen || len(raw) > maxRawLen || raw[0] != version {
		return Claims{}, ErrMalformed
	}
	body, sum := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	if !hmac.Equal(sum, s.mac(body)) {
		return Claims{}, ErrBadSignature
	}
	c, ok := parse(body)
	if !ok {
		return Claims{}, ErrMalformed
	}
	if !s.now().Before(c.ExpiresAt) {
		return Claims{}, ErrExpired
	}
	return c, nil
}

// mac is the truncated HMAC over the token body.
func (s *Signer) mac(body []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(body)
	return m.Sum(nil)[:macLen]
}

// parse reads a signed body; it re-checks every field so that only tokens Issue could have
// produced are accepted, even if the key leaked into another encoder.
func parse(body []byte) (Claims, bool) {
	rest := body[1:]
	batch, n := binary.Uvarint(rest)
	if n <= 0 || batch == 0 || batch > 1<<63-1 {
		return Claims{}, false
	}
	rest = rest[n:]
	exp, n := binary.Uvarint(rest)
	if n <= 0 || exp == 0 || exp > 1<<63-1 {
		return Claims{}, false
	}
	no := string(rest[n:])
	if !validStudentNo(no) {
		return Claims{}, false
	}
	return Claims{BatchID: int64(batch), StudentNo: no, ExpiresAt: time.Unix(int64(exp), 0)}, true
}

// base64URL reports whether s holds only the base64url alphabet. The decoder silently skips
// '\r' and '\n', which would let many strings verify as one token.
func base64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validStudentNo accepts 1..MaxStudentNoLen ASCII letters and digits.
func validStudentNo(s string) bool {
	if len(s) == 0 || len(s) > MaxStudentNoLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
