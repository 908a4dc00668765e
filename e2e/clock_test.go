package e2e_test

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/config"
)

// testClock is a settable clock for the bot's notion of now (deadlines,
// check-in codes); it never moves by itself.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{now: t} }

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// withClock restarts the world's bot on clock: every running replica stops
// (updates in hand finish, nothing is lost) and one replica whose app.Options.Now
// is clock.Now takes over. Calling it again is a restart on the same clock,
// which is how tests show that state lives in Redis.
func (w *world) withClock(clock *testClock) {
	w.t.Helper()
	for _, a := range w.apps {
		ctx, cancel := context.WithTimeout(context.Background(), app.ShutdownTimeout)
		if err := a.Shutdown(ctx); err != nil {
			w.t.Errorf("shutdown: %v", err)
		}
		cancel()
	}
	cfg, err := config.Load(func(k string) string { return w.env[k] }, config.ModeServe)
	if err != nil {
		w.t.Fatal(err)
	}
	log := zerolog.New(w.logs).With().Timestamp().Logger()
	a, err := app.New(context.Background(), cfg, log, app.Options{Store: w.store, Now: clock.Now, PollTimeout: 2 * time.Second, WrapHandler: w.wrap})
	if err != nil {
		w.t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	w.apps = append(w.apps, a)
}
