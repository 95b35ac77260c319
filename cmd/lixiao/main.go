// Command lixiao is the 离校通 server.
//
//	lixiao [serve]   run the server (the default)
//	lixiao migrate   apply the database migrations and exit
//	lixiao sign      print a signed curl command for an integration push
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/lixiao/lixiao/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lixiao:", err)
		os.Exit(1)
	}
}

// run is the whole program; tests call it with their own arguments and
// environment and cancel ctx to stop it.
func run(ctx context.Context, args []string, env func(string) (string, bool), stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "sign" {
		return sign(args, env, stdout)
	}
	fs := flag.NewFlagSet("lixiao "+cmd, flag.ContinueOnError)
	fs.SetOutput(stdout)
	cfgPath := fs.String("config", "", "configuration file (default "+config.DefaultPath+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := config.Load(*cfgPath, explicit, env)
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		a, err := open(ctx, cfg, stdout)
		if err != nil {
			return err
		}
		defer a.Close()
		return a.Serve(ctx)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	}
	return errors.New("unknown command " + cmd + ": want serve, migrate or sign")
}
