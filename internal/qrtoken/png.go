package qrtoken

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// PNG size limits: below MinPNGSize a code is hard to scan; above MaxPNGSize a request could
// make the server burn memory for nothing.
const (
	MinPNGSize = 64
	MaxPNGSize = 2048
)

// PNG renders the token as a size×size PNG QR code with medium error recovery, which survives
// a smudged or glare-struck phone screen while keeping the symbol small.
func PNG(token string, size int) ([]byte, error) {
	if token == "" {
		return nil, fmt.Errorf("qrtoken: png: empty token")
	}
	if size < MinPNGSize || size > MaxPNGSize {
		return nil, fmt.Errorf("qrtoken: png: size %d outside %d..%d", size, MinPNGSize, MaxPNGSize)
	}
	b, err := qrcode.Encode(token, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("qrtoken: png: %w", err)
	}
	return b, nil
}
