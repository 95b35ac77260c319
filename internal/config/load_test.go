package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// envOf turns a map into the lookup Load takes in place of os.LookupEnv.
func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// stagesFile writes a throwaway stages file, since Validate only checks that it is readable.
func stagesFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "stages.yaml")
	if err := os.WriteFile(p, []byte("stages: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// yamlFile writes body to a temp config file and returns its path.
func yamlFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadDefaults(t *testing.T) {
	stages := stagesFile(t)
	// The tests run in internal/config, where configs/config.yaml does not exist: a missing
	// file at the default path must be fine.
	got, err := Load("", false, envOf(map[string]string{"LIXIAO_STAGES_FILE": stages}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Defaults()
	want.StagesFile = stages
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Load() = %+v\nwant Defaults() = %+v", got, want)
	}

	checks := []struct {
		name     string
		got, exp any
	}{
		{"http.addr", got.HTTP.Addr, "127.0.0.1:8080"},
		{"http.shutdown_timeout", got.HTTP.ShutdownTimeout, 10 * time.Second},
		{"database.driver", got.Database.Driver, "sqlite"},
		{"database.dsn", got.Database.DSN, "data/lixiao.db"},
		{"redis.addr", got.Redis.Addr, ""},
		{"redis.timeout", got.Redis.Timeout, 50 * time.Millisecond},
		{"wechat.mode", got.WeChat.Mode, "fake"},
		{"wechat.mode explicit", got.WeChat.ModeExplicit, false},
		{"wechat.api_base", got.WeChat.APIBase, "https://api.weixin.qq.com"},
		{"secret", got.Secret, DevSecret},
		{"university", got.University, "重庆大学"},
		{"demo", got.Demo, true},
		{"demo set", got.DemoSet, false},
		{"session.ttl", got.Session.TTL, 720 * time.Hour},
		{"qr.ttl", got.QR.TTL, 3 * time.Minute},
		{"notify.max_attempts", got.Notify.MaxAttempts, 10},
		{"notify.poll_interval", got.Notify.PollInterval, 2 * time.Second},
		{"notify.base_backoff", got.Notify.BaseBackoff, time.Second},
		{"notify.max_backoff", got.Notify.MaxBackoff, 5 * time.Minute},
		{"notify.reminder_days_before", got.Notify.ReminderDaysBefore, 7},
		{"notify.reminder_hour", got.Notify.ReminderHour, 9},
		{"notify.timezone", got.Notify.Timezone, "Asia/Shanghai"},
		{"log.format", got.Log.Format, "text"},
		{"log.level", got.Log.Level, "info"},
		{"location", got.Location().String(), "Asia/Shanghai"},
		{"log level", got.LogLevel().String(), "INFO"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.exp) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.exp)
		}
	}
}

func TestLoadYAMLOverrides(t *testing.T) {
	stages := stagesFile(t)
	path := yamlFile(t, `
http:
  addr: 0.0.0.0:9090
  shutdown_timeout: 3s
database:
  driver: mysql
  dsn: "lixiao:pw@tcp(db:3306)/lixiao"
redis:
  addr: redis:6379
  db: 2
  timeout: 80ms
wechat:
  mode: real
  app_id: wx123
  app_secret: s3cret
  templates:
    stage_cleared: tpl-cleared
  official_account:
    token: oa-token
admin_openids: [" o1 ", "", o2]
secret: 0123456789abcdef0123456789abcdef
stages_file: `+stages+`
university: 测试大学
session:
  ttl: 1h
qr:
  ttl: 90s
notify:
  max_attempts: 3
  reminder_hour: 20
  timezone: UTC
log:
  format: json
  level: debug
`)
	c, err := Load(path, true, envOf(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checks := []struct {
		name     string
		got, exp any
	}{
		{"http.addr", c.HTTP.Addr, "0.0.0.0:9090"},
		{"http.shutdown_timeout", c.HTTP.ShutdownTimeout, 3 * time.Second},
		{"database.driver", c.Database.Driver, "mysql"},
		{"database.dsn", c.Database.DSN, "lixiao:pw@tcp(db:3306)/lixiao"},
		{"redis.addr", c.Redis.Addr, "redis:6379"},
		{"redis.db", c.Redis.DB, 2},
		{"redis.timeout", c.Redis.Timeout, 80 * time.Millisecond},
		{"wechat.mode", c.WeChat.Mode, "real"},
		{"wechat.mode explicit", c.WeChat.ModeExplicit, true},
		{"wechat.app_id", c.WeChat.AppID, "wx123"},
		{"wechat.templates.stage_cleared", c.WeChat.Templates.StageCleared, "tpl-cleared"},
		{"wechat.official_account.token", c.WeChat.OfficialAccount.Token, "oa-token"},
		{"admin_openids", c.AdminOpenIDs, []string{"o1", "o2"}},
		{"university", c.University, "测试大学"},
		{"demo follows mysql", c.Demo, false},
		{"session.ttl", c.Session.TTL, time.Hour},
		{"qr.ttl", c.QR.TTL, 90 * time.Second},
		{"notify.max_attempts", c.Notify.MaxAttempts, 3},
		{"notify.reminder_hour", c.Notify.ReminderHour, 20},
		{"notify.poll_interval kept", c.Notify.PollInterval, 2 * time.Second},
		{"location", c.Location(), time.UTC},
		{"log.format", c.Log.Format, "json"},
		{"log level", c.LogLevel().String(), "DEBUG"},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.exp) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.exp)
		}
	}
}

func TestLoadEnvOverridesYAML(t *testing.T) {
	stages := stagesFile(t)
	path := yamlFile(t, `
http:
  addr: 127.0.0.1:9000
redis:
  addr: 127.0.0.1:6379
wechat:
  mode: fake
demo: true
notify:
  timezone: UTC
`)
	tests := []struct {
		name  string
		env   map[string]string
		check func(Config) any
		want  any
	}{
		{"yaml alone", nil, func(c Config) any { return c.HTTP.Addr }, "127.0.0.1:9000"},
		{"http addr", map[string]string{"LIXIAO_HTTP_ADDR": "127.0.0.1:0"}, func(c Config) any { return c.HTTP.Addr }, "127.0.0.1:0"},
		{"blank http addr ignored", map[string]string{"LIXIAO_HTTP_ADDR": " "}, func(c Config) any { return c.HTTP.Addr }, "127.0.0.1:9000"},
		{"empty redis addr clears", map[string]string{"LIXIAO_REDIS_ADDR": ""}, func(c Config) any { return c.Redis.Addr }, ""},
		{"redis db", map[string]string{"LIXIAO_REDIS_DB": "3"}, func(c Config) any { return c.Redis.DB }, 3},
		{"redis prefix", map[string]string{"LIXIAO_REDIS_PREFIX": "cqu:"}, func(c Config) any { return c.Redis.Prefix }, "cqu:"},
		{"timezone", map[string]string{"LIXIAO_TIMEZONE": "Europe/Berlin"}, func(c Config) any { return c.Location().String() }, "Europe/Berlin"},
		{"demo off", map[string]string{"LIXIAO_DEMO": "0"}, func(c Config) any { return c.Demo }, false},
		{"admin openids", map[string]string{"LIXIAO_ADMIN_OPENIDS": " a , ,b,"}, func(c Config) any { return c.AdminOpenIDs }, []string{"a", "b"}},
		{"qr ttl", map[string]string{"LIXIAO_QR_TTL": "45s"}, func(c Config) any { return c.QR.TTL }, 45 * time.Second},
		{"notify poll", map[string]string{"LIXIAO_NOTIFY_POLL": "250ms"}, func(c Config) any { return c.Notify.PollInterval }, 250 * time.Millisecond},
		{"reminder days", map[string]string{"LIXIAO_REMINDER_DAYS": "3"}, func(c Config) any { return c.Notify.ReminderDaysBefore }, 3},
		{"oa aes key", map[string]string{"LIXIAO_WECHAT_OA_AES_KEY": "k"}, func(c Config) any { return c.WeChat.OfficialAccount.EncodingAESKey }, "k"},
		{"template reminder", map[string]string{"LIXIAO_WECHAT_TEMPLATE_REMINDER": "t"}, func(c Config) any { return c.WeChat.Templates.Reminder }, "t"},
		{"log level", map[string]string{"LIXIAO_LOG_LEVEL": "warn"}, func(c Config) any { return c.Log.Level }, "warn"},
		{"mysql picks its own defaults", map[string]string{
			"LIXIAO_DATABASE_DRIVER": "mysql",
			"LIXIAO_DATABASE_DSN":    "root@tcp(127.0.0.1:3306)/lixiao_test",
			"LIXIAO_SECRET":          strings.Repeat("x", 32),
		}, func(c Config) any { return []any{c.Database.DSN, c.Secret == DevSecret, c.Demo, c.WeChat.ModeExplicit} },
			[]any{"root@tcp(127.0.0.1:3306)/lixiao_test", false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"LIXIAO_STAGES_FILE": stages}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(path, true, envOf(env))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := tt.check(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestLoadConfigPath(t *testing.T) {
	stages := stagesFile(t)
	viaEnv := yamlFile(t, "university: 环境大学\n")
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	tests := []struct {
		name     string
		path     string
		explicit bool
		env      map[string]string
		wantUni  string
		wantErr  string
	}{
		{"missing default path is fine", "", false, nil, "重庆大学", ""},
		{"missing explicit path fails", missing, true, nil, "", "config file (-config / LIXIAO_CONFIG)"},
		{"LIXIAO_CONFIG is used", "", false, map[string]string{"LIXIAO_CONFIG": viaEnv}, "环境大学", ""},
		{"missing LIXIAO_CONFIG fails", "", false, map[string]string{"LIXIAO_CONFIG": missing}, "", "nope.yaml"},
		{"flag beats LIXIAO_CONFIG", missing, true, map[string]string{"LIXIAO_CONFIG": viaEnv}, "", "nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"LIXIAO_STAGES_FILE": stages}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(tt.path, tt.explicit, envOf(env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.University != tt.wantUni {
				t.Errorf("university = %q, want %q", c.University, tt.wantUni)
			}
		})
	}
}

// TestShippedConfigs keeps the files in configs/ loadable as the code changes.
func TestShippedConfigs(t *testing.T) {
	stages := stagesFile(t)
	for _, name := range []string{"config.yaml", "config.example.yaml"} {
		t.Run(name, func(t *testing.T) {
			c, err := Load(filepath.Join("..", "..", "configs", name), true,
				envOf(map[string]string{"LIXIAO_STAGES_FILE": stages}))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := Defaults()
			want.StagesFile = stages
			if !reflect.DeepEqual(c, want) {
				t.Errorf("%s differs from the built-in defaults:\n got %+v\nwant %+v", name, c, want)
			}
		})
	}
}
