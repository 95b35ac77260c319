package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// mysqlEnv is a valid MySQL deployment; cases change one thing in it.
func mysqlEnv() map[string]string {
	return map[string]string{
		"LIXIAO_DATABASE_DRIVER":   "mysql",
		"LIXIAO_DATABASE_DSN":      "lixiao:hunter2@tcp(127.0.0.1:3306)/lixiao",
		"LIXIAO_SECRET":            "0123456789abcdef0123456789abcdef",
		"LIXIAO_WECHAT_MODE":       "real",
		"LIXIAO_WECHAT_APP_ID":     "wx0123456789",
		"LIXIAO_WECHAT_APP_SECRET": "appsecret-value",
	}
}

func TestLoadRejectsBadSettings(t *testing.T) {
	stages := stagesFile(t)
	tests := []struct {
		name    string
		yaml    string            // config file body; empty means no file
		base    map[string]string // starting environment; nil means plain defaults
		env     map[string]string // changes to it ("-" deletes)
		key     string            // setting the error must name
		env2    string            // variable it must name, if any
		reason  string            // part of the reason
		secrets []string          // must not appear in the message
	}{
		{name: "unknown driver", env: map[string]string{"LIXIAO_DATABASE_DRIVER": "postgres"},
			key: "database.driver", env2: "LIXIAO_DATABASE_DRIVER", reason: `unknown driver "postgres", want sqlite or mysql`},
		{name: "mysql without dsn", base: mysqlEnv(), env: map[string]string{"LIXIAO_DATABASE_DSN": "-"},
			key: "database.dsn", env2: "LIXIAO_DATABASE_DSN", reason: "required with mysql"},
		{name: "unparseable dsn", base: mysqlEnv(), env: map[string]string{"LIXIAO_DATABASE_DSN": "lixiao:hunter2@tcp(127.0.0.1:3306"},
			key: "database.dsn", env2: "LIXIAO_DATABASE_DSN", reason: "invalid DSN", secrets: []string{"hunter2"}},
		{name: "dsn error echoing a value", base: mysqlEnv(), env: map[string]string{"LIXIAO_DATABASE_DSN": "u:hunter2@tcp(h:3306)/db?parseTime=hunter2"},
			key: "database.dsn", env2: "LIXIAO_DATABASE_DSN", reason: "invalid bool value", secrets: []string{"hunter2"}},
		{name: "dsn without database", base: mysqlEnv(), env: map[string]string{"LIXIAO_DATABASE_DSN": "u:hunter2@tcp(h:3306)/"},
			key: "database.dsn", env2: "LIXIAO_DATABASE_DSN", reason: "no database name", secrets: []string{"hunter2"}},
		{name: "missing stages file", env: map[string]string{"LIXIAO_STAGES_FILE": filepath.Join(t.TempDir(), "gone.yaml")},
			key: "stages_file", env2: "LIXIAO_STAGES_FILE", reason: "gone.yaml"},
		{name: "stages file is a directory", env: map[string]string{"LIXIAO_STAGES_FILE": t.TempDir()},
			key: "stages_file", env2: "LIXIAO_STAGES_FILE", reason: "is a directory"},
		{name: "redis addr without port", env: map[string]string{"LIXIAO_REDIS_ADDR": "localhost"},
			key: "redis.addr", env2: "LIXIAO_REDIS_ADDR", reason: "not host:port"},
		{name: "redis addr with bad port", env: map[string]string{"LIXIAO_REDIS_ADDR": "localhost:redis"},
			key: "redis.addr", env2: "LIXIAO_REDIS_ADDR", reason: "no valid port"},
		{name: "real mode without app secret", env: map[string]string{"LIXIAO_WECHAT_MODE": "real", "LIXIAO_WECHAT_APP_ID": "wx1"},
			key: "wechat.app_secret", env2: "LIXIAO_WECHAT_APP_SECRET", reason: "required with wechat mode real"},
		{name: "real mode without app id", env: map[string]string{"LIXIAO_WECHAT_MODE": "real", "LIXIAO_WECHAT_APP_SECRET": "s"},
			key: "wechat.app_id", env2: "LIXIAO_WECHAT_APP_ID", reason: "required"},
		{name: "unknown wechat mode", env: map[string]string{"LIXIAO_WECHAT_MODE": "mock"},
			key: "wechat.mode", env2: "LIXIAO_WECHAT_MODE", reason: `unknown mode "mock"`},
		{name: "relative api base", env: map[string]string{"LIXIAO_WECHAT_API_BASE": "api.weixin.qq.com"},
			key: "wechat.api_base", env2: "LIXIAO_WECHAT_API_BASE", reason: "absolute http(s) URL"},
		{name: "fake wechat with mysql not chosen", base: mysqlEnv(), env: map[string]string{"LIXIAO_WECHAT_MODE": "-"},
			key: "wechat.mode", env2: "LIXIAO_WECHAT_MODE", reason: "must be chosen explicitly"},
		{name: "short secret with mysql", base: mysqlEnv(), env: map[string]string{"LIXIAO_SECRET": "short-secret"},
			key: "secret", env2: "LIXIAO_SECRET", reason: "too short", secrets: []string{"short-secret"}},
		{name: "no secret with mysql", base: mysqlEnv(), env: map[string]string{"LIXIAO_SECRET": "-"},
			key: "secret", env2: "LIXIAO_SECRET", reason: "required with mysql"},
		{name: "dev secret with mysql", base: mysqlEnv(), env: map[string]string{"LIXIAO_SECRET": DevSecret},
			key: "secret", env2: "LIXIAO_SECRET", reason: "development secret"},
		{name: "unknown yaml key", yaml: "http:\n  addr: 127.0.0.1:1\n  adress: x\n",
			key: `line 3: unknown key "adress"`},
		{name: "yaml duration as number", yaml: "qr:\n  ttl: 60\n",
			key: "line 2", reason: "time.Duration"},
		{name: "bad env duration", env: map[string]string{"LIXIAO_SESSION_TTL": "forever"},
			key: "session.ttl", env2: "LIXIAO_SESSION_TTL", reason: "not a duration"},
		{name: "short session", env: map[string]string{"LIXIAO_SESSION_TTL": "30s"},
			key: "session.ttl", env2: "LIXIAO_SESSION_TTL", reason: "shorter than 1m"},
		{name: "long qr ttl", env: map[string]string{"LIXIAO_QR_TTL": "1h"},
			key: "qr.ttl", env2: "LIXIAO_QR_TTL", reason: "outside 30s..30m"},
		{name: "short qr ttl", env: map[string]string{"LIXIAO_QR_TTL": "10s"},
			key: "qr.ttl", env2: "LIXIAO_QR_TTL", reason: "outside"},
		{name: "zero redis timeout", yaml: "redis:\n  timeout: 0s\n",
			key: "redis.timeout", env2: "LIXIAO_REDIS_TIMEOUT", reason: "not positive"},
		{name: "negative poll", env: map[string]string{"LIXIAO_NOTIFY_POLL": "-1s"},
			key: "notify.poll_interval", env2: "LIXIAO_NOTIFY_POLL", reason: "not positive"},
		{name: "max backoff below base", env: map[string]string{"LIXIAO_NOTIFY_BACKOFF": "1m", "LIXIAO_NOTIFY_MAX_BACKOFF": "10s"},
			key: "notify.max_backoff", env2: "LIXIAO_NOTIFY_MAX_BACKOFF", reason: "shorter than"},
		{name: "zero attempts", env: map[string]string{"LIXIAO_NOTIFY_MAX_ATTEMPTS": "0"},
			key: "notify.max_attempts", env2: "LIXIAO_NOTIFY_MAX_ATTEMPTS", reason: "less than 1"},
		{name: "non-numeric attempts", env: map[string]string{"LIXIAO_NOTIFY_MAX_ATTEMPTS": "ten"},
			key: "notify.max_attempts", env2: "LIXIAO_NOTIFY_MAX_ATTEMPTS", reason: "not a whole number"},
		{name: "reminder hour 24", env: map[string]string{"LIXIAO_REMINDER_HOUR": "24"},
			key: "notify.reminder_hour", env2: "LIXIAO_REMINDER_HOUR", reason: "0..23"},
		{name: "unknown timezone", env: map[string]string{"LIXIAO_TIMEZONE": "Mars/Olympus"},
			key: "notify.timezone", env2: "LIXIAO_TIMEZONE", reason: "unknown time zone"},
		{name: "bad log format", env: map[string]string{"LIXIAO_LOG_FORMAT": "xml"},
			key: "log.format", env2: "LIXIAO_LOG_FORMAT", reason: `unknown format "xml"`},
		{name: "bad log level", env: map[string]string{"LIXIAO_LOG_LEVEL": "trace"},
			key: "log.level", env2: "LIXIAO_LOG_LEVEL", reason: `unknown level "trace"`},
		{name: "bad demo flag", env: map[string]string{"LIXIAO_DEMO": "maybe"},
			key: "demo", env2: "LIXIAO_DEMO", reason: "not a boolean"},
		{name: "bad http addr", env: map[string]string{"LIXIAO_HTTP_ADDR": "8080"},
			key: "http.addr", env2: "LIXIAO_HTTP_ADDR", reason: "not host:port"},
		{name: "integration key missing system", env: map[string]string{"LIXIAO_INTEGRATION_KEYS": "fin:topsecret:finance,lib:libsecret"},
			key: "integration_keys", env2: "LIXIAO_INTEGRATION_KEYS", reason: "entry 2: want key:secret:system", secrets: []string{"topsecret", "libsecret"}},
		{name: "integration key unknown system", env: map[string]string{"LIXIAO_INTEGRATION_KEYS": "bank:topsecret:bank"},
			key: "integration_keys", env2: "LIXIAO_INTEGRATION_KEYS", reason: `entry 1: unknown system "bank"`, secrets: []string{"topsecret"}},
		{name: "integration key empty secret", env: map[string]string{"LIXIAO_INTEGRATION_KEYS": "fin: :finance"},
			key: "integration_keys", env2: "LIXIAO_INTEGRATION_KEYS", reason: "entry 1: empty secret"},
		{name: "integration key empty entry", env: map[string]string{"LIXIAO_INTEGRATION_KEYS": "fin:s:finance,,lib:s:library"},
			key: "integration_keys", env2: "LIXIAO_INTEGRATION_KEYS", reason: "entry 2"},
		{name: "empty university", yaml: "university: \"\"\n",
			key: "university", env2: "LIXIAO_UNIVERSITY", reason: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"LIXIAO_STAGES_FILE": stages}
			for k, v := range tt.base {
				env[k] = v
			}
			for k, v := range tt.env {
				if v == "-" {
					delete(env, k)
				} else {
					env[k] = v
				}
			}
			path, explicit := "", false
			if tt.yaml != "" {
				path, explicit = yamlFile(t, tt.yaml), true
			}
			_, err := Load(path, explicit, envOf(env))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans several lines: %q", msg)
			}
			if !strings.HasPrefix(msg, "config: ") {
				t.Errorf("error %q does not start with config:", msg)
			}
			if !strings.Contains(msg, tt.key) {
				t.Errorf("error %q does not name %q", msg, tt.key)
			}
			if tt.env2 != "" && !strings.Contains(msg, "("+tt.env2+")") {
				t.Errorf("error %q does not name %s", msg, tt.env2)
			}
			if !strings.Contains(msg, tt.reason) {
				t.Errorf("error %q does not say %q", msg, tt.reason)
			}
			for _, s := range tt.secrets {
				if strings.Contains(msg, s) {
					t.Errorf("error %q leaks %q", msg, s)
				}
			}
			var se *SettingError
			if tt.env2 != "" && (!errors.As(err, &se) || se.Env != tt.env2) {
				t.Errorf("error %v is not a *SettingError for %s", err, tt.env2)
			}
		})
	}
}

func TestLoadAcceptsGoodSettings(t *testing.T) {
	stages := stagesFile(t)
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"mysql with real wechat", mysqlEnv()},
		{"mysql with fake wechat chosen on purpose", func() map[string]string {
			e := mysqlEnv()
			e["LIXIAO_WECHAT_MODE"] = "fake"
			return e
		}()},
		{"redis and port 0", map[string]string{"LIXIAO_REDIS_ADDR": "127.0.0.1:6379", "LIXIAO_HTTP_ADDR": "127.0.0.1:0"}},
		{"integration keys with colon in secret", map[string]string{"LIXIAO_INTEGRATION_KEYS": " fin:a:b:finance , lib:s:library "}},
		{"qr ttl bounds", map[string]string{"LIXIAO_QR_TTL": "30m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["LIXIAO_STAGES_FILE"] = stages
			if _, err := Load("", false, envOf(tt.env)); err != nil {
				t.Fatalf("Load: %v", err)
			}
		})
	}
}
