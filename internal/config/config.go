// Package config builds the server's settings from built-in defaults, a YAML file and LIXIAO_*
// environment variables, in that order, and checks them before anything starts. The result is
// a plain struct passed down by hand; nothing here is global.
package config

import (
	"log/slog"
	"time"
	_ "time/tzdata" // Notify.Timezone must load on hosts without a zoneinfo database.
)

// DefaultPath is where Load looks when neither -config nor LIXIAO_CONFIG names a file; a
// missing file there is not an error, so a bare checkout runs on defaults alone.
const DefaultPath = "configs/config.yaml"

// Driver-dependent defaults. They apply only with SQLite: a MySQL deployment must name its
// own DSN and secret, so a development value can never reach production by accident.
const (
	DefaultSQLiteDSN = "data/lixiao.db"
	DevSecret        = "dev-only-insecure-secret-change-me"
)

// Config is every setting the server reads at start-up. The comment on each field names its
// environment variable; the YAML key is the yaml tag, nested under its section.
type Config struct {
	HTTP struct {
		Addr            string        `yaml:"addr"`             // LIXIAO_HTTP_ADDR
		ShutdownTimeout time.Duration `yaml:"shutdown_timeout"` // LIXIAO_HTTP_SHUTDOWN_TIMEOUT
	} `yaml:"http"`

	Database struct {
		Driver string `yaml:"driver"` // LIXIAO_DATABASE_DRIVER: sqlite or mysql
		DSN    string `yaml:"dsn"`    // LIXIAO_DATABASE_DSN
	} `yaml:"database"`

	// Redis is optional: an empty Addr means an in-process cache. Timeout is the budget after
	// which a cache read gives up and falls back to the database.
	Redis struct {
		Addr     string        `yaml:"addr"`     // LIXIAO_REDIS_ADDR
		Password string        `yaml:"password"` // LIXIAO_REDIS_PASSWORD
		DB       int           `yaml:"db"`       // LIXIAO_REDIS_DB
		Timeout  time.Duration `yaml:"timeout"`  // LIXIAO_REDIS_TIMEOUT
		// Prefix starts every key, so deployments can share one Redis.
		Prefix string `yaml:"prefix"` // LIXIAO_REDIS_PREFIX
	} `yaml:"redis"`

	WeChat WeChat `yaml:"wechat"`

	AdminOpenIDs    []string `yaml:"admin_openids"`    // LIXIAO_ADMIN_OPENIDS, comma-separated
	IntegrationKeys string   `yaml:"integration_keys"` // LIXIAO_INTEGRATION_KEYS, "key:secret:system,..."
	Secret          string   `yaml:"secret"`           // LIXIAO_SECRET: signs QR tokens, keys ID-card hashes
	StagesFile      string   `yaml:"stages_file"`      // LIXIAO_STAGES_FILE
	University      string   `yaml:"university"`       // LIXIAO_UNIVERSITY, printed on the confirmation form

	// Demo seeds demo data on an empty database. DemoSet records that the YAML file or
	// LIXIAO_DEMO chose it; otherwise it follows the driver (on with SQLite only).
	Demo    bool `yaml:"demo"` // LIXIAO_DEMO
	DemoSet bool `yaml:"-"`

	Session struct {
		TTL time.Duration `yaml:"ttl"` // LIXIAO_SESSION_TTL
	} `yaml:"session"`

	QR struct {
		TTL time.Duration `yaml:"ttl"` // LIXIAO_QR_TTL
	} `yaml:"qr"`

	Notify struct {
		MaxAttempts        int           `yaml:"max_attempts"`         // LIXIAO_NOTIFY_MAX_ATTEMPTS
		PollInterval       time.Duration `yaml:"poll_interval"`        // LIXIAO_NOTIFY_POLL
		BaseBackoff        time.Duration `yaml:"base_backoff"`         // LIXIAO_NOTIFY_BACKOFF
		MaxBackoff         time.Duration `yaml:"max_backoff"`          // LIXIAO_NOTIFY_MAX_BACKOFF
		ReminderDaysBefore int           `yaml:"reminder_days_before"` // LIXIAO_REMINDER_DAYS
		ReminderHour       int           `yaml:"reminder_hour"`        // LIXIAO_REMINDER_HOUR
		Timezone           string        `yaml:"timezone"`             // LIXIAO_TIMEZONE
	} `yaml:"notify"`

	Log struct {
		Format string `yaml:"format"` // LIXIAO_LOG_FORMAT: text or json
		Level  string `yaml:"level"`  // LIXIAO_LOG_LEVEL: debug, info, warn or error
	} `yaml:"log"`
}

// WeChat holds the mini-program and official-account credentials. It is a named type so the
// wiring code can hand just this part to the WeChat client.
type WeChat struct {
	// Mode is fake (built-in stand-in: the login code is the openid) or real. ModeExplicit
	// records that the YAML file or LIXIAO_WECHAT_MODE chose it, which MySQL requires.
	Mode         string `yaml:"mode"` // LIXIAO_WECHAT_MODE
	ModeExplicit bool   `yaml:"-"`

	AppID     string `yaml:"app_id"`     // LIXIAO_WECHAT_APP_ID
	AppSecret string `yaml:"app_secret"` // LIXIAO_WECHAT_APP_SECRET
	APIBase   string `yaml:"api_base"`   // LIXIAO_WECHAT_API_BASE

	// Templates are subscribe-message template ids; an empty id turns that message off.
	Templates struct {
		StageCleared  string `yaml:"stage_cleared"`  // LIXIAO_WECHAT_TEMPLATE_STAGE_CLEARED
		StageRejected string `yaml:"stage_rejected"` // LIXIAO_WECHAT_TEMPLATE_STAGE_REJECTED
		StageRevoked  string `yaml:"stage_revoked"`  // LIXIAO_WECHAT_TEMPLATE_STAGE_REVOKED
		Reminder      string `yaml:"reminder"`       // LIXIAO_WECHAT_TEMPLATE_REMINDER
	} `yaml:"templates"`

	// OfficialAccount is the optional service account used for template messages to staff.
	OfficialAccount struct {
		AppID                string `yaml:"app_id"`                 // LIXIAO_WECHAT_OA_APP_ID
		AppSecret            string `yaml:"app_secret"`             // LIXIAO_WECHAT_OA_APP_SECRET
		Token                string `yaml:"token"`                  // LIXIAO_WECHAT_OA_TOKEN
		EncodingAESKey       string `yaml:"encoding_aes_key"`       // LIXIAO_WECHAT_OA_AES_KEY
		TemplateStageChanged string `yaml:"template_stage_changed"` // LIXIAO_WECHAT_OA_TEMPLATE
	} `yaml:"official_account"`
}

// base is the built-in layer before any file or environment is read. The driver-dependent
// fields (DSN, Secret, Demo) stay empty here; resolve fills them once the driver is known.
func base() Config {
	var c Config
	c.HTTP.Addr = "127.0.0.1:8080"
	c.HTTP.ShutdownTimeout = 10 * time.Second
	c.Database.Driver = "sqlite"
	c.Redis.Timeout = 50 * time.Millisecond
	c.Redis.Prefix = "lixiao:"
	c.WeChat.Mode = "fake"
	c.WeChat.APIBase = "https://api.weixin.qq.com"
	c.StagesFile = "configs/stages.yaml"
	c.University = "重庆大学"
	c.Session.TTL = 30 * 24 * time.Hour
	c.QR.TTL = 3 * time.Minute
	c.Notify.MaxAttempts = 10
	c.Notify.PollInterval = 2 * time.Second
	c.Notify.BaseBackoff = time.Second
	c.Notify.MaxBackoff = 5 * time.Minute
	c.Notify.ReminderDaysBefore = 7
	c.Notify.ReminderHour = 9
	c.Notify.Timezone = "Asia/Shanghai"
	c.Log.Format = "text"
	c.Log.Level = "info"
	return c
}

// Defaults returns the configuration a bare checkout runs with (SQLite, in-process cache,
// fake WeChat, demo data), for tests and tools that need a starting point without Load.
func Defaults() Config {
	c := base()
	c.resolve()
	return c
}

// resolve fills the settings whose default depends on the driver and normalises lists. It
// runs after the file and the environment, so switching the driver there picks the right
// defaults.
func (c *Config) resolve() {
	if c.Database.Driver == "sqlite" {
		if c.Database.DSN == "" {
			c.Database.DSN = DefaultSQLiteDSN
		}
		if c.Secret == "" {
			c.Secret = DevSecret
		}
	}
	if !c.DemoSet {
		c.Demo = c.Database.Driver == "sqlite"
	}
	c.AdminOpenIDs = cleanList(c.AdminOpenIDs)
}

// Location is the time zone for reminder scheduling and printed dates. It is valid after
// Validate; on an unloadable zone it returns UTC rather than nil.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Notify.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// LogLevel maps Log.Level onto slog so main can build its handler without repeating the
// table; an unknown level (impossible after Validate) means info.
func (c Config) LogLevel() slog.Level {
	l, _ := parseLevel(c.Log.Level)
	return l
}

// parseLevel accepts the four Log.Level values; anything else is info and false.
func parseLevel(s string) (slog.Level, bool) {
	switch s {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return slog.LevelInfo, false
}
