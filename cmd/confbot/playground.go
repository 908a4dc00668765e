package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/playground"
)

// runPlayground is `confbot playground [--addr A] [--file F] [--redis URL]`:
// the store, the simulated Telegram, the bot and the page in one process,
// until SIGINT. It returns the exit code.
func runPlayground(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("playground", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", playground.DefaultAddr, "address of the web page")
	file := fs.String("file", "", "conference file to load (default: the reference conference, cum8-2022)")
	redisURL := fs.String("redis", "", "a real Redis (redis://host:port/db) instead of the in-memory store")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "confbot playground: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	opts := playground.Options{Addr: *addr, RedisURL: *redisURL}
	if *file != "" {
		st, err := os.Stat(*file)
		if err == nil && st.Size() > conffile.MaxFileSize {
			err = fmt.Errorf("over %d bytes", conffile.MaxFileSize)
		}
		if err == nil {
			opts.File, err = os.ReadFile(*file)
		}
		if err != nil {
			fmt.Fprintf(stderr, "confbot playground: %s: %v\n", *file, err)
			return 1
		}
	}
	level, err := zerolog.ParseLevel(getenv("LOG_LEVEL"))
	if err != nil || getenv("LOG_LEVEL") == "" {
		// The page is the interface; the terminal stays quiet. (Warnings are
		// expected here: reminders whose times the moved dates put in the past.)
		level = zerolog.ErrorLevel
	}
	opts.Log = zerolog.New(zerolog.ConsoleWriter{Out: stderr}).Level(level).With().Timestamp().Logger()

	p, err := playground.Start(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "confbot playground: %v\n", err)
		return 1
	}
	storage := "in memory (lost on exit)"
	if !p.InMemory() {
		storage = "in Redis " + *redisURL
	}
	fmt.Fprintf(stdout, "confbot playground: open %s\nconference %s, state %s; press Ctrl+C to stop\n",
		p.URL(), p.Conference.Ref(), storage)
	<-ctx.Done()
	fmt.Fprintln(stdout, "confbot playground: stopping")
	sctx, cancel := context.WithTimeout(context.Background(), app.ShutdownTimeout)
	defer cancel()
	if err := p.Close(sctx); err != nil {
		fmt.Fprintf(stderr, "confbot playground: %v\n", err)
		return 1
	}
	return 0
}
