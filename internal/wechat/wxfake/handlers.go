package wxfake

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// jsonType is the Content-Type WeChat answers JSON with; the SDK's QR-code
// call checks for the "application/json" prefix.
const jsonType = "application/json; encoding=utf-8"

// errmsgs are WeChat's messages for the errcodes the fake produces.
var errmsgs = map[int]string{
	-1:    "system error",
	40001: "invalid credential, access_token is invalid or not latest",
	40002: "invalid grant_type",
	40003: "invalid openid",
	40029: "invalid code",
	40037: "invalid template_id",
	40169: "invalid length for scene, or the data is not json string",
	41001: "access_token missing",
	41002: "appid missing",
	41004: "appsecret missing",
	41008: "missing code",
	42001: "access_token expired",
	43001: "require GET method",
	43002: "require POST method",
	43101: "user refuse to accept the msg",
	45009: "reach max api daily quota limit",
	47001: "data format error",
	47003: "argument invalid!",
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", jsonType)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	_, _ = w.Write(buf.Bytes())
}

// writeError answers like WeChat does: HTTP 200 with errcode and errmsg.
func writeError(w http.ResponseWriter, code int) {
	writeErrorMsg(w, code, errmsgs[code])
}

func writeErrorMsg(w http.ResponseWriter, code int, msg string) {
	if msg == "" {
		msg = "wxfake error"
	}
	writeJSON(w, map[string]any{"errcode": code, "errmsg": msg + " rid: wxfake"})
}

// code2Session is GET /sns/jscode2session. The openid is the code itself;
// "nounion_<id>" gives openid <id> without a unionid; "bad…" codes and codes
// passed to FailCode get 40029.
func (s *Server) code2Session(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, 43001)
		return
	}
	q := r.URL.Query()
	code := q.Get("js_code")
	switch {
	case q.Get("grant_type") != "authorization_code":
		writeError(w, 40002)
		return
	case q.Get("appid") == "":
		writeError(w, 41002)
		return
	case q.Get("secret") == "":
		writeError(w, 41004)
		return
	case code == "":
		writeError(w, 41008)
		return
	}
	s.mu.Lock()
	bad := s.codeFails(code)
	s.mu.Unlock()
	if bad {
		writeError(w, 40029)
		return
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	res := map[string]any{"session_key": base64.StdEncoding.EncodeToString(key)}
	if id, ok := strings.CutPrefix(code, "nounion_"); ok {
		res["openid"] = id
	} else {
		res["openid"] = code
		res["unionid"] = "u_" + code
	}
	writeJSON(w, res)
}

type dataItem struct {
	Value any    `json:"value"`
	Color string `json:"color"`
}

func flatten(data map[string]dataItem) map[string]string {
	out := make(map[string]string, len(data))
	for k, v := range data {
		out[k] = fmt.Sprint(v.Value)
	}
	return out
}

// subscribeSend is POST /cgi-bin/message/subscribe/send.
func (s *Server) subscribeSend(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		writeError(w, 43002)
		return
	}
	if !s.checkToken(w, r) {
		return
	}
	var req struct {
		ToUser     string              `json:"touser"`
		TemplateID string              `json:"template_id"`
		Page       string              `json:"page"`
		Data       map[string]dataItem `json:"data"`
		State      string              `json:"miniprogram_state"`
		Lang       string              `json:"lang"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		writeError(w, 47001)
		return
	}
	switch {
	case req.ToUser == "":
		writeError(w, 40003)
		return
	case req.TemplateID == "":
		writeError(w, 40037)
		return
	}
	data := flatten(req.Data)
	if msg := checkSubscribeData(data); msg != "" {
		writeErrorMsg(w, 47003, msg)
		return
	}
	s.mu.Lock()
	if s.noQuota[req.ToUser] {
		s.mu.Unlock()
		writeError(w, 43101)
		return
	}
	s.msgSeq++
	id := s.msgSeq
	s.subscribes = append(s.subscribes, ReceivedSubscribe{
		ToUser: req.ToUser, TemplateID: req.TemplateID, Page: req.Page, Data: data,
		State: req.State, Lang: req.Lang, MsgID: id, At: time.Now(),
	})
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": id})
}

// subscribeLimits are WeChat's per-type value limits in characters, keyed by
// the field name without its number ("thing1" -> "thing").
var subscribeLimits = map[string]int{
	"thing": 20, "phrase": 5, "character_string": 32, "number": 32,
	"letter": 32, "symbol": 5, "name": 10, "car_number": 8,
}

// checkSubscribeData returns WeChat's 47003 message for the first bad value.
func checkSubscribeData(data map[string]string) string {
	if len(data) == 0 {
		return "argument invalid! data is empty"
	}
	for k, v := range data {
		if v == "" {
			return fmt.Sprintf("argument invalid! data.%s.value is empty", k)
		}
		kind := strings.TrimRight(k, "0123456789")
		if limit, ok := subscribeLimits[kind]; ok && utf8.RuneCountInString(v) > limit {
			return fmt.Sprintf("argument invalid! data.%s.value exceeds limit %d", k, limit)
		}
	}
	return ""
}

// templateSend is POST /cgi-bin/message/template/send (official account).
func (s *Server) templateSend(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		writeError(w, 43002)
		return
	}
	if !s.checkToken(w, r) {
		return
	}
	var req struct {
		ToUser      string              `json:"touser"`
		TemplateID  string              `json:"template_id"`
		URL         string              `json:"url"`
		Data        map[string]dataItem `json:"data"`
		MiniProgram struct {
			AppID    string `json:"appid"`
			PagePath string `json:"pagepath"`
		} `json:"miniprogram"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, 47001)
		return
	}
	switch {
	case req.ToUser == "":
		writeError(w, 40003)
		return
	case req.TemplateID == "":
		writeError(w, 40037)
		return
	}
	s.mu.Lock()
	s.msgSeq++
	id := s.msgSeq
	s.templates = append(s.templates, ReceivedTemplate{
		ToUser: req.ToUser, TemplateID: req.TemplateID, URL: req.URL,
		MiniProgramAppID: req.MiniProgram.AppID, MiniProgramPage: req.MiniProgram.PagePath,
		Data: flatten(req.Data), MsgID: id, At: time.Now(),
	})
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": id})
}

// wxaCodeUnlimit is POST /wxa/getwxacodeunlimit: a JPEG, Content-Type exactly
// image/jpeg as the SDK requires.
func (s *Server) wxaCodeUnlimit(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		writeError(w, 43002)
		return
	}
	if !s.checkToken(w, r) {
		return
	}
	var req struct {
		Scene string `json:"scene"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Scene == "" || len(req.Scene) > 32 {
		writeError(w, 40169)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	_, _ = w.Write(s.jpeg)
}

// callbackIP is GET /cgi-bin/getcallbackip; without a token it answers 41001
// with HTTP 200, which is what Ping relies on.
func (s *Server) callbackIP(w http.ResponseWriter, r *http.Request) {
	if !s.checkToken(w, r) {
		return
	}
	writeJSON(w, map[string]any{"ip_list": []string{"127.0.0.1"}})
}
