// Package stages reads a university's departure stages from YAML, so that the
// offices, phones and rules of DOMAIN.md live in configuration (rule 9) and
// another university or next year's batch needs no code change.
package stages

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/lixiao/lixiao/internal/domain"
)

// File is a stages configuration: the university it describes and its stages
// in the order students see them.
type File struct {
	University string            `yaml:"university"`
	Stages     []domain.StageDef `yaml:"stages"`
}

// Load reads and validates the stages configuration at path.
func Load(path string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("stages: read %s: %w", path, err)
	}
	f, err := Parse(data)
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Parse decodes a stages configuration, rejecting unknown fields so a typo in
// a rule field cannot silently drop that rule, then normalises and validates it.
func Parse(data []byte) (File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return File{}, fmt.Errorf("stages: decode: %w", err)
	}
	for i := range f.Stages {
		if f.Stages[i].AppliesWhen == "" {
			f.Stages[i].AppliesWhen = domain.AppliesAlways
		}
	}
	if err := f.Validate(); err != nil {
		return File{}, err
	}
	return f, nil
}
