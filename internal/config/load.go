package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// EnvConfig names the configuration file when the caller got no -config flag.
const EnvConfig = "LIXIAO_CONFIG"

// SettingError is a bad value for one setting. It names both the YAML key and the environment
// variable so an operator can fix whichever they used, and it never carries a secret.
type SettingError struct {
	Key    string // YAML key, e.g. "database.driver"
	Env    string // environment variable, e.g. "LIXIAO_DATABASE_DRIVER"
	Reason string
}

func (e *SettingError) Error() string {
	if e.Env == "" {
		return fmt.Sprintf("config: %s: %s", e.Key, e.Reason)
	}
	return fmt.Sprintf("config: %s (%s): %s", e.Key, e.Env, e.Reason)
}

// Load builds the configuration: built-in defaults, then the YAML file, then LIXIAO_*
// variables read through env (os.LookupEnv in production, a map in tests), then Validate.
//
// path is the -config flag's value and explicit says whether the flag was given. Without it,
// LIXIAO_CONFIG (if set and non-empty) names the file, and failing that DefaultPath is used.
// A missing file is fine only at DefaultPath; a file someone named must exist.
func Load(path string, explicit bool, env func(string) (string, bool)) (Config, error) {
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	if !explicit {
		if p, ok := env(EnvConfig); ok && strings.TrimSpace(p) != "" {
			path, explicit = strings.TrimSpace(p), true
		}
	}
	if path == "" {
		path, explicit = DefaultPath, false
	}

	c := base()
	if err := c.readFile(path, explicit); err != nil {
		return Config{}, err
	}
	if err := c.applyEnv(env); err != nil {
		return Config{}, err
	}
	c.resolve()
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// readFile overlays the YAML file at path onto c. Unknown keys are errors (a typo must not
// silently leave a default in place), reported with the line they are on.
func (c *Config) readFile(path string, explicit bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("config: config file (-config / %s): %w", EnvConfig, err)
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config: %s: %s", path, yamlReason(err))
	}

	// Which of the driver-dependent choices the file made: decode again into pointers, since
	// "mode: fake" and "demo: false" look the same as absent once in the struct.
	var set struct {
		WeChat struct {
			Mode *string `yaml:"mode"`
		} `yaml:"wechat"`
		Demo *bool `yaml:"demo"`
	}
	if err := yaml.Unmarshal(data, &set); err != nil {
		return fmt.Errorf("config: %s: %s", path, yamlReason(err))
	}
	if set.WeChat.Mode != nil {
		c.WeChat.ModeExplicit = true
	}
	if set.Demo != nil {
		c.DemoSet = true
	}
	return nil
}

// yamlReason flattens yaml.v3's multi-line errors into one line and words its messages for
// people editing the file: "line 4: unknown key \"adress\"".
func yamlReason(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return strings.TrimPrefix(err.Error(), "yaml: ")
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		if line, rest, ok := strings.Cut(m, ": field "); ok {
			if name, _, ok := strings.Cut(rest, " not found in type "); ok {
				m = fmt.Sprintf("%s: unknown key %q", line, name)
			}
		}
		if strings.HasSuffix(m, "into time.Duration") {
			m += " (write durations like 90s, 5m or 720h)"
		}
		msgs[i] = m
	}
	return strings.Join(msgs, "; ")
}

// cleanList trims each item and drops empty ones, so "a, b,," and a YAML list with a blank
// entry both mean [a b]. No items at all is nil.
func cleanList(items []string) []string {
	var out []string
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
