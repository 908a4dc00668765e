package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/confbot/confbot/bench"
)

// runBench is `confbot bench [-votes N] [-redis URL] [-only votes|broadcast|tally|memory|flood]`:
// the issue-9 benchmarks (the same harness as `go test -bench ./bench/`),
// printed with the machine they ran on. It writes to Redis only under a
// fresh bench:<random> prefix, removed afterwards. It returns the exit code.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	votes := fs.Int("votes", 1000, "votes cast (and echo presses) in the throughput run")
	redisURL := fs.String("redis", "", "Redis to measure against (default REDIS_URL, else redis://127.0.0.1:6379/0)")
	only := fs.String("only", "", "run one part: votes, broadcast, tally, memory or flood")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *votes < 1 {
		fmt.Fprintln(stderr, "confbot bench: usage: confbot bench [-votes N] [-redis URL] [-only votes|broadcast|tally|memory|flood]")
		return 2
	}
	parts := map[string]func(context.Context, string, io.Writer) error{
		"votes":     func(ctx context.Context, url string, w io.Writer) error { return benchVotes(ctx, url, *votes, w) },
		"broadcast": benchBroadcast,
		"tally":     benchTally,
		"memory":    benchMemory,
		"flood":     benchFlood,
	}
	order := []string{"votes", "broadcast", "tally", "memory", "flood"}
	if *only != "" {
		if parts[*only] == nil {
			fmt.Fprintf(stderr, "confbot bench: -only %q: want votes, broadcast, tally, memory or flood\n", *only)
			return 2
		}
		order = []string{*only}
	}
	url := *redisURL
	if url == "" {
		url = getenv("REDIS_URL")
	}
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	fmt.Fprintln(stdout, "machine:", bench.Machine(ctx, url))
	for _, name := range order {
		if err := parts[name](ctx, url, stdout); err != nil {
			fmt.Fprintf(stderr, "confbot bench: %s: %v\n", name, err)
			return 1
		}
	}
	return 0
}

func benchVotes(ctx context.Context, url string, n int, w io.Writer) error {
	echo, err := bench.Echo(ctx, n)
	if err != nil {
		return err
	}
	votes, err := bench.Votes(ctx, url, n)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, echo)
	fmt.Fprintln(w, votes)
	fmt.Fprintf(w, "votes/echo ratio %.2f (target ≥ 0.5); handler p99 %v (target < 20ms)\n",
		votes.PerSecond()/echo.PerSecond(), votes.P99.Round(10*time.Microsecond))
	return nil
}

func benchBroadcast(ctx context.Context, url string, w io.Writer) error {
	r, err := bench.Broadcast(ctx, url, 1000, 50)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, r)
	fmt.Fprintf(w, "targets: ratio ≤ 1.05, no 429, interactive p99 < 1s\n")
	return nil
}

func benchTally(ctx context.Context, url string, w io.Writer) error {
	var few bench.TallyResult
	for _, n := range []int{10, 100_000} {
		r, err := bench.Tally(ctx, url, n, 1000)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, r)
		if n == 10 {
			few = r
		} else {
			fmt.Fprintf(w, "tally cost 100,000 vs 10 ballots: ratio %.2f (target ≈ 1); redis %.0f B/ballot (target < 300)\n",
				float64(r.PerTally)/float64(few.PerTally), r.PerBallot())
		}
	}
	return nil
}

func benchMemory(ctx context.Context, url string, w io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own binary to run as serve: %w", err)
	}
	r, err := bench.Memory(ctx, url, self, 100, 100)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, r)
	fmt.Fprintln(w, "target: under 80 MB resident")
	return nil
}

// benchFlood is issue 12's first attack: one person sends 500 messages,
// others' /whoami must still be answered within 2 s (p99).
func benchFlood(ctx context.Context, url string, w io.Writer) error {
	r, err := bench.Flood(ctx, url, 10, 500, 10)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, r)
	return nil
}
