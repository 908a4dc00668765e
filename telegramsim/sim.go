// Package telegramsim is an in-process Telegram Bot API simulator. It speaks the HTTP protocol of
// api.telegram.org well enough for the real go-telegram/bot client to run against it, checks every
// request against the Bot API 10.1 specification, enforces Telegram's flood limits, injects faults,
// and keeps a small world of users, groups and chats so tests can act as people and then assert
// what those people would see.
package telegramsim

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultToken is the bot token the simulator accepts when WithToken is not given.
const DefaultToken = "1000001:sim-token"

// Simulator is a running fake Bot API server. All its methods are safe for concurrent use.
type Simulator struct {
	token    string
	botUser  User
	now      func() time.Time
	limitNow func() time.Time // rate windows; nil: now
	limits   Limits
	failures FailurePlan
	spec     *apiSpec
	handler  http.Handler
	server   *httptest.Server

	// closed releases long polls and held requests on Close, so the HTTP server can shut down.
	closed    chan struct{}
	closeOnce sync.Once
	workers   sync.WaitGroup

	// mu guards everything below. One lock keeps the world consistent (a message, its update and
	// its change signal appear together); nothing slow is done while holding it.
	mu sync.Mutex
	// changed is closed and replaced on every change: waiters (long polls, WaitFor, the webhook
	// worker) select on it instead of sleeping.
	changed     chan struct{}
	mediaGroups int // albums sent, for their media_group_id
	subscribers map[chan struct{}]struct{}
	events      []Event

	world    world
	queue    updateQueue
	pollGen  uint64
	webhook  webhookState
	rate     rateLimiter
	faults   faultInjector
	files    fileStore
	commands map[string]CommandSet
	profile  map[string]string
	answers  map[string]*callbackQuery

	calls      []Call
	violations []string
	notes      []string
	seenNotes  map[string]bool
	count429   int
}

// Option configures a Simulator in New.
type Option func(*Simulator)

// WithToken sets the only token the simulator accepts; requests with another token get 401.
func WithToken(token string) Option {
	return func(s *Simulator) { s.token = token }
}

// WithBotUser sets the id and username that getMe reports and that bot messages come from.
func WithBotUser(id int64, username string) Option {
	return func(s *Simulator) {
		s.botUser.ID = id
		s.botUser.Username = username
	}
}

// WithClock sets the clock used for message dates, rate windows and callback query ages.
// Long-poll timeouts and webhook backoff use real time, as the client's own timers do.
func WithClock(now func() time.Time) Option {
	return func(s *Simulator) { s.now = now }
}

// WithLimitClock sets the clock the rate windows are kept by, when it must
// differ from WithClock's: the playground's simulated time jumps (and stands
// still in its tests), while Telegram paces sends in real time.
func WithLimitClock(now func() time.Time) Option {
	return func(s *Simulator) { s.limitNow = now }
}

// WithLimits turns on flood-limit enforcement; the zero Limits enforces nothing.
func WithLimits(l Limits) Option {
	return func(s *Simulator) { s.limits = l }
}

// WithFailures injects faults into send-type methods according to the plan.
func WithFailures(p FailurePlan) Option {
	return func(s *Simulator) { s.failures = p }
}

// New builds a simulator and starts it on an ephemeral port of 127.0.0.1. Close it when done.
func New(opts ...Option) *Simulator {
	s := NewUnstarted(opts...)
	s.server = httptest.NewServer(s.handler)
	return s
}

// NewUnstarted builds a simulator without its own HTTP server, for mounting Handler elsewhere
// (the playground). URL returns "" for it; Close still releases waiting requests.
func NewUnstarted(opts ...Option) *Simulator {
	s := &Simulator{
		token:       DefaultToken,
		now:         time.Now,
		closed:      make(chan struct{}),
		changed:     make(chan struct{}),
		subscribers: make(map[chan struct{}]struct{}),
		commands:    make(map[string]CommandSet),
		profile:     make(map[string]string),
		answers:     make(map[string]*callbackQuery),
		seenNotes:   make(map[string]bool),
	}
	s.botUser = User{FirstName: "Sim Bot", Username: "sim_bot"}
	for _, o := range opts {
		o(s)
	}
	if s.botUser.ID == 0 {
		s.botUser.ID = tokenBotID(s.token)
	}
	s.spec = mustLoadSpec()
	s.world = newWorld()
	s.rate = newRateLimiter(s.limits)
	s.faults = newFaultInjector(s.failures)
	s.files = newFileStore()
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s
}

// tokenBotID reads the numeric prefix of a token, as Telegram's bot id is.
func tokenBotID(token string) int64 {
	id, err := strconv.ParseInt(strings.SplitN(token, ":", 2)[0], 10, 64)
	if err != nil || id <= 0 {
		return 1000001
	}
	return id
}

// URL returns the base URL to pass to bot.WithServerURL.
func (s *Simulator) URL() string {
	if s.server == nil {
		return ""
	}
	return s.server.URL
}

// Token returns the token the simulator accepts.
func (s *Simulator) Token() string { return s.token }

// BotUser returns the bot's own user, as getMe reports it.
func (s *Simulator) BotUser() User { return s.botUser }

// Handler returns the simulator's HTTP handler, to mount it under another server.
func (s *Simulator) Handler() http.Handler { return s.handler }

// Close releases waiting requests, stops webhook delivery and shuts the server down. It is safe
// to call more than once.
func (s *Simulator) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.mu.Lock()
		s.stopWebhookLocked()
		s.mu.Unlock()
		s.workers.Wait()
		if s.server != nil {
			s.server.Close()
		}
	})
}

// changeLocked wakes everything waiting for a change. Callers hold s.mu.
func (s *Simulator) changeLocked(ev Event) {
	close(s.changed)
	s.changed = make(chan struct{})
	if ev.Kind != "" {
		ev.Seq = len(s.events) + 1
		s.events = append(s.events, ev)
	}
	for ch := range s.subscribers {
		select {
		case ch <- struct{}{}:
		default: // a signal is already pending; subscribers re-read the state anyway
		}
	}
}

// nowUnix returns the clock's time as a Telegram date, never 0.
func (s *Simulator) nowUnix() int64 {
	u := s.now().Unix()
	if u <= 0 {
		// A zero date makes go-telegram/bot decode a callback's message as inaccessible.
		return 1
	}
	return u
}

// limitClock is the time rate windows are kept by.
func (s *Simulator) limitClock() time.Time {
	if s.limitNow != nil {
		return s.limitNow()
	}
	return s.now()
}
