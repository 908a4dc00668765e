package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// submit queues calls for one chat, as consecutive jobs, and waits for all.
// It returns the last call's message.
func (s *Sender) submit(ctx context.Context, prio Priority, chatID any, method string, calls ...func(context.Context) (*models.Message, error)) (*models.Message, error) {
	chat, err := chatKey(chatID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	jobs, err := s.enqueue(ctx, prio, chat, method, calls)
	if err != nil {
		return nil, fmt.Errorf("%s to chat %d: %w", method, chat, err)
	}
	var msg *models.Message
	for i, j := range jobs {
		s.wait(j)
		if j.err != nil {
			s.abandon(jobs[i+1:], j.err)
			if errors.Is(j.err, ErrUnreachable) && s.unreachable != nil {
				s.unreachable(ctx, chat, j.err)
			}
			return nil, fmt.Errorf("%s to chat %d: %w", method, chat, j.err)
		}
		msg = j.msg
	}
	return msg, nil
}

func (s *Sender) enqueue(ctx context.Context, prio Priority, chat int64, method string, calls []func(context.Context) (*models.Message, error)) ([]*job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, ErrClosed
	}
	q, ok := s.queues[chat]
	if !ok {
		q = &chatQueue{id: chat}
		s.queues[chat] = q
	}
	jobs := make([]*job, len(calls))
	for i, call := range calls {
		s.seq++
		jobs[i] = &job{ctx: ctx, chat: chat, prio: prio, seq: s.seq, method: method, call: call, done: make(chan struct{})}
		if i > 0 {
			jobs[i].prev = jobs[i-1]
		}
		if prio == Interactive {
			q.interactive++
		}
	}
	q.jobs = append(q.jobs, jobs...)
	s.queued += len(jobs)
	s.metrics.QueueDepth(s.queued)
	s.nudge()
	return jobs, nil
}

// wait blocks until j is done. If the caller gives up first, a job still
// queued is withdrawn; one in flight is awaited, as its HTTP request shares
// the caller's context and ends promptly.
func (s *Sender) wait(j *job) {
	select {
	case <-j.done:
	case <-j.ctx.Done():
		s.abandon([]*job{j}, j.ctx.Err())
		<-j.done
	}
}

// abandon withdraws the jobs that are still queued, failing them with err.
func (s *Sender) abandon(jobs []*job, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range jobs {
		q := s.queues[j.chat]
		if q == nil || (q.busy && q.jobs[0] == j) {
			continue
		}
		for i, queued := range q.jobs {
			if queued == j {
				q.jobs = append(q.jobs[:i], q.jobs[i+1:]...)
				s.queued--
				s.finishLocked(q, j, nil, err)
				break
			}
		}
	}
	s.metrics.QueueDepth(s.queued)
	s.nudge()
}

// finishLocked completes j (already out of q.jobs) and forgets q once empty.
func (s *Sender) finishLocked(q *chatQueue, j *job, msg *models.Message, err error) {
	if j.prio == Interactive {
		q.interactive--
	}
	j.msg, j.err = msg, err
	close(j.done)
	if len(q.jobs) == 0 && !q.busy {
		delete(s.queues, q.id)
	}
	s.checkDrainedLocked()
}

func (s *Sender) checkDrainedLocked() {
	if s.closing && s.queued == 0 && s.inFlight == 0 {
		select {
		case <-s.drained:
		default:
			close(s.drained)
		}
	}
}

// nudge wakes the dispatcher without blocking.
func (s *Sender) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run dispatches queued requests until Close has drained them (it then
// returns nil) or ctx ends (it fails what is still queued with ErrClosed,
// waits for requests in flight and returns ctx's error). Requests made
// before Run starts wait for it.
func (s *Sender) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return errors.New("sender: Run called twice")
	}
	s.running = true
	s.mu.Unlock()

	slots := make(chan struct{}, s.concurrency)
	var workers sync.WaitGroup
	defer workers.Wait()
	for {
		// Take a worker slot before choosing, so a slot reserved from the
		// limiter is used at once rather than after a wait for a worker.
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			s.stop(ErrClosed)
			return ctx.Err()
		}
		j, err := s.next(ctx)
		if err != nil {
			s.stop(ErrClosed)
			return err
		}
		if j == nil {
			return nil // closed and drained
		}
		workers.Go(func() {
			defer func() { <-slots }()
			s.execute(j)
		})
	}
}

// next waits for the next request whose turn has come and marks it in
// flight; nil means Close drained everything.
func (s *Sender) next(ctx context.Context) (*job, error) {
	for {
		s.mu.Lock()
		if s.closing && s.queued == 0 && s.inFlight == 0 {
			s.mu.Unlock()
			return nil, nil
		}
		j, wakeAt := s.pickLocked(s.clock.Now())
		s.mu.Unlock()
		if j != nil {
			return j, nil
		}
		var timer <-chan time.Time
		if !wakeAt.IsZero() {
			timer = s.clock.After(wakeAt.Sub(s.clock.Now()))
		}
		select {
		case <-s.wake:
		case <-timer:
		case <-s.drained:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// pickLocked chooses, among chats whose head may be sent at now, the one
// with an Interactive request queued, then the oldest head; it takes the
// rate-limit slot and marks the chat busy. Otherwise it returns when the
// earliest chat becomes ready (zero if nothing is waiting).
//
// A chat's whole queue inherits its most urgent request's priority: per-chat
// order is kept, so the reply can only go out after the chat's earlier
// messages, and those are then sent early instead of holding it back.
func (s *Sender) pickLocked(now time.Time) (*job, time.Time) {
	var best *chatQueue
	var wakeAt time.Time
	for _, q := range s.queues {
		if q.busy || len(q.jobs) == 0 {
			continue
		}
		ready := latest(s.limiter.Earliest(q.id, now), q.notBefore)
		if ready.After(now) {
			if wakeAt.IsZero() || ready.Before(wakeAt) {
				wakeAt = ready
			}
			continue
		}
		if best == nil || moreUrgent(q, best) {
			best = q
		}
	}
	if best == nil {
		return nil, wakeAt
	}
	j := best.jobs[0]
	s.queued--
	s.metrics.QueueDepth(s.queued)
	if j.prev != nil && j.prev.err != nil {
		// An earlier part of this text failed: the rest would not make sense.
		best.jobs = best.jobs[1:]
		s.finishLocked(best, j, nil, fmt.Errorf("earlier part not sent: %w", j.prev.err))
		s.nudge()
		return nil, now
	}
	s.limiter.Take(best.id, now)
	best.busy = true
	s.inFlight++
	return j, time.Time{}
}

func moreUrgent(a, b *chatQueue) bool {
	if (a.interactive > 0) != (b.interactive > 0) {
		return a.interactive > 0
	}
	return a.jobs[0].seq < b.jobs[0].seq
}

// execute makes one attempt and settles the outcome: done, failed, or back
// at the head of its chat's queue for a retry.
func (s *Sender) execute(j *job) {
	msg, err := j.call(j.ctx)
	now := s.clock.Now()
	log := s.log.With().Int64("chat_id", j.chat).Str("method", j.method).Int("attempt", j.attempts+1).Logger()

	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[j.chat]
	q.busy = false
	s.inFlight--
	defer s.nudge()

	var flooded *tgbot.TooManyRequestsError
	switch {
	case err == nil:
		s.metrics.Sent(j.method)
		s.popLocked(q, j, msg, nil)
	case j.ctx.Err() != nil:
		s.popLocked(q, j, nil, err)
	case errors.As(err, &flooded):
		s.metrics.RateLimited()
		j.floods++
		wait := time.Duration(max(flooded.RetryAfter, 1)) * time.Second
		global := s.pauseLocked(j.chat, now.Add(wait))
		log.Warn().Dur("retry_after", wait).Bool("global", global).Msg("telegram flood control")
		if j.floods >= maxFloodWait {
			s.popLocked(q, j, nil, err)
			return
		}
		s.retryLocked(q, err, time.Time{})
	case isUnreachable(err):
		log.Info().Err(err).Msg("chat unreachable")
		s.popLocked(q, j, nil, fmt.Errorf("%w: %w", ErrUnreachable, err))
	case isNotModified(err):
		s.popLocked(q, j, nil, fmt.Errorf("%w: %w", ErrNotModified, err))
	case isTransient(err):
		j.attempts++
		if j.attempts >= s.maxAttempts {
			log.Warn().Err(err).Msg("giving up after transient errors")
			s.popLocked(q, j, nil, err)
			return
		}
		delay := backoff(j.attempts)
		log.Debug().Err(err).Dur("backoff", delay).Msg("transient error, retrying")
		s.retryLocked(q, err, now.Add(delay))
	default:
		s.popLocked(q, j, nil, err)
	}
}

// popLocked removes the finished head j of q.
func (s *Sender) popLocked(q *chatQueue, j *job, msg *models.Message, err error) {
	q.jobs = q.jobs[1:]
	q.notBefore = time.Time{}
	s.finishLocked(q, j, msg, err)
}

// retryLocked leaves the head queued for another attempt not before at
// (zero: when the limiter allows), unless the sender has stopped.
func (s *Sender) retryLocked(q *chatQueue, err error, at time.Time) {
	if s.stopped {
		s.popLocked(q, q.jobs[0], nil, fmt.Errorf("%w: %w", ErrClosed, err))
		return
	}
	q.notBefore = at
	s.queued++
	s.metrics.QueueDepth(s.queued)
}

// pauseLocked honours a 429 for chat until until. Telegram does not say
// whether a flood is about one chat or the whole bot; when a second chat
// is flooded while the first pause lasts, or the request had no chat, the
// bot as a whole is over its limit, so everything pauses.
func (s *Sender) pauseLocked(chat int64, until time.Time) (global bool) {
	s.limiter.PauseChat(chat, until)
	global = chat == 0 || (s.last429.chat != chat && s.last429.until.After(s.clock.Now()))
	if global {
		s.limiter.PauseAll(until)
	}
	s.last429 = flood{chat: chat, until: until}
	return global
}

// Close stops accepting requests and waits until the queued ones are sent.
// If ctx ends first, those still queued fail with ErrClosed and Close
// returns an error saying how many; requests in flight finish on their own.
// Calling it again is harmless.
func (s *Sender) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.checkDrainedLocked()
	s.mu.Unlock()
	s.nudge()
	select {
	case <-s.drained:
		return nil
	case <-ctx.Done():
		if n := s.stop(ErrClosed); n > 0 {
			return fmt.Errorf("close sender: %d requests not sent: %w", n, ctx.Err())
		}
		return nil
	}
}

// stop refuses new requests and retries and fails every queued request
// with err; it returns how many it failed.
func (s *Sender) stop(err error) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing, s.stopped = true, true
	failed := 0
	for _, q := range s.queues {
		first := 0
		if q.busy {
			first = 1 // the head is in flight
		}
		for _, j := range q.jobs[first:] {
			s.queued--
			failed++
			j.msg, j.err = nil, err
			if j.prio == Interactive {
				q.interactive--
			}
			close(j.done)
		}
		q.jobs = q.jobs[:first]
		if len(q.jobs) == 0 {
			delete(s.queues, q.id)
		}
	}
	s.metrics.QueueDepth(s.queued)
	s.checkDrainedLocked()
	return failed
}
