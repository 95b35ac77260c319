package wxfake

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Failure is a way a WeChat call can fail: an HTTP error status, a stall
// (Timeout), or an answer carrying an errcode.
type Failure struct {
	status  int
	errcode int
	hang    bool
}

// Failures tests usually inject.
var (
	// Fail500 answers HTTP 500 with an HTML body, like a broken gateway.
	Fail500 = Failure{status: 500}
	// Timeout stalls for SetTimeoutDelay (default 3s), then answers 504; it
	// returns early when the client gives up or the server closes.
	Timeout = Failure{hang: true}
)

// HTTPStatus answers with the given HTTP status (e.g. 502, 503).
func HTTPStatus(code int) Failure { return Failure{status: code} }

// ErrCode answers HTTP 200 with {"errcode": code, "errmsg": ...}, e.g.
// ErrCode(40001), ErrCode(43101), ErrCode(45009), ErrCode(-1).
func ErrCode(code int) Failure { return Failure{errcode: code} }

func (f Failure) String() string {
	switch {
	case f.hang:
		return "timeout"
	case f.status != 0:
		return fmt.Sprintf("http %d", f.status)
	default:
		return fmt.Sprintf("errcode %d", f.errcode)
	}
}

type nextRule struct {
	left int
	f    Failure
}

type ratioRule struct {
	ratio float64
	f     Failure
}

// FailNext makes the next n calls to path (e.g. "/cgi-bin/message/subscribe/send")
// fail with f. Rules queue: FailNext(p, 1, a) then FailNext(p, 1, b) fails the
// next call with a and the one after with b.
func (s *Server) FailNext(path string, n int, f Failure) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next[path] = append(s.next[path], &nextRule{left: n, f: f})
}

// FailRatio makes a random fraction of calls to path fail with f (0.5 =
// about half). A ratio <= 0 removes the rule; FailNext rules apply first.
func (s *Server) FailRatio(path string, ratio float64, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ratio <= 0 {
		delete(s.ratio, path)
		return
	}
	s.ratio[path] = ratioRule{ratio: ratio, f: f}
}

// SetSeed makes FailRatio's choices reproducible.
func (s *Server) SetSeed(seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rng = rand.New(rand.NewPCG(seed, 0x5eed))
}

// SetTimeoutDelay sets how long a Timeout failure stalls.
func (s *Server) SetTimeoutDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timeoutDelay = d
}

// FailCode makes code2session reject this login code with 40029. Codes
// starting with "bad" are always rejected.
func (s *Server) FailCode(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failCodes[code] = true
}

// NoQuotaFor makes subscribe sends to this mini-program openid fail with
// 43101, as when the user has no acceptance left.
func (s *Server) NoQuotaFor(openid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noQuota[openid] = true
}

// ClearFailures removes every failure rule: FailNext, FailRatio, FailCode and
// NoQuotaFor (codes starting with "bad" still fail).
func (s *Server) ClearFailures() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = map[string][]*nextRule{}
	s.ratio = map[string]ratioRule{}
	s.failCodes = map[string]bool{}
	s.noQuota = map[string]bool{}
}

// takeFailure picks the failure for this call, if any. Caller holds s.mu.
func (s *Server) takeFailure(path string) (Failure, bool) {
	if rules := s.next[path]; len(rules) > 0 {
		r := rules[0]
		r.left--
		if r.left <= 0 {
			s.next[path] = rules[1:]
		}
		return r.f, true
	}
	if r, ok := s.ratio[path]; ok && s.rng.Float64() < r.ratio {
		return r.f, true
	}
	return Failure{}, false
}

// codeFails reports whether code2session should reject code. Caller holds s.mu.
func (s *Server) codeFails(code string) bool {
	return strings.HasPrefix(code, "bad") || s.failCodes[code]
}
