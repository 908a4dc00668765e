// Command confbot runs the year-end conference of a cụm thi đua on Telegram.
// One binary, subcommands: serve, playground, import, invite, export, newyear, version.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // minimal images lack zoneinfo: Asia/Ho_Chi_Minh must still load

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/config"
)

const usage = `usage: confbot COMMAND [ARGS]

  serve                       run the bot (configuration from the environment, see README)
  playground [FLAGS]          the bot, a simulated Telegram and a chat page (--addr, --file, --redis)
  import FILE                 import or update a conference file
  invite CONF UNIT [ROLE]     print a t.me invite link (CONF is cluster/conference, e.g. cum8-bt/tk-2022)
  export CONF DIR             write CONF's CSV tables, XLSX workbook and minutes (PDF + text) to DIR
  newyear CONF YEAR           create YEAR's draft conference from closed CONF (next chair, dates moved)
  bench [FLAGS]               measure throughput, broadcast, tally cost and memory (-votes, -redis, -only)
  version                     print the version
`

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr)) }

// run is main without the process: it returns the exit code.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, "confbot", version())
		return 0
	case "serve":
		return withConfig(getenv, config.ModeServe, stderr, func(cfg *config.Config, log zerolog.Logger) error {
			return serve(ctx, cfg, log)
		})
	case "playground":
		return runPlayground(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		if len(args) != 2 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return withConfig(getenv, config.ModeTool, stderr, func(cfg *config.Config, log zerolog.Logger) error {
			return importFile(ctx, cfg, args[1], stdout)
		})
	case "invite":
		if len(args) != 3 && len(args) != 4 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return withConfig(getenv, config.ModeTool, stderr, func(cfg *config.Config, log zerolog.Logger) error {
			return invite(ctx, cfg, args[1:], stdout)
		})
	case "export":
		if len(args) != 3 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return withConfig(getenv, config.ModeTool, stderr, func(cfg *config.Config, log zerolog.Logger) error {
			return exportConference(ctx, cfg, args[1], args[2], stdout)
		})
	case "newyear":
		if len(args) != 3 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return withConfig(getenv, config.ModeTool, stderr, func(cfg *config.Config, log zerolog.Logger) error {
			return newYear(ctx, cfg, args[1], args[2], stdout)
		})
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "confbot: unknown command %q\n%s", args[0], usage)
	return 2
}

// withConfig loads and validates the configuration (one clear line naming
// the variable when it is wrong), builds the logger and runs f.
func withConfig(getenv func(string) string, mode config.Mode, stderr io.Writer, f func(*config.Config, zerolog.Logger) error) int {
	cfg, err := config.Load(getenv, mode)
	if err != nil {
		fmt.Fprintf(stderr, "confbot: configuration: %v\n", err)
		return 2
	}
	var out io.Writer = stderr
	if cfg.LogFormat == "console" {
		out = zerolog.ConsoleWriter{Out: stderr}
	}
	log := zerolog.New(out).Level(cfg.LogLevel).With().Timestamp().Logger()
	if err := f(cfg, log); err != nil {
		fmt.Fprintf(stderr, "confbot: %v\n", err)
		return 1
	}
	return 0
}
