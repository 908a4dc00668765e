package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// stopGrace bounds how long Stop waits, after its own ctx expired, for an
// interrupted fan-out to record its last send.
const stopGrace = 2 * time.Second

// runState is the wake-up loop of a started Scheduler.
type runState struct {
	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	kick    chan struct{}
	stopped bool
}

// Start runs the scheduler's one wake-up path until Stop: a tick now
// (catching up whatever came due while no replica ran), then one every
// cfg.Every and one as soon as Kick is called (an effect was just recorded
// on this replica). Every replica ticks; the claims in Redis decide who
// sends what, so a replica also finishes effects another one recorded. Ticks
// never overlap. Each tick first runs cfg.BeforeTick (re-planning imported
// schedules, rolling check-in codes), then sends what is due.
func (s *Scheduler) Start(ctx context.Context) error {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	if s.run.done != nil {
		return errors.New("scheduler: already started")
	}
	ctx, cancel := context.WithCancel(ctx)
	s.run.cancel, s.run.done = cancel, make(chan struct{})
	go s.loop(ctx, s.run.done)
	return nil
}

// Kick asks for a tick as soon as the current one (if any) ends. It never
// blocks; kicks that arrive during a tick fold into one.
func (s *Scheduler) Kick() {
	select {
	case s.run.kick <- struct{}{}:
	default:
	}
}

func (s *Scheduler) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(s.cfg.Every)
	defer t.Stop()
	for {
		s.tickOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.run.kick:
		}
	}
}

func (s *Scheduler) tickOnce(ctx context.Context) {
	if s.cfg.BeforeTick != nil {
		s.cfg.BeforeTick(ctx)
	}
	if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
		s.log.Error().Err(err).Msg("scheduler tick")
	}
}

// Stop stops the loop and waits for a running tick to finish its fan-out.
// When ctx ends first, the tick is cancelled: the send in flight is
// abandoned and its recipient left for the next replica or restart, and Stop
// waits briefly more for that to be recorded. Stop is safe to call twice and
// before Start.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.run.mu.Lock()
	cancel, done := s.run.cancel, s.run.done
	if done == nil || s.run.stopped {
		s.run.mu.Unlock()
		return nil
	}
	s.run.stopped = true
	s.run.mu.Unlock()
	// A fan-out in hand stops after the delivery it is making, leaving the
	// rest to the next replica, rather than cutting a request in half.
	s.draining.Store(true)
	// Let a tick in progress finish its fan-out before the loop sees the
	// cancellation, unless ctx ends first.
	stopLoop := make(chan struct{})
	go func() {
		defer close(stopLoop)
		s.tickMu.Lock() // held by a running tick
		cancel()
		s.tickMu.Unlock()
		<-done
	}()
	select {
	case <-stopLoop:
		return nil
	case <-ctx.Done():
	}
	cancel()
	select {
	case <-stopLoop:
		return nil
	case <-time.After(stopGrace):
		return fmt.Errorf("scheduler: stop: a tick is still running: %w", ctx.Err())
	}
}
