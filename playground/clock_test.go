package playground_test

import (
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/playground"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	wall := start.Add(-time.Hour) // the wall clock is anywhere; only its progress counts
	var mu sync.Mutex
	wallNow := func() time.Time { mu.Lock(); defer mu.Unlock(); return wall }
	c := playground.NewClock(start, wallNow)
	steps := []struct {
		name    string
		wallAdd time.Duration
		advance time.Duration
		want    time.Time
	}{
		{"starts where told", 0, 0, start},
		{"runs with the wall clock", 90 * time.Second, 0, start.Add(90 * time.Second)},
		{"jumps forward", 0, 24 * time.Hour, start.Add(24*time.Hour + 90*time.Second)},
		{"never runs back", 0, -48 * time.Hour, start.Add(24*time.Hour + 90*time.Second)},
	}
	for _, s := range steps {
		mu.Lock()
		wall = wall.Add(s.wallAdd)
		mu.Unlock()
		if got := c.Advance(s.advance); !got.Equal(s.want) {
			t.Errorf("%s: Advance = %v, want %v", s.name, got, s.want)
		}
		if got := c.Now(); !got.Equal(s.want) {
			t.Errorf("%s: Now = %v, want %v", s.name, got, s.want)
		}
	}
	if c.Skipped() != 24*time.Hour {
		t.Errorf("Skipped = %v", c.Skipped())
	}
}

func TestFrozenClockIsSafeForConcurrentUse(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c := playground.NewClock(start, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				c.Advance(time.Minute)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	if got := c.Now(); !got.Equal(start.Add(800 * time.Minute)) {
		t.Errorf("Now = %v after 800 one-minute advances", got)
	}
}
