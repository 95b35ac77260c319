package wxfake

import (
	"net/http"
	"time"
)

// SetUnionID makes /cgi-bin/user/info give unionID for the official
// account's openid oaOpenID. Without it the unionid is "u_" + oaOpenID.
func (s *Server) SetUnionID(oaOpenID, unionID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unionIDs == nil {
		s.unionIDs = map[string]string{}
	}
	s.unionIDs[oaOpenID] = unionID
}

// userInfo is GET /cgi-bin/user/info (official account): what the callback
// uses to learn a follower's unionid, which follow events do not carry.
func (s *Server) userInfo(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, 43001)
		return
	}
	if !s.checkToken(w, r) {
		return
	}
	openid := r.URL.Query().Get("openid")
	if openid == "" {
		writeError(w, 40003)
		return
	}
	s.mu.Lock()
	union, ok := s.unionIDs[openid]
	s.mu.Unlock()
	if !ok {
		union = "u_" + openid
	}
	writeJSON(w, map[string]any{"subscribe": 1, "openid": openid, "unionid": union, "language": "zh_CN",
		"subscribe_time": time.Now().Unix(), "subscribe_scene": "ADD_SCENE_QR_CODE"})
}
