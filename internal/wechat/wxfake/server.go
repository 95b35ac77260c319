// Package wxfake is a fake WeChat API server for tests and for the app's
// "fake" WeChat mode. It speaks WeChat's wire format (the JSON shapes the
// silenceper/wechat SDK parses), so the real SDK runs end to end against it.
// It records every call and can be told to fail in the ways WeChat fails.
package wxfake

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultTimeoutDelay is how long a Timeout failure stalls before answering
// 504, unless the client gives up first.
const DefaultTimeoutDelay = 3 * time.Second

// StatusClientClosed is the Call.Status recorded when the client gave up
// before the fake answered (nginx's 499).
const StatusClientClosed = 499

// Server is a running fake WeChat API. It is also an http.Handler, so it can
// be mounted elsewhere. All methods are safe for concurrent use.
type Server struct {
	srv       *http.Server
	url       string
	closed    chan struct{}
	closeOnce sync.Once
	jpeg      []byte

	mu           sync.Mutex
	rng          *rand.Rand
	calls        []*Call
	subscribes   []ReceivedSubscribe
	templates    []ReceivedTemplate
	msgSeq       int64
	tokenSeq     int
	validTokens  map[string]bool
	stable       map[string]string // appid -> current stable token
	next         map[string][]*nextRule
	ratio        map[string]ratioRule
	failCodes    map[string]bool
	noQuota      map[string]bool
	unionIDs     map[string]string // official-account openid -> unionid (SetUnionID)
	timeoutDelay time.Duration
}

// New starts a fake on 127.0.0.1 and a free port, for tests. It panics if it
// cannot listen, like httptest.NewServer.
func New() *Server {
	s, err := Start()
	if err != nil {
		panic(err)
	}
	return s
}

// Start starts a fake on 127.0.0.1 and a free port; the app's fake mode runs
// it in-process and points the WeChat client at URL().
func Start() (*Server, error) {
	s, err := newServer()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("wxfake: listen: %w", err)
	}
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			panic(fmt.Sprintf("wxfake: serve: %v", err))
		}
	}()
	return s, nil
}

func newServer() (*Server, error) {
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 4)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		return nil, fmt.Errorf("wxfake: encode jpeg: %w", err)
	}
	return &Server{
		closed:       make(chan struct{}),
		jpeg:         buf.Bytes(),
		rng:          rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5eed)),
		validTokens:  map[string]bool{},
		stable:       map[string]string{},
		next:         map[string][]*nextRule{},
		ratio:        map[string]ratioRule{},
		failCodes:    map[string]bool{},
		noQuota:      map[string]bool{},
		timeoutDelay: DefaultTimeoutDelay,
	}, nil
}

// URL is the base to give the WeChat client as its APIBase.
func (s *Server) URL() string { return s.url }

// Close stops the server and releases any request stalled by a Timeout.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		if s.srv != nil {
			_ = s.srv.Close()
		}
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP records the call, applies any injected failure, then answers the
// way WeChat would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	call := &Call{Path: r.URL.Path, Query: r.URL.Query(), Body: body, At: time.Now()}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	f, failing := s.takeFailure(r.URL.Path)
	s.mu.Unlock()

	sw := &statusWriter{ResponseWriter: w}
	if failing {
		s.fail(sw, r, f)
	} else {
		s.route(sw, r, body)
	}
	s.mu.Lock()
	call.Status = sw.status
	s.mu.Unlock()
}

func (s *Server) route(w *statusWriter, r *http.Request, body []byte) {
	switch r.URL.Path {
	case "/sns/jscode2session":
		s.code2Session(w, r)
	case "/cgi-bin/token":
		s.token(w, r)
	case "/cgi-bin/stable_token":
		s.stableToken(w, r, body)
	case "/cgi-bin/message/subscribe/send":
		s.subscribeSend(w, r, body)
	case "/cgi-bin/message/template/send":
		s.templateSend(w, r, body)
	case "/wxa/getwxacodeunlimit":
		s.wxaCodeUnlimit(w, r, body)
	case "/cgi-bin/getcallbackip":
		s.callbackIP(w, r)
	case "/cgi-bin/user/info":
		s.userInfo(w, r)
	default:
		w.Header().Set("Content-Type", jsonType)
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"errcode":40066,"errmsg":"invalid url"}`)
	}
}

// fail answers with an injected failure.
func (s *Server) fail(w *statusWriter, r *http.Request, f Failure) {
	switch {
	case f.hang:
		s.mu.Lock()
		d := s.timeoutDelay
		s.mu.Unlock()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			w.WriteHeader(http.StatusGatewayTimeout)
		case <-r.Context().Done():
			w.status = StatusClientClosed
		case <-s.closed:
			w.status = StatusClientClosed
		}
	case f.status != 0:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.status)
		_, _ = fmt.Fprintf(w, "<html><body>%d injected by wxfake</body></html>", f.status)
	default:
		writeError(w, f.errcode)
	}
}
