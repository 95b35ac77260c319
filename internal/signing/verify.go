package signing

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// DefaultWindow is how far a request's timestamp may be from the server clock (API.md: "more
// than 5 minutes off" is refused).
const DefaultWindow = 5 * time.Minute

// Nonce limits: long enough to be unguessable, short enough to store cheaply.
const (
	MinNonceLen = 8
	MaxNonceLen = 64
	// maxTimestampLen allows unix seconds far past any real clock while keeping arithmetic
	// on the parsed value free of overflow.
	maxTimestampLen = 12
)

// ErrRejected is matched (errors.Is) by every error Verify returns because of the request
// itself, so a handler can answer 401 for those and 5xx for anything else (a failing store).
var ErrRejected = errors.New("signing: request rejected")

// Reasons a request is refused. Each also matches ErrRejected; the distinction is for logs,
// metrics and tests, not for the caller (who should not learn which check failed).
var (
	ErrMissingHeaders = reject("signing: missing signature headers")
	ErrMalformed      = reject("signing: malformed signature headers")
	ErrUnknownKey     = reject("signing: unknown key")
	ErrWrongSystem    = reject("signing: key not allowed for this system")
	ErrStale          = reject("signing: timestamp outside the allowed window")
	ErrBadSignature   = reject("signing: bad signature")
	ErrReplay         = reject("signing: nonce already used")
)

// rejection is a sentinel that also matches ErrRejected.
type rejection struct{ msg string }

func reject(msg string) error             { return &rejection{msg: msg} }
func (r *rejection) Error() string        { return r.msg }
func (r *rejection) Is(target error) bool { return target == ErrRejected }

// NonceStore remembers nonces per key so that a captured request cannot be replayed. The app
// supplies a database-backed store; MemoryNonces serves tests and single-process setups.
type NonceStore interface {
	// Remember records the nonce for ttl and reports whether it was new; false means replay.
	Remember(ctx context.Context, keyID, nonce string, ttl time.Duration) (fresh bool, err error)
}

// Verifier checks signed integration requests against the configured keys. It is safe for
// concurrent use if its NonceStore is.
type Verifier struct {
	keys   map[string]Key
	nonces NonceStore
	window time.Duration
	now    func() time.Time
}

// NewVerifier builds a verifier. A window <= 0 means DefaultWindow; a nil now means time.Now.
// A nil store or a key without id or secret is a wiring bug and panics at start-up rather than
// accepting requests signed with an empty secret.
func NewVerifier(keys []Key, nonces NonceStore, window time.Duration, now func() time.Time) *Verifier {
	if nonces == nil {
		panic("signing: NewVerifier needs a NonceStore")
	}
	if window <= 0 {
		window = DefaultWindow
	}
	if now == nil {
		now = time.Now
	}
	m := make(map[string]Key, len(keys))
	for i, k := range keys {
		if k.ID == "" || k.Secret == "" {
			panic(fmt.Sprintf("signing: NewVerifier: key %d has an empty id or secret", i+1))
		}
		m[k.ID] = k
	}
	return &Verifier{keys: m, nonces: nonces, window: window, now: now}
}

// Verify checks a request for system and returns the key that signed it. The checks run
// cheapest first: headers present and well-formed, key known, key bound to system, timestamp
// within the window, signature (constant time), and last the nonce, which is remembered for
// twice the window so it outlives every timestamp that could still pass. A request with a bad
// signature never reaches the store, so a forger cannot burn a legitimate sender's nonce.
// Errors from the request match ErrRejected; a store failure is returned wrapped and does not.
func (v *Verifier) Verify(ctx context.Context, system string, h http.Header, body []byte) (Key, error) {
	keyID, okK := single(h, HeaderKey)
	tsStr, okT := single(h, HeaderTimestamp)
	nonce, okN := single(h, HeaderNonce)
	sigStr, okS := single(h, HeaderSignature)
	if keyID == "" || tsStr == "" || nonce == "" || sigStr == "" {
		return Key{}, ErrMissingHeaders
	}
	if !okK || !okT || !okN || !okS || !validKeyID(keyID) || !validNonce(nonce) {
		return Key{}, ErrMalformed
	}
	ts, ok := parseTimestamp(tsStr)
	if !ok {
		return Key{}, ErrMalformed
	}
	sig, err := hex.DecodeString(sigStr)
	if err != nil || len(sig) != sha256.Size {
		return Key{}, ErrMalformed
	}
	k, known := v.keys[keyID]
	if !known {
		return Key{}, ErrUnknownKey
	}
	if k.System != system {
		return Key{}, ErrWrongSystem
	}
	diff, win := v.now().Unix()-ts, int64(v.window/time.Second)
	if diff > win || diff < -win {
		return Key{}, ErrStale
	}
	// The MAC covers the timestamp exactly as sent.
	if !hmac.Equal(sig, macRaw(k.Secret, tsStr, nonce, body)) {
		return Key{}, ErrBadSignature
	}
	fresh, err := v.nonces.Remember(ctx, k.ID, nonce, 2*v.window)
	if err != nil {
		return Key{}, fmt.Errorf("signing: remember nonce: %w", err)
	}
	if !fresh {
		return Key{}, ErrReplay
	}
	return k, nil
}

// single returns a header's only value; ok is false when it is repeated, since two
// timestamps or signatures leave it ambiguous which one was meant.
func single(h http.Header, name string) (string, bool) {
	vals := h.Values(name)
	if len(vals) == 0 {
		return "", true
	}
	return vals[0], len(vals) == 1
}

// parseTimestamp accepts 1..maxTimestampLen ASCII digits: no sign, no spaces.
func parseTimestamp(s string) (int64, bool) {
	if len(s) == 0 || len(s) > maxTimestampLen {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	ts, err := strconv.ParseInt(s, 10, 64)
	return ts, err == nil
}

// validNonce accepts MinNonceLen..MaxNonceLen characters of [A-Za-z0-9_-].
func validNonce(s string) bool {
	if len(s) < MinNonceLen || len(s) > MaxNonceLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
