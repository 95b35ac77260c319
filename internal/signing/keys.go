// Package signing implements the HMAC scheme that the university's finance, library, loan and
// hospital systems use to push records (API.md, "Integrations"): a key id, a unix timestamp, a
// one-time nonce and a hex HMAC-SHA256 over timestamp, nonce and the raw body.
package signing

import (
	"fmt"
	"strings"
)

// Systems that may push records. A key is bound to one of them, so a leaked library key cannot
// clear anyone's finance stage.
const (
	SystemFinance  = "finance"
	SystemLibrary  = "library"
	SystemLoan     = "loan"
	SystemHospital = "hospital"
)

// maxKeyIDLen keeps the X-Lixiao-Key header (and the nonce-store key built from it) small.
const maxKeyIDLen = 64

// Key is one integration credential: the id sent in X-Lixiao-Key, the shared secret, and the
// one system it may push for.
type Key struct {
	ID     string
	Secret string
	System string
}

// IsSystem reports whether s names an integration system, for validating the {system} path
// segment and configuration.
func IsSystem(s string) bool {
	switch s {
	case SystemFinance, SystemLibrary, SystemLoan, SystemHospital:
		return true
	}
	return false
}

// ParseKeys reads LIXIAO_INTEGRATION_KEYS ("key:secret:system,key2:secret2:system2") so that
// a typo stops the server at start-up instead of silently refusing pushes. The key id is
// before the first colon and the system after the last, so a secret may itself contain
// colons. Spaces around entries and parts are ignored; an empty or blank string means no keys.
// Errors name the entry by position and key id, never echoing a secret.
func ParseKeys(s string) ([]Key, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	entries := strings.Split(s, ",")
	keys := make([]Key, 0, len(entries))
	seen := make(map[string]int, len(entries))
	for i, e := range entries {
		n := i + 1
		e = strings.TrimSpace(e)
		if e == "" {
			return nil, fmt.Errorf("integration keys: entry %d is empty", n)
		}
		first, last := strings.Index(e, ":"), strings.LastIndex(e, ":")
		if first < 0 || first == last {
			// Without two colons we cannot tell which part is the secret: name the position only.
			return nil, fmt.Errorf("integration keys: entry %d: want key:secret:system", n)
		}
		k := Key{
			ID:     strings.TrimSpace(e[:first]),
			Secret: strings.TrimSpace(e[first+1 : last]),
			System: strings.TrimSpace(e[last+1:]),
		}
		switch {
		case k.ID == "":
			return nil, fmt.Errorf("integration keys: entry %d: empty key id", n)
		case !validKeyID(k.ID):
			return nil, fmt.Errorf("integration keys: entry %d: key id must be 1..%d of A-Z a-z 0-9 . _ -", n, maxKeyIDLen)
		case k.Secret == "":
			return nil, fmt.Errorf("integration keys: entry %d (key %q): empty secret", n, k.ID)
		case k.System == "":
			return nil, fmt.Errorf("integration keys: entry %d (key %q): empty system", n, k.ID)
		case !IsSystem(k.System):
			return nil, fmt.Errorf("integration keys: entry %d (key %q): unknown system %q (want finance, library, loan or hospital)", n, k.ID, k.System)
		}
		if prev, dup := seen[k.ID]; dup {
			return nil, fmt.Errorf("integration keys: entry %d: key %q already defined by entry %d", n, k.ID, prev)
		}
		seen[k.ID] = n
		keys = append(keys, k)
	}
	return keys, nil
}

// validKeyID accepts 1..maxKeyIDLen characters of [A-Za-z0-9._-].
func validKeyID(s string) bool {
	if len(s) == 0 || len(s) > maxKeyIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
