package wxfake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// tokenLifetime is the expires_in WeChat gives access tokens.
const tokenLifetime = 7200

// InvalidateTokens makes every token issued so far invalid: calls using one
// get 40001, and the next token request issues a new one.
func (s *Server) InvalidateTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.validTokens = map[string]bool{}
	s.stable = map[string]string{}
}

// Tokens is how many access tokens the fake has issued.
func (s *Server) Tokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenSeq
}

// issueToken mints "tok-N". Caller holds s.mu.
func (s *Server) issueToken() string {
	s.tokenSeq++
	tok := fmt.Sprintf("tok-%d", s.tokenSeq)
	s.validTokens[tok] = true
	return tok
}

// credentialsError is the errcode WeChat gives for missing credentials, or 0.
func credentialsError(grantType, appID, secret string) int {
	switch {
	case grantType != "client_credential":
		return 40002 // invalid grant_type
	case appID == "":
		return 41002 // appid missing
	case secret == "":
		return 41004 // appsecret missing
	}
	return 0
}

// token is GET /cgi-bin/token: every call issues a new token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, 43001)
		return
	}
	q := r.URL.Query()
	if code := credentialsError(q.Get("grant_type"), q.Get("appid"), q.Get("secret")); code != 0 {
		writeError(w, code)
		return
	}
	s.mu.Lock()
	tok := s.issueToken()
	s.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": tokenLifetime})
}

// stableToken is POST /cgi-bin/stable_token with a JSON body. Like WeChat it
// returns the current token while it is valid, unless force_refresh is true.
func (s *Server) stableToken(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		writeError(w, 43002)
		return
	}
	var req struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, 47001) // data format error
		return
	}
	if code := credentialsError(req.GrantType, req.AppID, req.Secret); code != 0 {
		writeError(w, code)
		return
	}
	s.mu.Lock()
	tok, ok := s.stable[req.AppID]
	if !ok || !s.validTokens[tok] || req.ForceRefresh {
		tok = s.issueToken()
		s.stable[req.AppID] = tok
	}
	s.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": tokenLifetime})
}

// checkToken answers 41001/40001 and returns false unless the request carries
// a valid access_token.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request) bool {
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		writeError(w, 41001)
		return false
	}
	s.mu.Lock()
	ok := s.validTokens[tok]
	s.mu.Unlock()
	if !ok {
		writeError(w, 40001)
	}
	return ok
}
