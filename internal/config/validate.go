package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// minSecretLen is the shortest secret accepted with MySQL: 32 bytes is a full HMAC-SHA256 key.
const minSecretLen = 32

// Validate checks every setting so that a bad deployment stops at start-up with one line
// naming the setting to fix, instead of failing later on the first request that needs it.
// It returns the first problem found.
func (c Config) Validate() error {
	checks := []func() error{
		c.checkDatabase,
		c.checkSecret,
		c.checkWeChat,
		c.checkHTTP,
		c.checkRedis,
		c.checkTimes,
		c.checkNotify,
		c.checkLog,
		c.checkIntegrationKeys,
		c.checkUniversity,
		c.checkStagesFile,
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) checkDatabase() error {
	switch c.Database.Driver {
	case "sqlite":
		if c.Database.DSN == "" {
			return settingError("database.dsn", "empty; want a file path such as %s", DefaultSQLiteDSN)
		}
	case "mysql":
		if c.Database.DSN == "" {
			return settingError("database.dsn", "required with mysql, e.g. user:password@tcp(127.0.0.1:3306)/lixiao")
		}
		cfg, err := mysql.ParseDSN(c.Database.DSN)
		if err != nil {
			return settingError("database.dsn", "%s", redact(err.Error(), dsnPassword(c.Database.DSN)))
		}
		if cfg.DBName == "" {
			return settingError("database.dsn", "no database name after the slash")
		}
	default:
		return settingError("database.driver", "unknown driver %q, want sqlite or mysql", c.Database.Driver)
	}
	return nil
}

// dsnPassword extracts the password from "user:password@..." well enough to keep it out of
// error messages, even for a DSN the driver rejects.
func dsnPassword(dsn string) string {
	slash := strings.LastIndex(dsn, "/")
	if slash < 0 {
		slash = len(dsn)
	}
	at := strings.LastIndex(dsn[:slash], "@")
	if at < 0 {
		return ""
	}
	_, pw, _ := strings.Cut(dsn[:at], ":")
	return pw
}

func redact(msg, secret string) string {
	if secret == "" {
		return msg
	}
	return strings.ReplaceAll(msg, secret, "***")
}

func (c Config) checkSecret() error {
	if c.Database.Driver == "mysql" {
		switch {
		case c.Secret == "":
			return settingError("secret", "required with mysql; generate one with `openssl rand -hex 32`")
		case len(c.Secret) < minSecretLen:
			return settingError("secret", "%d bytes is too short, want at least %d with mysql", len(c.Secret), minSecretLen)
		case c.Secret == DevSecret:
			return settingError("secret", "the development secret cannot be used with mysql")
		}
	}
	if c.Secret == "" {
		return settingError("secret", "empty")
	}
	return nil
}

func (c Config) checkWeChat() error {
	w := c.WeChat
	if err := checkHTTPURL(w.APIBase); err != nil {
		return settingError("wechat.api_base", "%v", err)
	}
	switch w.Mode {
	case "real":
		if w.AppID == "" {
			return settingError("wechat.app_id", "required with wechat mode real")
		}
		if w.AppSecret == "" {
			return settingError("wechat.app_secret", "required with wechat mode real")
		}
	case "fake":
		if c.Database.Driver == "mysql" && !w.ModeExplicit {
			return settingError("wechat.mode", "fake WeChat with a mysql database must be chosen explicitly: set it to real, or to fake on purpose")
		}
	default:
		return settingError("wechat.mode", "unknown mode %q, want fake or real", w.Mode)
	}
	return nil
}

// checkHTTPURL accepts an absolute http or https URL with a host.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", s)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

func (c Config) checkHTTP() error {
	if err := checkHostPort(c.HTTP.Addr, true); err != nil {
		return settingError("http.addr", "%v", err)
	}
	if c.HTTP.ShutdownTimeout <= 0 {
		return settingError("http.shutdown_timeout", "%v is not positive", c.HTTP.ShutdownTimeout)
	}
	return nil
}

// checkHostPort accepts "host:port" and ":port"; port 0 (pick any) only if allowZero.
func checkHostPort(addr string, allowZero bool) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 || (n == 0 && !allowZero) {
		return fmt.Errorf("%q has no valid port", addr)
	}
	return nil
}

func (c Config) checkRedis() error {
	if c.Redis.Addr != "" {
		if err := checkHostPort(c.Redis.Addr, false); err != nil {
			return settingError("redis.addr", "%v (leave empty for the in-process cache)", err)
		}
	}
	if c.Redis.DB < 0 {
		return settingError("redis.db", "%d is negative", c.Redis.DB)
	}
	if c.Redis.Timeout <= 0 {
		return settingError("redis.timeout", "%v is not positive", c.Redis.Timeout)
	}
	return nil
}

func (c Config) checkTimes() error {
	if c.Session.TTL < time.Minute {
		return settingError("session.ttl", "%v is shorter than 1m", c.Session.TTL)
	}
	if c.QR.TTL < 30*time.Second || c.QR.TTL > 30*time.Minute {
		return settingError("qr.ttl", "%v is outside 30s..30m", c.QR.TTL)
	}
	return nil
}

func (c Config) checkNotify() error {
	n := c.Notify
	switch {
	case n.MaxAttempts < 1:
		return settingError("notify.max_attempts", "%d is less than 1", n.MaxAttempts)
	case n.PollInterval <= 0:
		return settingError("notify.poll_interval", "%v is not positive", n.PollInterval)
	case n.BaseBackoff <= 0:
		return settingError("notify.base_backoff", "%v is not positive", n.BaseBackoff)
	case n.MaxBackoff < n.BaseBackoff:
		return settingError("notify.max_backoff", "%v is shorter than notify.base_backoff %v", n.MaxBackoff, n.BaseBackoff)
	case n.ReminderDaysBefore < 0 || n.ReminderDaysBefore > 365:
		return settingError("notify.reminder_days_before", "%d is outside 0..365", n.ReminderDaysBefore)
	case n.ReminderHour < 0 || n.ReminderHour > 23:
		return settingError("notify.reminder_hour", "%d is outside 0..23", n.ReminderHour)
	}
	if n.Timezone == "" {
		return settingError("notify.timezone", "empty; want an IANA zone such as Asia/Shanghai")
	}
	if _, err := time.LoadLocation(n.Timezone); err != nil {
		return settingError("notify.timezone", "unknown time zone %q", n.Timezone)
	}
	return nil
}

func (c Config) checkLog() error {
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return settingError("log.format", "unknown format %q, want text or json", c.Log.Format)
	}
	if _, ok := parseLevel(c.Log.Level); !ok {
		return settingError("log.level", "unknown level %q, want debug, info, warn or error", c.Log.Level)
	}
	return nil
}

// checkIntegrationKeys checks the shape of each "key:secret:system" entry; the signing
// package parses them for real. As there, the key id ends at the first colon and the system
// starts after the last, and an entry is named by its 1-based position, never its secret.
func (c Config) checkIntegrationKeys() error {
	if strings.TrimSpace(c.IntegrationKeys) == "" {
		return nil
	}
	for i, e := range strings.Split(c.IntegrationKeys, ",") {
		n := i + 1
		e = strings.TrimSpace(e)
		first, last := strings.Index(e, ":"), strings.LastIndex(e, ":")
		if first < 0 || first == last {
			return settingError("integration_keys", "entry %d: want key:secret:system", n)
		}
		id, secret, system := strings.TrimSpace(e[:first]), strings.TrimSpace(e[first+1:last]), strings.TrimSpace(e[last+1:])
		switch {
		case id == "":
			return settingError("integration_keys", "entry %d: empty key id", n)
		case secret == "":
			return settingError("integration_keys", "entry %d: empty secret", n)
		case system == "":
			return settingError("integration_keys", "entry %d: empty system", n)
		}
		switch system {
		case "finance", "library", "loan", "hospital":
		default:
			return settingError("integration_keys", "entry %d: unknown system %q, want finance, library, loan or hospital", n, system)
		}
	}
	return nil
}

func (c Config) checkUniversity() error {
	if strings.TrimSpace(c.University) == "" {
		return settingError("university", "empty; it is printed on the confirmation form")
	}
	return nil
}

func (c Config) checkStagesFile() error {
	if c.StagesFile == "" {
		return settingError("stages_file", "empty")
	}
	f, err := os.Open(c.StagesFile)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return settingError("stages_file", "cannot read %q: %v", c.StagesFile, pe.Err)
		}
		return settingError("stages_file", "cannot read %q: %v", c.StagesFile, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return settingError("stages_file", "%q is a directory", c.StagesFile)
	}
	return nil
}
