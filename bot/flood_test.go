package bot_test

import (
	"testing"
	"time"

	"github.com/confbot/confbot/bot"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func verdicts(f *bot.FloodLimiter, who int64, n int) map[bot.Verdict]int {
	out := map[bot.Verdict]int{}
	for range n {
		out[f.Check(who)]++
	}
	return out
}

func TestFloodLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	f := bot.NewFloodLimiter(20, 10*time.Second, clock.now)

	if got := verdicts(f, 1, 500); got[bot.Admit] != 20 || got[bot.Warn] != 1 || got[bot.Drop] != 479 {
		t.Fatalf("500 at once: %v; want 20 admitted, 1 warned, 479 dropped", got)
	}
	if got := f.Check(2); got != bot.Admit {
		t.Errorf("another person: %v; want admitted", got)
	}
	clock.add(9 * time.Second)
	if got := f.Check(1); got != bot.Drop {
		t.Errorf("still in the window: %v; want dropped", got)
	}
	clock.add(time.Second)
	if got := verdicts(f, 1, 21); got[bot.Admit] != 20 || got[bot.Warn] != 1 {
		t.Errorf("next window: %v; want 20 admitted and one more warning", got)
	}
	if got := verdicts(bot.NewFloodLimiter(0, time.Second, clock.now), 1, 100); got[bot.Admit] != 100 {
		t.Errorf("limit 0: %v; want everything admitted", got)
	}
	var none *bot.FloodLimiter
	if none.Check(1) != bot.Admit {
		t.Error("a nil limiter must admit")
	}
}

func TestFloodLimiterForgetsQuietPeople(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	f := bot.NewFloodLimiter(1, time.Second, clock.now)
	for who := range int64(1000) {
		f.Check(who)
	}
	clock.add(2 * time.Second)
	f.Check(5000) // sweeps
	if n := f.Tracked(); n != 1 {
		t.Errorf("tracked %d people after their windows ended; want 1", n)
	}
}
