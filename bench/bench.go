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
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/setup"
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

// Result is one measured run.
type Result struct {
	Name    string
	N       int           // requests completed
	Elapsed time.Duration // first request sent to last one answered
	P99     time.Duration // 99th percentile handler latency (zero for the echo bot)
}

// PerSecond is the throughput of the run.
func (r Result) PerSecond() float64 { return float64(r.N) / r.Elapsed.Seconds() }

// String formats the result for people.
func (r Result) String() string {
	s := fmt.Sprintf("%s: %d in %v = %.0f/s", r.Name, r.N, r.Elapsed.Round(time.Millisecond), r.PerSecond())
	if r.P99 > 0 {
		s += fmt.Sprintf(", handler p99 %v", r.P99.Round(10*time.Microsecond))
	}
	return s
}

// Votes casts n typed votes (/vote khen A:yes B:no), one per delegate, on
// the real bot with its store on redisURL, and times them until every
// handler has finished (each handler returns after its receipt was
// answered by the simulator).
func Votes(ctx context.Context, redisURL string, n int) (Result, error) {
	sim := telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName))
	defer sim.Close()
	prefix := "bench:" + randomHex()
	store, err := storage.Open(ctx, storage.Options{URL: redisURL, Prefix: prefix})
	if err != nil {
		return Result{}, err
	}
	defer func() { deletePrefix(store, prefix); _ = store.Close() }()

	var mu sync.Mutex
	var took []time.Duration
	var handled atomic.Int64
	timed := func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, u *models.Update) error {
			start := time.Now()
			err := next.Handle(ctx, u)
			mu.Lock()
			took = append(took, time.Since(start))
			mu.Unlock()
			handled.Add(1)
			return err
		})
	}
	env := map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": sim.URL(), "BALLOT_SECRET": secret,
		"BOT_ADMINS": fmt.Sprint(adminID), "HTTP_ADDR": "127.0.0.1:0", "REDIS_URL": redisURL, "REDIS_PREFIX": prefix,
		"SEND_RATE": "100000", "SEND_RATE_CHAT": "1000", "SEND_RATE_GROUP": "60000"}
	cfg, err := config.Load(func(k string) string { return env[k] }, config.ModeServe)
	if err != nil {
		return Result{}, err
	}
	a, err := app.New(ctx, cfg, zerolog.New(io.Discard), app.Options{Store: store, PollTimeout: 2 * time.Second, WrapHandler: timed})
	if err != nil {
		return Result{}, err
	}
	if err := a.Start(ctx); err != nil {
		return Result{}, err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), app.ShutdownTimeout)
		_ = a.Shutdown(sctx)
		cancel()
	}()
	if err := openBallot(ctx, sim, store, n, &handled); err != nil {
		return Result{}, err
	}
	mu.Lock()
	took = took[:0]
	mu.Unlock()
	before := handled.Load()
	begun := time.Now()
	for i := 0; i < n; i++ {
		id := int64(baseID + i)
		sim.SendText(id, id, "/vote khen A:yes B:no")
	}
	if err := waitCount(ctx, sim, &handled, before+int64(n)); err != nil {
		return Result{}, fmt.Errorf("votes: %w", err)
	}
	elapsed := time.Since(begun)
	counters, err := store.Counters(ctx, confRef, "khen", 1)
	if err != nil {
		return Result{}, err
	}
	if counters.Ballots != n {
		return Result{}, fmt.Errorf("votes: %d ballots counted, want %d", counters.Ballots, n)
	}
	mu.Lock()
	defer mu.Unlock()
	return Result{Name: "confbot votes", N: n, Elapsed: elapsed, P99: percentile(took, 0.99)}, nil
}

// Echo sends n texts to a bare go-telegram/bot whose default handler
// answers each with one message and does nothing else: the ceiling that
// the simulator and the library allow on this machine.
func Echo(ctx context.Context, n int) (Result, error) {
	sim := telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName))
	defer sim.Close()
	var answered atomic.Int64
	b, err := tgbot.New(token, tgbot.WithServerURL(sim.URL()), tgbot.WithSkipGetMe(),
		tgbot.WithErrorsHandler(func(error) {}), tgbot.WithDebugHandler(func(string, ...any) {}),
		tgbot.WithDefaultHandler(func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
			if u.Message == nil {
				return
			}
			if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "ok"}); err == nil {
				answered.Add(1)
			}
		}))
	if err != nil {
		return Result{}, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.Start(runCtx)
	for i := 0; i < n; i++ {
		sim.AddUser(telegramsim.User{ID: int64(baseID + i), FirstName: "U"})
	}
	begun := time.Now()
	for i := 0; i < n; i++ {
		id := int64(baseID + i)
		sim.SendText(id, id, "/vote khen A:yes B:no")
	}
	if err := waitCount(ctx, sim, &answered, int64(n)); err != nil {
		return Result{}, fmt.Errorf("echo: %w", err)
	}
	return Result{Name: "echo bot", N: n, Elapsed: time.Since(begun)}, nil
}

func waitCount(ctx context.Context, sim *telegramsim.Simulator, c *atomic.Int64, want int64) error {
	ctx, cancel := context.WithTimeout(ctx, waitMost)
	defer cancel()
	if err := sim.Await(ctx, func() bool { return c.Load() >= want }); err != nil {
		return fmt.Errorf("%d of %d done: %w", c.Load(), want, err)
	}
	return nil
}

// openBallot imports a conference of n delegates and opens its ballot khen
// as the admin, through the bot.
func openBallot(ctx context.Context, sim *telegramsim.Simulator, store *storage.Store, n int, handled *atomic.Int64) error {
	sim.AddUser(telegramsim.User{ID: adminID, FirstName: "Admin"})
	for i := 0; i < n; i++ {
		sim.AddUser(telegramsim.User{ID: int64(baseID + i), FirstName: "Đại biểu"})
	}
	if _, err := setup.New(store, botName, time.Now).Import(ctx, Conference(n)); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if _, err := store.UpdateConference(ctx, confRef, func(c *domain.Conference) error {
		_ = c.Transition(domain.StateOpen)
		return c.Transition(domain.StateInSession)
	}); err != nil {
		return err
	}
	if err := store.SetActive(ctx, adminID, confRef); err != nil {
		return err
	}
	for _, cmd := range []string{"/quorum override", "/ballot open khen"} {
		want := handled.Load() + 1
		sim.SendText(adminID, adminID, cmd)
		if err := waitCount(ctx, sim, handled, want); err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
	}
	if info, err := store.BallotRound(ctx, confRef, "khen"); err != nil || info.State != domain.BallotOpen {
		return fmt.Errorf("ballot khen did not open: %v", err)
	}
	return nil
}

// Conference is a conference of n delegates in two units with one secret
// approve ballot, khen.
func Conference(n int) []byte {
	var b strings.Builder
	b.WriteString(`cluster: {id: big, name: "Cụm lớn", timezone: Asia/Ho_Chi_Minh}
units:
  - {code: A, name: "Đơn vị A"}
  - {code: B, name: "Đơn vị B"}
conference: {id: y2025, title: "Hội nghị", year: 2025, starts_at: "2025-11-24 08:00", ends_at: "2025-11-24 11:00", chair_unit: A, quorum: {percent: 50, of: members}, summary_deadline: "2025-11-17 17:00"}
people:
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - {id: %d, name: \"Đại biểu %d\", unit: %s, roles: [delegate]}\n", baseID+i, i, []string{"A", "B"}[i%2])
	}
	b.WriteString(`ballots:
  - {id: khen, title: "Khen thưởng", kind: approve, candidates: all, voters: delegate, secret: true, threshold: {op: ">", percent: 50, of: valid}, quota: 1}
`)
	return []byte(b.String())
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rdb := store.Client()
	iter := rdb.Scan(ctx, 0, prefix+":*", 500).Iterator()
	for iter.Next(ctx) {
		rdb.Unlink(ctx, iter.Val())
	}
}
