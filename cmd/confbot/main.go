// Command confbot runs the year-end conference of a cụm thi đua on Telegram.
// One binary, subcommands: serve, playground, template, check, import,
// export-config, invite, export, newyear, bench, health, version.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	_ "time/tzdata" // minimal images lack zoneinfo: Asia/Ho_Chi_Minh must still load

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/config"
)

const usage = `usage: confbot COMMAND [ARGS]

  serve                       run the bot (configuration from the environment, see README)
  playground [FLAGS]          the bot, a simulated Telegram and a chat page (--addr, --file, --redis)
  template [FILE]             write the conference workbook (XLSX) to fill in, the reference conference as the example
  check FILE                  validate a conference file (.xlsx or .yaml) and say what an import would change
  import FILE                 import or update a conference file (.xlsx or .yaml)
  export-config CONF FILE     write a stored conference back out as FILE.xlsx or FILE.yaml
  invite CONF UNIT [ROLE]     print a t.me invite link
  export CONF DIR             write CONF's CSV tables, XLSX workbook and minutes (PDF + text) to DIR
  newyear CONF YEAR           create YEAR's draft conference from closed CONF (next chair, dates moved)
  bench [FLAGS]               measure throughput, broadcast, tally cost and memory (-votes, -redis, -only)
  health                      ask the running bot's /healthz on HTTP_ADDR (for container health checks)
  version                     print the version

CONF is cluster/conference (cum8-bt/tk-2022), or the conference id alone (tk-2022) when one cluster has it.
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
	case "health":
		if err := health(ctx, getenv, stdout); err != nil {
			fmt.Fprintf(stderr, "confbot: %v\n", err)
			return 1
		}
		return 0
	case "template":
		if len(args) > 2 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		if err := writeTemplate(strings.Join(args[1:], ""), stdout); err != nil {
			fmt.Fprintf(stderr, "confbot: %v\n", err)
			return 1
		}
		return 0
	}
	if t, ok := toolCommands()[args[0]]; ok {
		if n := len(args) - 1; n < t.min || n > t.max {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return withConfig(getenv, config.ModeTool, stderr, func(cfg *config.Config, log zerolog.Logger) error {
			return t.run(ctx, cfg, args[1:], stdout)
		})
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "confbot: unknown command %q\n%s", args[0], usage)
	return 2
}

// tool is a command that works on the stored conferences (configuration
// for Redis only), with min to max arguments.
type tool struct {
	min, max int
	run      func(ctx context.Context, cfg *config.Config, args []string, out io.Writer) error
}

// toolCommands are the commands a secretary or an operator runs by hand.
func toolCommands() map[string]tool {
	return map[string]tool{
		"import": {1, 1, func(ctx context.Context, cfg *config.Config, a []string, out io.Writer) error {
			return importFile(ctx, cfg, a[0], out)
		}},
		"check": {1, 1, func(ctx context.Context, cfg *config.Config, a []string, out io.Writer) error {
			return check(ctx, cfg, a[0], out)
		}},
		"export-config": {2, 2, func(ctx context.Context, cfg *config.Config, a []string, out io.Writer) error {
			return exportConfig(ctx, cfg, a[0], a[1], out)
		}},
		"invite": {2, 3, invite},
		"export": {2, 2, func(ctx context.Context, cfg *config.Config, a []string, out io.Writer) error {
			return exportConference(ctx, cfg, a[0], a[1], out)
		}},
		"newyear": {2, 2, func(ctx context.Context, cfg *config.Config, a []string, out io.Writer) error {
			return newYear(ctx, cfg, a[0], a[1], out)
		}},
	}
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
