// Package bench measures confbot end to end: the real app (handlers,
// intake, sender, Redis) driven through the Bot API simulator on loopback,
// against a bare go-telegram/bot echo bot on the same simulator. The
// `confbot bench` command and `go test -bench` in this package share it.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/telegramsim"
)

const (
	token    = "1000001:AAHbenchTokenNeverInLogs_0123456789ab"
	botName  = "confbot_bench_bot"
	adminID  = 900001
	baseID   = 400000
	confRef  = "big/y2025"
	secret   = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	waitMost = 5 * time.Minute
)

// fastSend lifts the bot's own send limits so that a benchmark measures
// the bot, not its politeness (SPEC allows benchmarks to raise them).
var fastSend = map[string]string{"SEND_RATE": "100000", "SEND_RATE_CHAT": "100000", "SEND_RATE_GROUP": "60000"}

// counter counts finished work and wakes whoever waits for a total. The
// simulator's Await is no use here: the last increment happens after the
// last simulator event, so a waiter on events would sleep until the next
// long poll ends (that was the 59 s "echo bot" figure).
type counter struct {
	n    atomic.Int64
	wake chan struct{}
}

func newCounter() *counter { return &counter{wake: make(chan struct{}, 1)} }

func (c *counter) add() {
	c.n.Add(1)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *counter) load() int64 { return c.n.Load() }

// wait blocks until the count reaches want, or waitMost passes.
func (c *counter) wait(ctx context.Context, want int64) error {
	ctx, cancel := context.WithTimeout(ctx, waitMost)
	defer cancel()
	for c.n.Load() < want {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d done: %w", c.n.Load(), want, ctx.Err())
		case <-c.wake:
		}
	}
	return nil
}

// latencies collects durations from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }
func (l *latencies) reset()              { l.mu.Lock(); l.d = l.d[:0]; l.mu.Unlock() }
func (l *latencies) p(q float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return percentile(l.d, q)
}

// rig is a running confbot on a fresh Redis prefix and a simulator.
type rig struct {
	sim   *telegramsim.Simulator
	store *storage.Store
	app   *app.App
	close func()
}

// startRig boots the real app against sim with its store on redisURL under a
// fresh prefix; env adds to (or overrides) the base configuration.
func startRig(ctx context.Context, sim *telegramsim.Simulator, redisURL string, env map[string]string, opts app.Options) (*rig, error) {
	prefix := "bench:" + randomHex()
	store, err := storage.Open(ctx, storage.Options{URL: redisURL, Prefix: prefix}, storage.WithClock(nowOr(opts.Now)))
	if err != nil {
		return nil, fmt.Errorf("open redis: %w", err)
	}
	dropStore := func() { deletePrefix(store, prefix); _ = store.Close() }
	all := map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": sim.URL(), "BALLOT_SECRET": secret,
		"BOT_ADMINS": fmt.Sprint(adminID), "HTTP_ADDR": "127.0.0.1:0", "REDIS_URL": redisURL, "REDIS_PREFIX": prefix}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.Load(func(k string) string { return all[k] }, config.ModeServe)
	if err != nil {
		dropStore()
		return nil, err
	}
	opts.Store = store
	if opts.PollTimeout == 0 {
		opts.PollTimeout = 2 * time.Second
	}
	a, err := app.New(ctx, cfg, zerolog.New(io.Discard), opts)
	if err != nil {
		dropStore()
		return nil, err
	}
	if err := a.Start(ctx); err != nil {
		dropStore()
		return nil, err
	}
	return &rig{sim: sim, store: store, app: a, close: func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), app.ShutdownTimeout)
		_ = a.Shutdown(sctx)
		cancel()
		dropStore()
	}}, nil
}

func nowOr(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// deletePrefix removes the run's keys (a single Redis; on a Cluster the
// keys of the one conference share a slot, the rest may remain).
func deletePrefix(store *storage.Store, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rdb := store.Client()
	iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Unlink(ctx, iter.Val())
	}
}
