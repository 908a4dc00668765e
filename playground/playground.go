// Package playground runs confbot whole in one process for trying it out: an
// in-memory Redis-compatible store (or a real Redis), the Bot API simulator,
// the real bot talking to the simulator over HTTP, and a web page that looks
// like a Telegram chat, where one can act as any person of a conference and
// move the simulated clock forward.
package playground

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/telegramsim"
)

// Fixed identities of the playground's simulated Telegram.
const (
	// AdminID is the playground's administrator (BOT_ADMINS), who may import files.
	AdminID int64 = 990001
	// BotUsername is the simulated bot's username.
	BotUsername = "confbot_playground_bot"
	// DefaultAddr is where the page listens unless told otherwise.
	DefaultAddr = "127.0.0.1:8080"
	// RedisPrefix namespaces the playground's keys, also on a real Redis.
	RedisPrefix = "confbot-playground"

	botDisplayName = "confbot" // the bot's name above its messages in the group

	botToken = "7000001:playgroundSimulatedTokenNotSecret"
)

// Options configure a playground. The zero value runs the reference
// conference in memory on DefaultAddr.
type Options struct {
	Addr       string // the page's host:port; DefaultAddr when empty
	File       []byte // a conference file; examples.Cum8 when nil
	RedisURL   string // a real Redis (redis://…) instead of the in-memory store
	SecretFile string // where the ballot secret is kept without RedisURL; DefaultSecretFile when empty
	Log        zerolog.Logger
	// Wall is the clock the simulated time runs along with; time.Now when nil.
	Wall func() time.Time
	// Tick is called after every clock advance, so what became due (closing
	// ballots, reminders) fires at once rather than at the bot's next
	// periodic tick; nil means the bot's own App.Tick. SetTick changes it.
	Tick func(ctx context.Context)
	// PollTimeout is the bot's long-poll timeout; 10 s when 0.
	PollTimeout time.Duration
}

// Playground is a running playground. Close it when done.
type Playground struct {
	Clock      *Clock
	Sim        *telegramsim.Simulator
	App        *app.App
	Store      *storage.Store
	Conference *domain.Conference // as loaded, dates moved

	log      zerolog.Logger
	mini     *miniredis.Miniredis // nil with a real Redis
	rdb      redis.UniversalClient
	redisURL string
	people   []Person
	byID     map[int64]Person
	srv      *http.Server
	url      string
	done     chan struct{}

	mu       sync.Mutex
	tick     func(ctx context.Context)
	clockCh  chan struct{} // closed and replaced when the clock jumps
	closing  sync.Once
	closeErr error
}

// Person is someone the page lets you act as.
type Person struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Username string   `json:"username,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	UnitName string   `json:"unit_name,omitempty"`
	Roles    []string `json:"roles"`
}

// Start builds everything, loads the conference and listens; the bot is
// taking updates when it returns.
func Start(ctx context.Context, opts Options) (p *Playground, err error) {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.File == nil {
		opts.File = examples.Cum8
	}
	if opts.Wall == nil {
		opts.Wall = time.Now
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 10 * time.Second
	}
	p = &Playground{log: opts.Log, tick: opts.Tick, clockCh: make(chan struct{}), done: make(chan struct{})}
	p.Clock = NewClock(opts.Wall(), opts.Wall)
	defer func() {
		if err != nil {
			_ = p.Close(context.WithoutCancel(ctx))
		}
	}()
	conf, err := parseConference(opts.File)
	if err != nil {
		return nil, err
	}
	if err := p.openStore(ctx, opts.RedisURL); err != nil {
		return nil, err
	}
	secret, err := p.ballotSecret(ctx, opts.SecretFile)
	if err != nil {
		return nil, err
	}
	// Telegram's own flood limits, enforced, so the playground behaves as
	// the real thing does (the bot keeps to them at its default rates).
	p.Sim = telegramsim.New(telegramsim.WithToken(botToken), telegramsim.WithBotUser(7000001, BotUsername),
		telegramsim.WithClock(p.Clock.Now), telegramsim.WithLimits(telegramsim.DefaultLimits()), telegramsim.WithLimitClock(time.Now))
	if err := p.loadConference(ctx, conf); err != nil {
		return nil, err
	}
	p.addPeople()
	if err := p.startBot(ctx, secret, opts.PollTimeout); err != nil {
		return nil, err
	}
	if p.tick == nil {
		p.SetTick(p.App.Tick)
	}
	if err := p.listen(opts.Addr); err != nil {
		return nil, err
	}
	return p, nil
}

// openStore starts the in-memory store, or connects to the Redis given.
func (p *Playground) openStore(ctx context.Context, redisURL string) error {
	if redisURL == "" {
		m, err := miniredis.Run()
		if err != nil {
			return fmt.Errorf("in-memory store: %w", err)
		}
		p.mini = m
		p.redisURL = "redis://" + m.Addr()
		p.rdb = redis.NewClient(&redis.Options{Addr: m.Addr()})
	} else {
		rdb, err := storage.NewClient(storage.Options{URL: redisURL, Prefix: RedisPrefix})
		if err != nil {
			return fmt.Errorf("redis: %w", err)
		}
		p.rdb, p.redisURL = rdb, redisURL
	}
	p.Store = storage.New(p.rdb, RedisPrefix, storage.WithClock(p.Clock.Now))
	if err := p.Store.Ping(ctx); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}

func (p *Playground) ballotSecret(ctx context.Context, file string) (string, error) {
	if p.mini == nil {
		return redisSecret(ctx, p.rdb, RedisPrefix+":playground:ballot-secret")
	}
	if file == "" {
		var err error
		if file, err = DefaultSecretFile(); err != nil {
			// Without a config dir the secret lives as long as the process,
			// which is as long as the in-memory ballots it protects.
			return newSecretHex(), nil
		}
	}
	return fileSecret(file)
}

// startBot boots the real bot against the simulator, as serve would.
func (p *Playground) startBot(ctx context.Context, secret string, pollTimeout time.Duration) error {
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": p.Sim.Token(),
		"TELEGRAM_API_URL":   p.Sim.URL(),
		"REDIS_URL":          p.redisURL,
		"REDIS_PREFIX":       RedisPrefix,
		"BALLOT_SECRET":      secret,
		"HTTP_ADDR":          "127.0.0.1:0",
		"BOT_ADMINS":         strconv.FormatInt(AdminID, 10),
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, config.ModePlayground)
	if err != nil {
		return fmt.Errorf("playground configuration: %w", err)
	}
	a, err := app.New(ctx, cfg, p.log, app.Options{Store: p.Store, Now: p.Clock.Now, PollTimeout: pollTimeout})
	if err != nil {
		return fmt.Errorf("bot: %w", err)
	}
	if err := a.Start(ctx); err != nil {
		_ = a.Shutdown(context.WithoutCancel(ctx))
		return fmt.Errorf("bot: %w", err)
	}
	p.App = a
	return nil
}

// listen serves the page and its API.
func (p *Playground) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	p.url = "http://" + ln.Addr().String()
	p.srv = &http.Server{Handler: p.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.log.Error().Err(err).Msg("playground page stopped")
		}
	}()
	return nil
}

// URL is the page's address, e.g. http://127.0.0.1:8080.
func (p *Playground) URL() string { return p.url }

// InMemory reports whether the state lives in the embedded store.
func (p *Playground) InMemory() bool { return p.mini != nil }

// People returns who the page lets you act as: the conference's people and
// the administrator.
func (p *Playground) People() []Person { return append([]Person(nil), p.people...) }

// SetTick sets the function called after every clock advance (the
// scheduler's Tick), replacing Options.Tick.
func (p *Playground) SetTick(f func(ctx context.Context)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tick = f
}

// Close stops the page, the bot, the simulator and the store, in that
// order, bounded by ctx; it is safe to call twice.
func (p *Playground) Close(ctx context.Context) error {
	p.closing.Do(func() {
		close(p.done) // ends the page's event streams, which Shutdown would wait for
		var errs []error
		if p.srv != nil {
			if err := p.srv.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("page: %w", err))
			}
		}
		if p.App != nil {
			// The app drains its outbound queue into the simulator: it goes first.
			if err := p.App.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("bot: %w", err))
			}
		}
		if p.Sim != nil {
			p.Sim.Close()
		}
		if p.rdb != nil {
			if err := p.rdb.Close(); err != nil {
				errs = append(errs, fmt.Errorf("redis: %w", err))
			}
		}
		if p.mini != nil {
			p.mini.Close()
		}
		p.closeErr = errors.Join(errs...)
	})
	return p.closeErr
}
