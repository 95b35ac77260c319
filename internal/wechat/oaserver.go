package wechat

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/officialaccount/user"
)

// OAFollows is what the official account's callback does with follow and
// unfollow events. A follower is known by its official-account openid; the
// unionid is what ties it to the same person's mini-program account.
type OAFollows struct {
	Follow   func(ctx context.Context, oaOpenID, unionID string) error
	Unfollow func(ctx context.Context, oaOpenID string) error
}

// NewOAHandler serves the official account's server URL
// (/wechat/official-account/callback) with the SDK's server: it checks the
// signature (sha1 of the sorted token, timestamp and nonce), answers the URL
// check (echostr), and turns follow and unfollow events into f's calls.
// Follow events carry no unionid, so it asks WeChat for the follower's
// (/cgi-bin/user/info). c must be a client from New with official-account
// credentials and a token (Config.OAToken).
func NewOAHandler(c Client, f OAFollows, log *slog.Logger) (http.Handler, error) {
	sc, ok := c.(*sdkClient)
	if !ok || sc.oa == nil {
		return nil, ErrNoOfficialAccount
	}
	if sc.cfg.OAToken == "" {
		return nil, errors.New("wechat: the official-account callback needs the token (OAToken)")
	}
	if f.Follow == nil || f.Unfollow == nil {
		return nil, errors.New("wechat: the official-account callback needs Follow and Unfollow")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &oaHandler{c: sc, f: f, log: log}, nil
}

type oaHandler struct {
	c   *sdkClient
	f   OAFollows
	log *slog.Logger
}

func (h *oaHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The SDK writes "success" before we know whether the event was
	// handled; it writes into a buffer that is sent only when it was.
	buf := &bufferedResponse{header: http.Header{}}
	srv := h.c.oa.GetServer(r, buf)
	if !srv.Validate() {
		h.log.Warn("official account callback: bad signature", "remote", r.RemoteAddr)
		http.Error(w, "signature mismatch", http.StatusForbidden)
		return
	}
	var failed error
	srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
		failed = h.handle(r.Context(), m)
		return nil
	})
	if err := srv.Serve(); err != nil {
		h.log.Warn("official account callback: bad message", "err", err)
		http.Error(w, "bad message", http.StatusBadRequest)
		return
	}
	if failed != nil {
		h.log.Error("official account callback: event not handled", "err", failed)
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	if err := srv.Send(); err != nil {
		h.log.Error("official account callback: reply", "err", err)
		http.Error(w, "reply failed", http.StatusInternalServerError)
		return
	}
	buf.flush(w)
}

// handle acts on follow and unfollow; every other message is acknowledged.
func (h *oaHandler) handle(ctx context.Context, m *message.MixMessage) error {
	if m.MsgType != message.MsgTypeEvent {
		return nil
	}
	openid := string(m.FromUserName)
	if openid == "" {
		return nil
	}
	switch m.Event {
	case message.EventSubscribe:
		union, err := h.unionID(ctx, openid)
		if err != nil {
			return err
		}
		if union == "" {
			// The official account is not bound to the same Open Platform
			// account as the mini-program: nothing links the two openids.
			h.log.Warn("official account follower without unionid; not linked")
			return nil
		}
		return h.f.Follow(ctx, openid, union)
	case message.EventUnsubscribe:
		return h.f.Unfollow(ctx, openid)
	}
	return nil
}

// unionID asks WeChat for a follower's unionid, refreshing a rejected
// access token once like the send calls do.
func (h *oaHandler) unionID(ctx context.Context, openid string) (string, error) {
	var info *user.Info
	key := stableTokenKey(credential.CacheKeyOfficialAccountPrefix, h.c.cfg.OAAppID)
	err := h.c.withTokenRetry(ctx, "user info", key, func() error {
		var err error
		info, err = h.c.oa.GetUser().GetUserInfo(openid)
		return err
	})
	if err != nil {
		return "", err
	}
	return info.UnionID, nil
}

// bufferedResponse holds what the SDK writes until the handler decides.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) flush(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}
