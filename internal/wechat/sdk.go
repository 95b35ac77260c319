package wechat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	sdk "github.com/silenceper/wechat/v2"
	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram"
	mpconfig "github.com/silenceper/wechat/v2/miniprogram/config"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
)

// DefaultTimeout bounds each HTTP request to WeChat when Config.Timeout is 0.
const DefaultTimeout = 5 * time.Second

// ErrNoOfficialAccount is returned by SendTemplate when Config has no
// official-account credentials.
var ErrNoOfficialAccount = errors.New("wechat: official account not configured")

// Config holds the credentials and where to reach WeChat.
type Config struct {
	AppID, AppSecret string // mini-program
	// Official account (optional; needed for SendTemplate).
	OAAppID, OAAppSecret, OAToken, OAEncodingAESKey string
	// APIBase is https://api.weixin.qq.com (the default when empty), a private
	// gateway, or the URL of a wxfake server.
	APIBase string
	// Timeout is the per-request HTTP timeout; DefaultTimeout when 0.
	Timeout time.Duration
}

// sdkClient is the Client over silenceper/wechat.
type sdkClient struct {
	cfg   Config
	mp    *miniprogram.MiniProgram
	oa    *officialaccount.OfficialAccount // nil without OA credentials
	cache cache.Cache
	http  *http.Client
	log   *slog.Logger
}

// New builds the real Client. c is the access-token cache shared by all
// instances (NewRedisCache); nil means a process-local NewMemoryCache.
//
// The SDK sends every request through the package variable
// util.DefaultHTTPClient, so New replaces it PROCESS-WIDE with a new
// http.Client that rewrites requests to cfg.APIBase (http.DefaultClient and
// http.DefaultTransport are left alone). The last New wins: create one Client
// per process, and tests that create clients must not run in parallel.
//
// Access tokens use stable_token (UseStableAK) for both the mini-program and
// the official account, so instances do not invalidate each other's token.
func New(cfg Config, c cache.Cache, log *slog.Logger) (Client, error) {
	if cfg.AppID == "" || cfg.AppSecret == "" {
		return nil, errors.New("wechat: mini-program AppID and AppSecret are required")
	}
	if (cfg.OAAppID == "") != (cfg.OAAppSecret == "") {
		return nil, errors.New("wechat: official account needs both OAAppID and OAAppSecret")
	}
	base, err := parseAPIBase(cfg.APIBase)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if c == nil {
		c = NewMemoryCache()
	}
	QuietSDKLogs()

	hc := newHTTPClient(base, cfg.Timeout)
	wc := sdk.NewWechat()
	wc.SetHTTPClient(hc)
	tc := tolerantCache{Cache: c, log: log}

	cl := &sdkClient{cfg: cfg, cache: c, http: hc, log: log}
	cl.mp = wc.GetMiniProgram(&mpconfig.Config{
		AppID: cfg.AppID, AppSecret: cfg.AppSecret, Cache: tc, UseStableAK: true,
	})
	if cfg.OAAppID != "" {
		cl.oa = wc.GetOfficialAccount(&oaconfig.Config{
			AppID: cfg.OAAppID, AppSecret: cfg.OAAppSecret,
			Token: cfg.OAToken, EncodingAESKey: cfg.OAEncodingAESKey,
			Cache: tc, UseStableAK: true,
		})
		// The SDK creates these lazily without a lock; creating them here
		// keeps concurrent sends (and callbacks) to reads only.
		cl.oa.GetTemplate()
		cl.oa.GetUser()
	}
	return cl, nil
}

// stableTokenKey is the cache key the SDK's StableAccessToken uses
// (credential/default_access_token.go in v2.1.10).
func stableTokenKey(prefix, appID string) string {
	return fmt.Sprintf("%s_stable_access_token_%s", prefix, appID)
}

func (c *sdkClient) Code2Session(ctx context.Context, code string) (Session, error) {
	// The SDK formats the code into the URL unescaped; escaping keeps odd
	// input from adding query parameters and is a no-op for real codes.
	res, err := c.mp.GetAuth().Code2SessionContext(ctx, url.QueryEscape(code))
	if err != nil {
		return Session{}, classify("code2session", err)
	}
	return Session{OpenID: res.OpenID, UnionID: res.UnionID, SessionKey: res.SessionKey}, nil
}

// SendSubscribe sends with miniprogram_state "formal" and lang "zh_CN". The
// SDK's Send takes no context: ctx is checked before each attempt and each
// HTTP request is bounded by Config.Timeout.
func (c *sdkClient) SendSubscribe(ctx context.Context, m SubscribeMessage) error {
	msg := &subscribe.Message{
		ToUser:           m.ToUser,
		TemplateID:       m.TemplateID,
		Page:             m.Page,
		Data:             make(map[string]*subscribe.DataItem, len(m.Data)),
		MiniprogramState: "formal",
		Lang:             "zh_CN",
	}
	for k, v := range m.Data {
		msg.Data[k] = &subscribe.DataItem{Value: v}
	}
	key := stableTokenKey(credential.CacheKeyMiniProgramPrefix, c.cfg.AppID)
	return c.withTokenRetry(ctx, "subscribe send", key, func() error {
		return c.mp.GetSubscribe().Send(msg)
	})
}

// SendTemplate sends an official-account template message. Like
// SendSubscribe, ctx is checked between attempts only.
func (c *sdkClient) SendTemplate(ctx context.Context, m TemplateMessage) (int64, error) {
	if c.oa == nil {
		return 0, ErrNoOfficialAccount
	}
	msg := &message.TemplateMessage{
		ToUser:     m.ToUser,
		TemplateID: m.TemplateID,
		URL:        m.URL,
		Data:       make(map[string]*message.TemplateDataItem, len(m.Data)),
	}
	for k, v := range m.Data {
		msg.Data[k] = &message.TemplateDataItem{Value: v}
	}
	if m.MiniProgramPage != "" {
		msg.MiniProgram.AppID = c.cfg.AppID
		msg.MiniProgram.PagePath = m.MiniProgramPage
	}
	var msgID int64
	key := stableTokenKey(credential.CacheKeyOfficialAccountPrefix, c.cfg.OAAppID)
	err := c.withTokenRetry(ctx, "template send", key, func() error {
		id, err := c.oa.GetTemplate().Send(msg)
		msgID = id
		return err
	})
	return msgID, err
}

// withTokenRetry runs send; when WeChat rejects the access token (40001 or
// 42001) it deletes the cached token so the SDK refetches it, and retries
// exactly once.
func (c *sdkClient) withTokenRetry(ctx context.Context, op, tokenKey string, send func() error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wechat: %s: %w", op, err)
	}
	err := classify(op, send())
	if !isTokenError(err) {
		return err
	}
	c.log.Warn("wechat: access token rejected; refetching and retrying once",
		"op", op, "errcode", ErrCode(err))
	if delErr := deleteToken(ctx, c.cache, tokenKey); delErr != nil {
		// With the cache unreachable the SDK cannot read the stale token
		// either, so the retry still fetches a fresh one.
		c.log.Warn("wechat: could not drop rejected token", "op", op, "err", delErr)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("wechat: %s: %w", op, ctxErr)
	}
	return classify(op, send())
}

// Ping calls /cgi-bin/getcallbackip without a token: WeChat answers it with
// an errcode at no quota cost, so any non-5xx answer means the base is up.
func (c *sdkClient) Ping(ctx context.Context) error {
	// The URL names WeChat's host; the transport rewrites it to APIBase.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, DefaultAPIBase+"/cgi-bin/getcallbackip", nil)
	if err != nil {
		return fmt.Errorf("wechat: ping: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return classify("ping", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= http.StatusInternalServerError {
		return fmt.Errorf("wechat: ping: http status %d", resp.StatusCode)
	}
	return nil
}
