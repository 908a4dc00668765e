package playground

import (
	"sync"
	"time"
)

// Clock is the playground's simulated time. It runs along with the wall clock
// from where it started, and Advance jumps it forward, so a person can watch
// reminders and auto-closing ballots fire without waiting for them. The
// simulator, the store and the bot all read it. It is safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	start   time.Time        // simulated time at wallAt
	wallAt  time.Time        // wall time when the clock started
	wall    func() time.Time // nil: the clock stands still between Advances
	skipped time.Duration    // total of every Advance
}

// NewClock starts a clock at start. With wall set (time.Now in the
// playground) it runs at wall speed; with wall nil it stands still, which
// tests use to compare times exactly.
func NewClock(start time.Time, wall func() time.Time) *Clock {
	c := &Clock{start: start, wall: wall}
	if wall != nil {
		c.wallAt = wall()
	}
	return c
}

// Now returns the simulated time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	t := c.start.Add(c.skipped)
	if c.wall != nil {
		t = t.Add(c.wall().Sub(c.wallAt))
	}
	return t
}

// Advance moves the clock forward by d (a negative d is ignored: time in the
// playground never runs back, as the bot's once-only records assume) and
// returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.skipped += d
	}
	return c.nowLocked()
}

// Skipped returns how far Advance has moved the clock in total.
func (c *Clock) Skipped() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped
}
