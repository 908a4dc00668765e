package scheduler_test

import (
	"context"
	"sync"
	"testing"
	"time"
)

// counter counts what the scheduler reports to its metrics.
type counter struct {
	mu                  sync.Mutex
	onTime, late, dropd int
}

func (c *counter) ReminderSent(late bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if late {
		c.late++
	} else {
		c.onTime++
	}
}

func (c *counter) ReminderDropped() { c.mu.Lock(); defer c.mu.Unlock(); c.dropd++ }

// TestMetricsCountSentLateDropped: the digest to two secretaries on time,
// late within the grace, and dropped beyond it.
func TestMetricsCountSentLateDropped(t *testing.T) {
	due := at(hcm, "2022-11-07 17:00")
	for _, tc := range []struct {
		name                  string
		downtime              time.Duration
		onTime, late, dropped int
	}{
		{"on time", 30 * time.Second, 2, 0, 0},
		{"late", 5 * time.Hour, 0, 2, 0},
		{"dropped", 7 * time.Hour, 0, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, at(hcm, "2022-11-07 12:00"))
			c := &counter{}
			e.metrics = c
			conf := digestOnly(0)
			s := e.scheduler("A", nil, newWorld(e.clock, conf), &recorder{clock: e.clock, loc: hcm}, conf)
			if err := s.Sync(ctx, conf); err != nil {
				t.Fatal(err)
			}
			e.clock.Set(due.Add(tc.downtime))
			if err := s.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if c.onTime != tc.onTime || c.late != tc.late || c.dropd != tc.dropped {
				t.Errorf("on time %d, late %d, dropped %d; want %d, %d, %d", c.onTime, c.late, c.dropd, tc.onTime, tc.late, tc.dropped)
			}
		})
	}
}
