// Package wechat is the only place the app talks to WeChat. The rest of the
// code depends on the small Client interface; New returns the real
// implementation over github.com/silenceper/wechat/v2, pointed at any API base
// (api.weixin.qq.com, a private gateway, or the wxfake server in tests).
package wechat

import "context"

// Session is what code2session returns. SessionKey must never leave the server.
type Session struct {
	OpenID     string
	UnionID    string // empty unless the mini-program is bound to an Open Platform account
	SessionKey string
}

// SubscribeMessage is a mini-program subscribe message. Each send consumes one
// acceptance the user gave in wx.requestSubscribeMessage for TemplateID.
type SubscribeMessage struct {
	ToUser     string // mini-program openid
	TemplateID string
	Page       string            // page opened from the card, e.g. "pages/progress/index"
	Data       map[string]string // field name -> value, e.g. "thing1" -> "宿舍"
}

// TemplateMessage is an official-account template message. ToUser is the
// official account's openid, which differs from the mini-program openid.
type TemplateMessage struct {
	ToUser     string // official-account openid
	TemplateID string
	URL        string
	// MiniProgramPage, when set, makes the message open this page of the
	// mini-program (Config.AppID) instead of URL.
	MiniProgramPage string
	Data            map[string]string
}

// Client is what the app needs from WeChat. Errors where WeChat answered with
// a non-zero errcode are (or wrap) *APIError; use ErrCode to read the code.
// Any other error is a transport failure (timeout, 5xx, bad response).
type Client interface {
	// Code2Session exchanges a wx.login code for the user's identity.
	Code2Session(ctx context.Context, code string) (Session, error)
	// SendSubscribe delivers a subscribe message; 43101 means the user has no
	// acceptance left for the template.
	SendSubscribe(ctx context.Context, m SubscribeMessage) error
	// SendTemplate delivers an official-account template message and returns
	// WeChat's msgid.
	SendTemplate(ctx context.Context, m TemplateMessage) (msgID int64, err error)
	// Ping reports whether the WeChat API base answers (for /healthz); cheap.
	Ping(ctx context.Context) error
}
