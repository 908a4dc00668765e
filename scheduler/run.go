package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// stopGrace bounds how long Stop waits, after its own ctx expired, for an
// interrupted fan-out to record its last send.
const stopGrace = 2 * time.Second

// runState is the cron clock of a started Scheduler.
type runState struct {
	mu      sync.Mutex
	cron    *cron.Cron
	cancel  context.CancelFunc
	first   sync.WaitGroup // the tick run at Start, which cron does not track
	stopped bool
}

// Start runs Tick now (catching up whatever came due while no replica ran)
// and then on the clock cfg.Every, until Stop. cron is only the clock: every
// replica ticks, and the claims in Redis decide who sends what. A tick still
// running when the next is due makes that one skip.
func (s *Scheduler) Start(ctx context.Context) error {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	if s.run.cron != nil {
		return errors.New("scheduler: already started")
	}
	ctx, cancel := context.WithCancel(ctx)
	logger := cron.PrintfLogger(&s.log)
	c := cron.New(cron.WithLocation(time.UTC), cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	id, err := c.AddFunc(s.cfg.Every, func() {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.log.Error().Err(err).Msg("reminder tick")
		}
	})
	if err != nil {
		cancel()
		return fmt.Errorf("scheduler: clock %q: %w", s.cfg.Every, err)
	}
	s.run.cron, s.run.cancel = c, cancel
	// The wrapped job shares SkipIfStillRunning with the cron entry, so this
	// first tick and a scheduled one never overlap.
	wrapped := c.Entry(id).WrappedJob
	s.run.first.Add(1)
	go func() {
		defer s.run.first.Done()
		wrapped.Run()
	}()
	c.Start()
	return nil
}

// Stop stops the clock and waits for a running tick to finish its fan-out.
// When ctx ends first, the tick is cancelled: the send in flight is
// abandoned and its recipient left for the next replica or restart, and Stop
// waits briefly more for that to be recorded. Stop is safe to call twice and
// before Start.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.run.mu.Lock()
	c, cancel := s.run.cron, s.run.cancel
	if c == nil || s.run.stopped {
		s.run.mu.Unlock()
		return nil
	}
	s.run.stopped = true
	s.run.mu.Unlock()
	cronDone := c.Stop()
	done := make(chan struct{})
	go func() {
		<-cronDone.Done()
		s.run.first.Wait()
		close(done)
	}()
	defer cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-time.After(stopGrace):
		return fmt.Errorf("scheduler: stop: a tick is still running: %w", ctx.Err())
	}
}
