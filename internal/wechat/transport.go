package wechat

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAPIBase is WeChat's API host, which the SDK hard-codes in its URLs.
const DefaultAPIBase = "https://api.weixin.qq.com"

// rewriteTransport sends every request to base instead of the host the SDK
// hard-coded. It clones the request (a RoundTripper must not modify it) and
// keeps path and query; a path on base is used as a prefix, for gateways that
// mount WeChat under a sub-path.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme = t.base.Scheme
	out.URL.Host = t.base.Host
	out.Host = t.base.Host
	if prefix := strings.TrimRight(t.base.Path, "/"); prefix != "" {
		out.URL.Path = prefix + out.URL.Path
		if out.URL.RawPath != "" {
			out.URL.RawPath = strings.TrimRight(t.base.EscapedPath(), "/") + out.URL.RawPath
		}
	}
	return t.next.RoundTrip(out)
}

// parseAPIBase validates Config.APIBase; empty means DefaultAPIBase.
func parseAPIBase(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultAPIBase
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("wechat: bad api base %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("wechat: api base %q must be http(s)://host[:port][/path]", raw)
	}
	return u, nil
}

// newHTTPClient builds a fresh client for the SDK. It clones the default
// transport's settings (proxy from environment, pools, TLS timeouts) without
// touching http.DefaultTransport or http.DefaultClient themselves.
func newHTTPClient(base *url.URL, timeout time.Duration) *http.Client {
	var next http.RoundTripper
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		next = dt.Clone()
	} else {
		next = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	return &http.Client{
		Transport: &rewriteTransport{base: base, next: next},
		Timeout:   timeout,
	}
}
