// Package app wires confbot together: storage, the Telegram transport, the
// handlers, the scheduler and the HTTP endpoints, and starts and stops them
// in a fixed order. `confbot serve`, the playground and the end-to-end tests
// all boot it the same way.
package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/handlers"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/metrics"
	"github.com/confbot/confbot/scheduler"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage"
)

// ShutdownTimeout bounds a graceful shutdown (SPEC: within 10 s).
const ShutdownTimeout = 10 * time.Second

// Options are what differs between serve, the playground and tests.
type Options struct {
	Store       *storage.Store   // nil: open REDIS_URL
	Now         func() time.Time // nil: time.Now
	PollTimeout time.Duration    // long-poll timeout; 30 s when 0
	// TickEvery is how often the scheduler wakes by itself to look for due
	// work (reminders, ballots past closes_after, effects another replica
	// recorded); 5 s when 0. Effects recorded here wake it at once.
	TickEvery time.Duration
	// WrapHandler wraps the router (tests inject slow or panicking handlers).
	WrapHandler func(bot.Handler) bot.Handler
}

// App is one running confbot.
type App struct {
	cfg     *config.Config
	log     zerolog.Logger
	opts    Options
	Store   *storage.Store
	Metrics *metrics.Metrics
	Router  *handlers.Router
	Setup   *setup.Service
	tg      *tgbot.Bot
	sender  *bot.Sender
	intake  *bot.Intake
	inbox   *bot.Inbox
	sched   *scheduler.Scheduler
	me      *models.User

	httpSrv   *http.Server
	httpAddr  string
	cancel    context.CancelFunc
	pollDone  chan struct{}
	inboxDone chan struct{}
	sendDone  chan struct{}
	stopOnce  sync.Once
	stopErr   error
}

// New loads everything; nothing runs until Start.
func New(ctx context.Context, cfg *config.Config, log zerolog.Logger, opts Options) (*App, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if len(cfg.BallotSecret) == 0 {
		return nil, &config.Error{Var: "BALLOT_SECRET", Msg: "required"}
	}
	if opts.TickEvery <= 0 {
		opts.TickEvery = 5 * time.Second
	}
	a := &App{cfg: cfg, log: log, opts: opts, Metrics: metrics.New()}
	a.Store = opts.Store
	if a.Store == nil {
		s, err := storage.Open(ctx, storage.Options{URL: cfg.RedisURL, SentinelMaster: cfg.RedisSentinelMaster, Prefix: cfg.RedisPrefix},
			storage.WithClock(opts.Now))
		if err != nil {
			return nil, err
		}
		a.Store = s
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, fmt.Errorf("load catalogues: %w", err)
	}
	pollTimeout := opts.PollTimeout
	if pollTimeout <= 0 {
		pollTimeout = 30 * time.Second
	}
	httpClient := &http.Client{Timeout: pollTimeout + 15*time.Second}
	a.tg, err = tgbot.New(cfg.Token,
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(pollTimeout, httpClient),
		// The library's defaults print whole updates with log.Printf: personal data.
		tgbot.WithDefaultHandler(func(context.Context, *tgbot.Bot, *models.Update) {}),
		tgbot.WithErrorsHandler(func(err error) { log.Warn().Err(err).Msg("telegram client") }),
		tgbot.WithDebugHandler(func(string, ...any) {}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", err)
	}
	a.me, err = a.tg.GetMe(ctx)
	if err != nil {
		return nil, fmt.Errorf("getMe: %w", err)
	}
	a.sender = bot.NewSender(a.tg, bot.Limits{Global: cfg.SendRate, PerChat: cfg.SendRateChat, PerGroupPerMinute: cfg.SendRateGroup},
		bot.WithLogger(log), bot.WithMetrics(a.Metrics), bot.WithConcurrency(sendConcurrency(cfg.SendRate)))
	a.Setup = setup.New(a.Store, a.me.Username, opts.Now)
	a.Router = handlers.NewRouter(handlers.Deps{
		Store: a.Store, Setup: a.Setup, Out: a.sender, Files: bot.NewFiles(a.tg, nil), Catalog: cat,
		IsAdmin: cfg.IsAdmin, BotUsername: a.me.Username, Now: opts.Now,
		Ballots: a.Store, BallotSecret: cfg.BallotSecret,
		Attendance: a.Store, Documents: a.sender, ReadAhead: a.Store.ReadAhead,
	})
	a.sched, err = scheduler.New(scheduler.Config{Store: a.Store, Conferences: a.Store, Recipients: a.Router,
		Notifier: a.Router, Now: opts.Now, Log: log, Every: opts.TickEvery, BeforeTick: a.beforeTick, Metrics: a.Metrics})
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	a.Router.Kick = a.sched.Kick
	a.Router.ScheduleBallot = a.sched.ScheduleBallotClose
	var handler bot.Handler = a.Router
	if opts.WrapHandler != nil {
		handler = opts.WrapHandler(handler)
	}
	a.intake = bot.NewIntake(bot.IntakeConfig{
		Handler: handler, OnPanic: a.Router.Panicked, Metrics: a.Metrics, Log: log, Now: opts.Now,
	})
	a.inbox = bot.NewInbox(bot.InboxConfig{
		Store: a.Store, Intake: a.intake, Flood: bot.NewFloodLimiter(cfg.FloodLimit, cfg.FloodWindow, opts.Now),
		Flooded: bot.HandlerFunc(a.Router.Flooded), Metrics: a.Metrics, Log: log, Lease: storage.InboxLease,
	})
	return a, nil
}

// sendConcurrency is how many requests to Telegram may be in flight: about
// what the overall rate needs at a request's latency (8 covers Telegram's
// 30 a second at 250 ms; a lifted limit gets more, up to 64).
func sendConcurrency(rate float64) int {
	return int(min(64, max(8, rate/4)))
}

// The scheduler reports its reminders to the bot's metrics.
var _ scheduler.Metrics = (*metrics.Metrics)(nil)

// BotUser is the bot's own Telegram user (from getMe).
func (a *App) BotUser() *models.User { return a.me }

// HTTPAddr is where the HTTP endpoints listen (useful with port 0).
func (a *App) HTTPAddr() string { return a.httpAddr }

// Start listens, registers the command menu, and starts taking updates by
// webhook (when WEBHOOK_URL is set) or long polling.
func (a *App) Start(ctx context.Context) error {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel

	// The sender outlives intake: replies to updates in hand must still go
	// out after intake stops; Shutdown ends it with Close, which drains.
	a.sendDone = make(chan struct{})
	go func() {
		defer close(a.sendDone)
		if err := a.sender.Run(context.WithoutCancel(ctx)); err != nil {
			a.log.Warn().Err(err).Msg("sender stopped")
		}
	}()

	mux := a.Metrics.Mux(a.Store.Ping)
	if a.cfg.WebhookURL != "" {
		u, _ := url.Parse(a.cfg.WebhookURL) // validated by config
		path := u.Path
		if path == "" {
			path = "/"
		}
		mux.Handle("POST "+path, bot.WebhookHandler(a.cfg.WebhookSecret, a.inbox))
	}
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		cancel()
		return fmt.Errorf("listen on HTTP_ADDR %s: %w", a.cfg.HTTPAddr, err)
	}
	a.httpAddr = ln.Addr().String()
	a.httpSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := a.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error().Err(err).Msg("http server stopped")
		}
	}()

	a.inboxDone = make(chan struct{})
	go func() { defer close(a.inboxDone); a.inbox.Run(runCtx) }()
	// The scheduler's loop is the one wake-up path for due work; Redis is
	// its memory. Not runCtx: Stop ends the loop after the delivery in
	// hand, in order.
	if err := a.sched.Start(context.WithoutCancel(runCtx)); err != nil {
		cancel()
		return fmt.Errorf("scheduler: %w", err)
	}

	if err := a.Router.PublishCommands(ctx, a.tg, a.cfg.Admins); err != nil {
		// A menu that failed to register is no reason not to serve.
		a.log.Warn().Err(err).Msg("command menu not registered")
	}

	a.pollDone = make(chan struct{})
	if a.cfg.WebhookURL != "" {
		close(a.pollDone)
		if _, err := a.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: a.cfg.WebhookURL, SecretToken: a.cfg.WebhookSecret,
			AllowedUpdates: []string{"message", "edited_message", "callback_query", "my_chat_member"}}); err != nil {
			return fmt.Errorf("setWebhook: %w", err)
		}
		a.log.Info().Str("addr", a.httpAddr).Msg("taking updates by webhook")
		return nil
	}
	// A leftover webhook makes getUpdates fail with 409 Conflict.
	if _, err := a.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		return fmt.Errorf("deleteWebhook: %w", err)
	}
	poller := bot.NewPoller(bot.PollerConfig{APIURL: a.cfg.APIURL, Token: a.cfg.Token, Inbox: a.inbox,
		Timeout: a.pollTimeout(), Log: a.log})
	go func() {
		defer close(a.pollDone)
		if err := poller.Run(runCtx); err != nil {
			a.log.Warn().Err(err).Msg("poller stopped")
		}
	}()
	a.log.Info().Str("addr", a.httpAddr).Str("bot", a.me.Username).Msg("taking updates by long polling")
	return nil
}

func (a *App) pollTimeout() time.Duration {
	if a.opts.PollTimeout > 0 {
		return a.opts.PollTimeout
	}
	return 30 * time.Second
}

// Shutdown stops in a fixed order, bounded by ctx and safe to call twice:
// stop taking updates, finish those in hand, drain the outbound queue, stop
// the HTTP server, close Redis.
func (a *App) Shutdown(ctx context.Context) error {
	a.stopOnce.Do(func() { a.stopErr = a.shutdown(ctx) })
	return a.stopErr
}

func (a *App) shutdown(ctx context.Context) error {
	var errs []error
	if a.cancel != nil {
		a.cancel() // the poller stops asking; updates in hand go on
	}
	if a.pollDone != nil {
		select {
		case <-a.pollDone:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("poller: %w", ctx.Err()))
		}
	}
	if a.sched != nil {
		// Waits for a fan-out in hand; what it cannot finish in time is left
		// claimed-then-released for another replica.
		if err := a.sched.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("scheduler: %w", err))
		}
	}
	if a.httpSrv != nil {
		// Waits for webhook requests in hand.
		if err := a.httpSrv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http server: %w", err))
		}
	}
	if a.inboxDone != nil {
		<-a.inboxDone // the sweep ends with runCtx
	}
	// Drainers finish the update in hand; the rest waits in Redis.
	if err := a.inbox.Stop(ctx); err != nil {
		errs = append(errs, err)
	}
	done := make(chan struct{})
	go func() { a.intake.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("updates in hand: %w", ctx.Err()))
	}
	if err := a.sender.Close(ctx); err != nil {
		errs = append(errs, fmt.Errorf("outbound queue: %w", err))
	}
	if a.sendDone != nil {
		select {
		case <-a.sendDone:
		case <-ctx.Done():
		}
	}
	if a.opts.Store == nil {
		if err := a.Store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("redis: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Tick does, once, what the scheduler's loop does at each wake-up: the
// work of beforeTick, then every due reminder, ballot close and effect.
// Tests call it with a fake clock; every replica ticks, and the claims in
// Redis decide who does what.
func (a *App) Tick(ctx context.Context) {
	a.beforeTick(ctx)
	if err := a.sched.Tick(ctx); err != nil {
		a.log.Error().Err(err).Msg("sending due jobs")
	}
}

// beforeTick re-plans the schedules of conferences imported since the
// last look and rolls the hall's check-in codes.
func (a *App) beforeTick(ctx context.Context) {
	if err := a.syncSchedules(ctx); err != nil {
		a.log.Error().Err(err).Msg("syncing reminder schedules")
	}
	if err := a.Router.RefreshCheckinCodes(ctx); err != nil {
		a.log.Error().Err(err).Msg("refreshing check-in codes")
	}
	// A safety net under the scheduled close jobs: rounds opened before
	// those existed, or whose job was lost with a re-planned schedule.
	if err := a.Router.CloseDueBallots(ctx); err != nil {
		a.log.Error().Err(err).Msg("closing due ballots")
	}
}

// syncSchedules re-plans the reminders of every conference imported since
// the last look — by the chat, the CLI or another replica alike — so a
// moved deadline moves its reminders.
func (a *App) syncSchedules(ctx context.Context) error {
	refs, err := a.Store.Conferences(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, ref := range refs {
		v, err := a.Store.ConferenceVersion(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		seen, err := a.Store.SeenVersion(ctx, ref, "reminders")
		if err != nil || seen == v {
			errs = append(errs, err)
			continue
		}
		c, err := a.Store.Conference(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := a.sched.Sync(ctx, c); err != nil {
			errs = append(errs, fmt.Errorf("sync %s: %w", ref, err))
			continue
		}
		errs = append(errs, a.Store.SetSeenVersion(ctx, ref, "reminders", v))
	}
	return errors.Join(errs...)
}
