package bench_test

import (
	"context"
	"os"
	"testing"

	"github.com/confbot/confbot/bench"
)

func redisURL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// BenchmarkVotes reports votes per second end to end and the handler p99.
func BenchmarkVotes(b *testing.B) {
	for b.Loop() {
		r, err := bench.Votes(context.Background(), redisURL(), 1000)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.PerSecond(), "votes/s")
		b.ReportMetric(float64(r.P99.Microseconds()), "p99-µs")
	}
}

// BenchmarkEcho reports the echo bot's answers per second on the same simulator.
func BenchmarkEcho(b *testing.B) {
	for b.Loop() {
		r, err := bench.Echo(context.Background(), 1000)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.PerSecond(), "answers/s")
	}
}
