package bench_test

import (
	"context"
	"fmt"
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
		b.ReportMetric(float64(r.P50.Microseconds()), "p50-µs")
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
		b.ReportMetric(float64(r.P50.Microseconds()), "p50-µs")
		b.ReportMetric(float64(r.P99.Microseconds()), "p99-µs")
	}
}

// BenchmarkBroadcast reports 1,000 reminders under Telegram's limits, with
// 50 interactive commands answered meanwhile.
func BenchmarkBroadcast(b *testing.B) {
	for b.Loop() {
		r, err := bench.Broadcast(context.Background(), redisURL(), 1000, 50)
		if err != nil {
			b.Fatal(err)
		}
		b.Log(r)
		b.ReportMetric(r.Elapsed.Seconds(), "s")
		b.ReportMetric(r.Ratio(), "x-allowed")
		b.ReportMetric(float64(r.Count429), "429s")
		b.ReportMetric(float64(r.ReplyP99.Milliseconds()), "reply-p99-ms")
	}
}

// BenchmarkTally reports one tally's cost at 10 and 100,000 cast ballots,
// and the Redis bytes per ballot.
func BenchmarkTally(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("ballots=%d", n), func(b *testing.B) {
			for b.Loop() {
				r, err := bench.Tally(context.Background(), redisURL(), n, 1000)
				if err != nil {
					b.Fatal(err)
				}
				b.Log(r)
				for k, v := range r.Keys {
					b.Logf("  %s: %d B", k, v)
				}
				b.ReportMetric(float64(r.PerTally.Microseconds()), "µs/tally")
				b.ReportMetric(r.PerBallot(), "redis-B/ballot")
			}
		})
	}
}

// BenchmarkMemory reports the resident memory of `confbot serve`, idle and
// with 10,000 members in 100 clusters.
func BenchmarkMemory(b *testing.B) {
	bin, err := bench.BuildConfbot(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := bench.Memory(context.Background(), redisURL(), bin, 100, 100)
		if err != nil {
			b.Fatal(err)
		}
		b.Log(r)
		b.ReportMetric(mbOf(r.IdleRSS), "idle-MB")
		b.ReportMetric(mbOf(r.LoadedRSS), "loaded-MB")
		b.ReportMetric(mbOf(r.PeakRSS), "peak-MB")
	}
}

func mbOf(b int64) float64 { return float64(b) / (1 << 20) }

// BenchmarkFlood reports the bystanders' /whoami reply p99 while one person
// sends 500 messages, at Telegram's default limits (target < 2 s).
func BenchmarkFlood(b *testing.B) {
	for b.Loop() {
		r, err := bench.Flood(context.Background(), redisURL(), 10, 500, 10)
		if err != nil {
			b.Fatal(err)
		}
		b.Log(r)
		b.ReportMetric(float64(r.P99.Milliseconds()), "reply-p99-ms")
		b.ReportMetric(float64(r.FloodNotices), "flood-notices")
	}
}

// BenchmarkTypedVotes reports typed votes per second: 1,000 delegates each
// changing their ballot 4 times, the tally checked against the last choices.
func BenchmarkTypedVotes(b *testing.B) {
	for b.Loop() {
		r, err := bench.TypedVotes(context.Background(), redisURL(), 1000, 4)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.PerSecond(), "votes/s")
		b.ReportMetric(float64(r.P50.Microseconds()), "reply-p50-µs")
		b.ReportMetric(float64(r.P99.Microseconds()), "reply-p99-µs")
	}
}

// BenchmarkEchoTyped reports the echo bot answering the same 4,000 texts.
func BenchmarkEchoTyped(b *testing.B) {
	for b.Loop() {
		r, err := bench.EchoTyped(context.Background(), 1000, 4)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.PerSecond(), "answers/s")
		b.ReportMetric(float64(r.P50.Microseconds()), "reply-p50-µs")
		b.ReportMetric(float64(r.P99.Microseconds()), "reply-p99-µs")
	}
}
