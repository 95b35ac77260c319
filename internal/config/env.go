package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// binding ties one setting to its YAML key and environment variable. set parses a raw value
// into the Config the binding was built for.
type binding struct {
	key string
	env string
	set func(v string) error
}

// bindings lists every environment variable Load honours, pointing into c. It is also the
// one place that knows which variable belongs to which YAML key, for error messages.
func bindings(c *Config) []binding {
	w := &c.WeChat
	return []binding{
		{"http.addr", "LIXIAO_HTTP_ADDR", word(&c.HTTP.Addr)},
		{"http.shutdown_timeout", "LIXIAO_HTTP_SHUTDOWN_TIMEOUT", duration(&c.HTTP.ShutdownTimeout)},
		{"database.driver", "LIXIAO_DATABASE_DRIVER", word(&c.Database.Driver)},
		{"database.dsn", "LIXIAO_DATABASE_DSN", text(&c.Database.DSN)},
		{"redis.addr", "LIXIAO_REDIS_ADDR", text(&c.Redis.Addr)},
		{"redis.password", "LIXIAO_REDIS_PASSWORD", text(&c.Redis.Password)},
		{"redis.db", "LIXIAO_REDIS_DB", integer(&c.Redis.DB)},
		{"redis.timeout", "LIXIAO_REDIS_TIMEOUT", duration(&c.Redis.Timeout)},
		{"redis.prefix", "LIXIAO_REDIS_PREFIX", text(&c.Redis.Prefix)},
		{"wechat.mode", "LIXIAO_WECHAT_MODE", flagged(word(&w.Mode), &w.ModeExplicit)},
		{"wechat.app_id", "LIXIAO_WECHAT_APP_ID", text(&w.AppID)},
		{"wechat.app_secret", "LIXIAO_WECHAT_APP_SECRET", text(&w.AppSecret)},
		{"wechat.api_base", "LIXIAO_WECHAT_API_BASE", word(&w.APIBase)},
		{"wechat.templates.stage_cleared", "LIXIAO_WECHAT_TEMPLATE_STAGE_CLEARED", text(&w.Templates.StageCleared)},
		{"wechat.templates.stage_rejected", "LIXIAO_WECHAT_TEMPLATE_STAGE_REJECTED", text(&w.Templates.StageRejected)},
		{"wechat.templates.stage_revoked", "LIXIAO_WECHAT_TEMPLATE_STAGE_REVOKED", text(&w.Templates.StageRevoked)},
		{"wechat.templates.reminder", "LIXIAO_WECHAT_TEMPLATE_REMINDER", text(&w.Templates.Reminder)},
		{"wechat.official_account.app_id", "LIXIAO_WECHAT_OA_APP_ID", text(&w.OfficialAccount.AppID)},
		{"wechat.official_account.app_secret", "LIXIAO_WECHAT_OA_APP_SECRET", text(&w.OfficialAccount.AppSecret)},
		{"wechat.official_account.token", "LIXIAO_WECHAT_OA_TOKEN", text(&w.OfficialAccount.Token)},
		{"wechat.official_account.encoding_aes_key", "LIXIAO_WECHAT_OA_AES_KEY", text(&w.OfficialAccount.EncodingAESKey)},
		{"wechat.official_account.template_stage_changed", "LIXIAO_WECHAT_OA_TEMPLATE", text(&w.OfficialAccount.TemplateStageChanged)},
		{"admin_openids", "LIXIAO_ADMIN_OPENIDS", list(&c.AdminOpenIDs)},
		{"integration_keys", "LIXIAO_INTEGRATION_KEYS", text(&c.IntegrationKeys)},
		{"secret", "LIXIAO_SECRET", text(&c.Secret)},
		{"stages_file", "LIXIAO_STAGES_FILE", word(&c.StagesFile)},
		{"university", "LIXIAO_UNIVERSITY", word(&c.University)},
		{"demo", "LIXIAO_DEMO", flagged(boolean(&c.Demo), &c.DemoSet)},
		{"session.ttl", "LIXIAO_SESSION_TTL", duration(&c.Session.TTL)},
		{"qr.ttl", "LIXIAO_QR_TTL", duration(&c.QR.TTL)},
		{"notify.max_attempts", "LIXIAO_NOTIFY_MAX_ATTEMPTS", integer(&c.Notify.MaxAttempts)},
		{"notify.poll_interval", "LIXIAO_NOTIFY_POLL", duration(&c.Notify.PollInterval)},
		{"notify.base_backoff", "LIXIAO_NOTIFY_BACKOFF", duration(&c.Notify.BaseBackoff)},
		{"notify.max_backoff", "LIXIAO_NOTIFY_MAX_BACKOFF", duration(&c.Notify.MaxBackoff)},
		{"notify.reminder_days_before", "LIXIAO_REMINDER_DAYS", integer(&c.Notify.ReminderDaysBefore)},
		{"notify.reminder_hour", "LIXIAO_REMINDER_HOUR", integer(&c.Notify.ReminderHour)},
		{"notify.timezone", "LIXIAO_TIMEZONE", word(&c.Notify.Timezone)},
		{"log.format", "LIXIAO_LOG_FORMAT", word(&c.Log.Format)},
		{"log.level", "LIXIAO_LOG_LEVEL", word(&c.Log.Level)},
	}
}

// applyEnv overlays every LIXIAO_* variable that is set. An empty value clears a free-text
// setting (Redis address, credentials, template ids, keys, DSN, secret) and is ignored for
// the rest, so "LIXIAO_REDIS_ADDR=" selects the in-process cache while a blank
// LIXIAO_HTTP_ADDR does not break the listener.
func (c *Config) applyEnv(env func(string) (string, bool)) error {
	for _, b := range bindings(c) {
		v, ok := env(b.env)
		if !ok {
			continue
		}
		if err := b.set(v); err != nil {
			return &SettingError{Key: b.key, Env: b.env, Reason: err.Error()}
		}
	}
	return nil
}

// settingError builds the error for key, looking up its variable in the bindings table.
func settingError(key, format string, args ...any) error {
	e := &SettingError{Key: key, Reason: fmt.Sprintf(format, args...)}
	for _, b := range bindings(&Config{}) {
		if b.key == key {
			e.Env = b.env
			break
		}
	}
	return e
}

// text sets a free-text value as given, empty included.
func text(p *string) func(string) error {
	return func(v string) error { *p = strings.TrimSpace(v); return nil }
}

// word sets a value that has no meaningful empty form; blank is ignored.
func word(p *string) func(string) error {
	return func(v string) error {
		if v = strings.TrimSpace(v); v != "" {
			*p = v
		}
		return nil
	}
}

// list sets a comma-separated list, trimmed, empty items dropped.
func list(p *[]string) func(string) error {
	return func(v string) error { *p = cleanList(strings.Split(v, ",")); return nil }
}

func integer(p *int) func(string) error {
	return func(v string) error {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		*p = n
		return nil
	}
}

func duration(p *time.Duration) func(string) error {
	return func(v string) error {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration, want e.g. 90s, 5m or 720h", v)
		}
		*p = d
		return nil
	}
}

func boolean(p *bool) func(string) error {
	return func(v string) error {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not a boolean, want 1 or 0", v)
		}
		*p = b
		return nil
	}
}

// flagged wraps set so that a non-blank value also records that the setting was chosen.
func flagged(set func(string) error, chosen *bool) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		if err := set(v); err != nil {
			return err
		}
		*chosen = true
		return nil
	}
}
