package wxfake

import (
	"maps"
	"net/url"
	"slices"
	"time"
)

// Call is one request the fake received, failed or not. Status is the HTTP
// status answered (200 also for errcode answers), 0 while still in flight,
// StatusClientClosed when the client gave up first.
type Call struct {
	Path   string
	Query  url.Values
	Body   []byte
	At     time.Time
	Status int
}

// ReceivedSubscribe is a subscribe message the fake delivered.
type ReceivedSubscribe struct {
	ToUser     string
	TemplateID string
	Page       string
	Data       map[string]string
	State      string // miniprogram_state as sent
	Lang       string
	MsgID      int64
	At         time.Time
}

// ReceivedTemplate is an official-account template message the fake delivered.
type ReceivedTemplate struct {
	ToUser           string
	TemplateID       string
	URL              string
	MiniProgramAppID string
	MiniProgramPage  string
	Data             map[string]string
	MsgID            int64
	At               time.Time
}

// Calls returns every call received since the last Reset, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		out[i] = *c
		out[i].Query = maps.Clone(c.Query)
		out[i].Body = slices.Clone(c.Body)
	}
	return out
}

// Count is how many calls were made to path (attempts, failed or not).
func (s *Server) Count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Path == path {
			n++
		}
	}
	return n
}

// Subscribes lists the subscribe messages actually delivered, oldest first.
func (s *Server) Subscribes() []ReceivedSubscribe {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.subscribes)
	for i := range out {
		out[i].Data = maps.Clone(out[i].Data)
	}
	return out
}

// Templates lists the template messages actually delivered, oldest first.
func (s *Server) Templates() []ReceivedTemplate {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.templates)
	for i := range out {
		out[i].Data = maps.Clone(out[i].Data)
	}
	return out
}

// Reset forgets recorded calls and deliveries. Issued tokens stay valid and
// failure rules stay in place (see ClearFailures).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.subscribes = nil
	s.templates = nil
}
