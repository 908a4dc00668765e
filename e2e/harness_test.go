// Package e2e drives the real bot (app, handlers, go-telegram/bot client)
// through the Bot API simulator, on real Redis, and asserts what people see.
package e2e_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
	"github.com/confbot/confbot/telegramsim"
)

const (
	adminID   = 900001
	botName   = "confbot_e2e_bot"
	secretHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	simToken  = "1000001:AAHsimulatedE2eTokenNeverInLogs_0123456"
)

// world is one simulated Telegram with one or more bot replicas on one Redis.
type world struct {
	t     *testing.T
	sim   *telegramsim.Simulator
	store *storage.Store
	cat   *i18n.Catalog
	env   map[string]string
	logs  *syncBuffer
	apps  []*app.App
	wrap  func(bot.Handler) bot.Handler
}

type worldOption func(*world)

func withEnv(k, v string) worldOption { return func(w *world) { w.env[k] = v } }

func withWrap(f func(bot.Handler) bot.Handler) worldOption { return func(w *world) { w.wrap = f } }

func withSim(opts ...telegramsim.Option) worldOption {
	return func(w *world) {
		w.sim = telegramsim.New(append(opts, telegramsim.WithToken(simToken), telegramsim.WithBotUser(1000001, botName))...)
	}
}

// newWorld starts the simulator and one bot replica (long polling).
func newWorld(t *testing.T, opts ...worldOption) *world {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, cat: cat, logs: &syncBuffer{}, env: map[string]string{
		"BOT_ADMINS":      fmt.Sprint(adminID),
		"BALLOT_SECRET":   secretHex,
		"HTTP_ADDR":       "127.0.0.1:0",
		"SEND_RATE":       "1000",
		"SEND_RATE_CHAT":  "1000",
		"SEND_RATE_GROUP": "60000",
		"LOG_LEVEL":       "debug",
		// Scripted people type faster than anyone: flood control is off
		// here and on in the tests of it (flood_test.go).
		"FLOOD_LIMIT": "0",
	}}
	atLimits := os.Getenv("CONFBOT_E2E_LIMITS") == "telegram"
	if atLimits {
		// `make e2e-limits`: the whole suite as users meet the bot, at
		// Telegram's limits and the bot's default rates (about 7 minutes).
		delete(w.env, "SEND_RATE")
		delete(w.env, "SEND_RATE_CHAT")
		delete(w.env, "SEND_RATE_GROUP")
	}
	for _, o := range opts {
		o(w)
	}
	if w.sim == nil {
		simOpts := []telegramsim.Option{telegramsim.WithToken(simToken), telegramsim.WithBotUser(1000001, botName)}
		if atLimits {
			simOpts = append(simOpts, telegramsim.WithLimits(telegramsim.DefaultLimits()))
		}
		w.sim = telegramsim.New(simOpts...)
	}
	t.Cleanup(w.sim.Close)
	w.env["TELEGRAM_BOT_TOKEN"] = w.sim.Token()
	w.env["TELEGRAM_API_URL"] = w.sim.URL()
	w.store = storagetest.Store(t)
	w.sim.AddUser(telegramsim.User{ID: adminID, FirstName: "Admin", Username: "cluster_admin"})
	w.startApp()
	t.Cleanup(func() {
		for _, a := range w.apps {
			ctx, cancel := context.WithTimeout(context.Background(), app.ShutdownTimeout)
			_ = a.Shutdown(ctx)
			cancel()
		}
		if strings.Contains(w.logs.String(), w.sim.Token()) {
			t.Error("the bot token appears in the logs")
		}
		w.sim.AssertNoViolations(t)
	})
	return w
}

// startApp boots one more replica of the bot.
func (w *world) startApp() *app.App {
	w.t.Helper()
	cfg, err := config.Load(func(k string) string { return w.env[k] }, config.ModeServe)
	if err != nil {
		w.t.Fatal(err)
	}
	log := zerolog.New(w.logs).With().Timestamp().Logger()
	ctx := context.Background()
	a, err := app.New(ctx, cfg, log, app.Options{Store: w.store, PollTimeout: 2 * time.Second, WrapHandler: w.wrap})
	if err != nil {
		w.t.Fatal(err)
	}
	if err := a.Start(ctx); err != nil {
		w.t.Fatal(err)
	}
	w.apps = append(w.apps, a)
	return a
}

// addUser adds a Telegram user to the simulated world.
func (w *world) addUser(id int64, name, username string) {
	w.sim.AddUser(telegramsim.User{ID: id, FirstName: name, Username: username})
}

// say sends text from a user in their private chat and waits for the bot's
// next message there that contains want.
func (w *world) say(from int64, text, want string) telegramsim.Message {
	w.t.Helper()
	before := len(w.botMessages(from))
	w.sim.SendText(from, from, text)
	return w.waitNew(from, before, want)
}

// waitNew waits for a bot message in chat, after the first `after` ones, containing want.
func (w *world) waitNew(chat int64, after int, want string) telegramsim.Message {
	w.t.Helper()
	return w.waitNewWithin(chat, after, want, 10*time.Second)
}

// waitNewWithin is waitNew with its own patience: at Telegram's limits a
// chat's backlog (tallies, charts, records) comes first, at 1 a second.
func (w *world) waitNewWithin(chat int64, after int, want string, d time.Duration) telegramsim.Message {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var found telegramsim.Message
	err := w.sim.Await(ctx, func() bool {
		msgs := w.botMessages(chat)
		for _, m := range msgs[min(after, len(msgs)):] {
			if strings.Contains(m.Text, want) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		var seen []string
		for _, m := range w.botMessages(chat) {
			seen = append(seen, m.Text)
		}
		w.t.Fatalf("no bot message containing %q in chat %d; the bot said:\n%s", want, chat, strings.Join(seen, "\n---\n"))
	}
	return found
}

func (w *world) botMessages(chat int64) []telegramsim.Message {
	var out []telegramsim.Message
	for _, m := range w.sim.Chat(chat) {
		if m.FromBot {
			out = append(out, m)
		}
	}
	return out
}

// text renders a catalogue message as a person sees it (HTML stripped of tags
// is close enough for the plain messages asserted here).
func (w *world) text(lang i18n.Lang, key string, args ...any) string {
	return stripTags(w.cat.T(lang, key, args...))
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&#39;", "'").Replace(b.String())
}

// importFile sends a conference file as the admin, with the caption /import.
func (w *world) importFile(name string, data []byte, want string) telegramsim.Message {
	w.t.Helper()
	before := len(w.botMessages(adminID))
	w.sim.SendDocument(adminID, adminID, name, "application/x-yaml", data, "/import")
	return w.waitNew(adminID, before, want)
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// syncBuffer collects logs from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
