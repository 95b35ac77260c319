package signing

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of the scheme, shared by the signer, the verifier and the docs.
const (
	HeaderKey       = "X-Lixiao-Key"
	HeaderTimestamp = "X-Lixiao-Timestamp"
	HeaderNonce     = "X-Lixiao-Nonce"
	HeaderSignature = "X-Lixiao-Signature"
)

// Sign returns the lower-case hex HMAC-SHA256(secret, timestamp + "\n" + nonce + "\n" + body),
// the value of X-Lixiao-Signature. It is exported so other systems' developers can check
// their implementation against ours.
func Sign(secret string, ts int64, nonce string, body []byte) string {
	return hex.EncodeToString(macRaw(secret, strconv.FormatInt(ts, 10), nonce, body))
}

// macRaw is the raw signature bytes over the timestamp as written in the header.
func macRaw(secret, ts, nonce string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'\n'})
	m.Write([]byte(nonce))
	m.Write([]byte{'\n'})
	m.Write(body)
	return m.Sum(nil)
}

// SignRequest sets the four headers on req so that body, sent as req's body unchanged, passes
// Verify. It is what our own tools and tests use to act as an integration system. It does not
// touch req.Body.
func SignRequest(req *http.Request, k Key, body []byte, now time.Time) error {
	if k.ID == "" || k.Secret == "" {
		return errors.New("signing: sign request: key id and secret are required")
	}
	nonce, err := newNonce()
	if err != nil {
		return fmt.Errorf("signing: sign request: %w", err)
	}
	ts := now.Unix()
	req.Header.Set(HeaderKey, k.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, Sign(k.Secret, ts, nonce, body))
	return nil
}

// Curl returns a ready-to-paste curl command that POSTs body to url with fresh signature
// headers, for the `lixiao sign` tool. The body goes through --data-binary so curl sends it
// byte for byte (plain -d would strip newlines and break the signature). Every argument is
// single-quoted for POSIX shells; a body containing NUL bytes cannot be passed this way.
func Curl(k Key, url string, body []byte, now time.Time) string {
	nonce, err := newNonce()
	if err != nil {
		// crypto/rand does not fail on supported platforms; there is no safe fallback.
		panic("signing: curl: " + err.Error())
	}
	ts := now.Unix()
	parts := []string{
		"curl", "-sS", "-X", "POST", shellQuote(url),
		"-H", shellQuote("Content-Type: application/json"),
		"-H", shellQuote(HeaderKey + ": " + k.ID),
		"-H", shellQuote(HeaderTimestamp + ": " + strconv.FormatInt(ts, 10)),
		"-H", shellQuote(HeaderNonce + ": " + nonce),
		"-H", shellQuote(HeaderSignature + ": " + Sign(k.Secret, ts, nonce, body)),
		"--data-binary", shellQuote(string(body)),
	}
	return strings.Join(parts, " ")
}

// shellQuote wraps s in single quotes, closing and reopening them around each embedded quote.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// newNonce is 16 random bytes as 32 hex characters, inside the verifier's 8..64 limit.
func newNonce() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
