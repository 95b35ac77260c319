package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/lixiao/lixiao/internal/signing"
)

// sign prints a ready-to-run curl command for a signed integration push,
// so an integrator can check their own signing against ours.
func sign(args []string, env func(string) (string, bool), out io.Writer) error {
	fs := flag.NewFlagSet("lixiao sign", flag.ContinueOnError)
	fs.SetOutput(out)
	base := fs.String("url", "http://127.0.0.1:8080", "server base URL")
	system := fs.String("system", "", "finance, library, loan or hospital")
	key := fs.String("key", "", "key id; its secret comes from LIXIAO_INTEGRATION_KEYS")
	body := fs.String("body", "", "JSON body; '-' or empty reads standard input, @file reads a file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raw, _ := env("LIXIAO_INTEGRATION_KEYS")
	keys, err := signing.ParseKeys(raw)
	if err != nil {
		return fmt.Errorf("LIXIAO_INTEGRATION_KEYS: %w", err)
	}
	var k *signing.Key
	for i := range keys {
		if keys[i].ID == *key || (*key == "" && keys[i].System == *system) {
			k = &keys[i]
			break
		}
	}
	if k == nil {
		return errors.New("sign: no key: give -key (or -system) matching an entry of LIXIAO_INTEGRATION_KEYS")
	}
	if *system == "" {
		*system = k.System
	}
	var data []byte
	switch {
	case *body == "" || *body == "-":
		data, err = io.ReadAll(os.Stdin)
	case strings.HasPrefix(*body, "@"):
		data, err = os.ReadFile((*body)[1:])
	default:
		data = []byte(*body)
	}
	if err != nil {
		return fmt.Errorf("sign: body: %w", err)
	}
	url := strings.TrimRight(*base, "/") + "/api/v1/integrations/" + *system + "/records"
	fmt.Fprintln(out, signing.Curl(*k, url, data, time.Now()))
	return nil
}
