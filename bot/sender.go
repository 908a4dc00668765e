package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// API is what the sender needs of *bot.Bot; tests give it a fake.
type API interface {
	SendMessage(ctx context.Context, params *tgbot.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, params *tgbot.EditMessageTextParams) (*models.Message, error)
	EditMessageCaption(ctx context.Context, params *tgbot.EditMessageCaptionParams) (*models.Message, error)
	EditMessageReplyMarkup(ctx context.Context, params *tgbot.EditMessageReplyMarkupParams) (*models.Message, error)
	SendDocument(ctx context.Context, params *tgbot.SendDocumentParams) (*models.Message, error)
	SendPhoto(ctx context.Context, params *tgbot.SendPhotoParams) (*models.Message, error)
	DeleteMessage(ctx context.Context, params *tgbot.DeleteMessageParams) (bool, error)
	AnswerCallbackQuery(ctx context.Context, params *tgbot.AnswerCallbackQueryParams) (bool, error)
}

var _ API = (*tgbot.Bot)(nil)

// Priority orders queued requests across chats.
type Priority int

const (
	// Bulk is for reminders, digests and broadcasts: sent when no
	// interactive request is ready.
	Bulk Priority = iota
	// Interactive is for replies to a person who just acted: dispatched
	// before any queued Bulk request.
	Interactive
)

// Sender errors, matched with errors.Is.
var (
	// ErrUnreachable wraps a 403 (bot blocked, kicked, user deactivated) or
	// a 400 "chat not found": the person cannot be reached, do not retry.
	ErrUnreachable = errors.New("chat unreachable")
	// ErrClosed is returned for requests made after Close, or still queued
	// when Close or Run gave up.
	ErrClosed = errors.New("sender closed")
)

// Clock is the sender's time source; WithClock replaces the real one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// SenderMetrics receives the sender's counters (Prometheus in production).
type SenderMetrics interface {
	Sent(method string)
	RateLimited()
	QueueDepth(n int)
}

type noMetrics struct{}

func (noMetrics) Sent(string)    {}
func (noMetrics) RateLimited()   {}
func (noMetrics) QueueDepth(int) {}

// SenderOption configures NewSender.
type SenderOption func(*Sender)

// WithClock sets the clock used for rate limits and backoff.
func WithClock(c Clock) SenderOption { return func(s *Sender) { s.clock = c } }

// WithLogger sets the logger; texts are never logged, only chat ids,
// methods and errors.
func WithLogger(l zerolog.Logger) SenderOption { return func(s *Sender) { s.log = l } }

// WithMetrics sets the metrics sink.
func WithMetrics(m SenderMetrics) SenderOption { return func(s *Sender) { s.metrics = m } }

// WithUnreachable sets a function told of every chat found unreachable, so
// the caller can record it and tell the secretary. It runs in the goroutine
// of the request's caller, before the request returns.
func WithUnreachable(f func(ctx context.Context, chatID int64, err error)) SenderOption {
	return func(s *Sender) { s.unreachable = f }
}

// WithConcurrency sets how many requests may be in flight at once (default
// 8): requests take a network round trip, so one at a time could not reach
// 30 messages a second.
func WithConcurrency(n int) SenderOption { return func(s *Sender) { s.concurrency = max(1, n) } }

// WithMaxAttempts sets how many times a request failing with a 5xx or a
// network error is tried (default 5).
func WithMaxAttempts(n int) SenderOption { return func(s *Sender) { s.maxAttempts = max(1, n) } }

// Backoff and flood bounds.
const (
	backoffBase  = 500 * time.Millisecond
	backoffMax   = 30 * time.Second
	maxFloodWait = 10 // 429s honoured for one request before giving up
)

// Sender is the one way out to Telegram. Requests wait in per-chat FIFO
// queues; a dispatcher sends the most urgent ready request as soon as the
// rate limiter allows, and each call blocks its caller until Telegram has
// answered, so a reminder fan-out learns per recipient whether it arrived.
type Sender struct {
	api         API
	limiter     *RateLimiter
	clock       Clock
	log         zerolog.Logger
	metrics     SenderMetrics
	unreachable func(ctx context.Context, chatID int64, err error)
	concurrency int
	maxAttempts int

	wake    chan struct{} // nudges the dispatcher; buffered, never blocks
	drained chan struct{} // closed once closing and nothing is left

	mu       sync.Mutex
	queues   map[int64]*chatQueue // chats with waiting or in-flight requests
	queued   int                  // requests waiting, not in flight
	inFlight int
	seq      uint64
	running  bool
	closing  bool // no new requests
	stopped  bool // no retries either: queued requests were failed
	last429  flood
}

// flood remembers the latest 429, to tell a chat's flood from a global one.
type flood struct {
	chat  int64
	until time.Time
}

// chatQueue is one chat's FIFO. While busy, its head is in flight.
type chatQueue struct {
	id          int64
	jobs        []*job
	busy        bool
	notBefore   time.Time // backoff of the head after a failure
	interactive int       // Interactive jobs queued: the whole chat inherits it
}

// job is one Bot API call waiting for its turn.
type job struct {
	ctx      context.Context
	chat     int64
	prio     Priority
	seq      uint64
	method   string
	call     func(ctx context.Context) (*models.Message, error)
	prev     *job // earlier part of the same split text, sent first
	attempts int
	floods   int

	done chan struct{}
	msg  *models.Message
	err  error
}

// NewSender returns a sender for api; call Run to start dispatching.
func NewSender(api API, limits Limits, opts ...SenderOption) *Sender {
	s := &Sender{
		api:         api,
		limiter:     NewRateLimiter(limits),
		clock:       realClock{},
		log:         zerolog.Nop(),
		metrics:     noMetrics{},
		concurrency: 8,
		maxAttempts: 5,
		wake:        make(chan struct{}, 1),
		drained:     make(chan struct{}),
		queues:      make(map[int64]*chatQueue),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// SendMessage sends p, split into several messages when the text is longer
// than MessageLimit: the reply markup goes on the last part, the reply
// parameters on the first, and the parts follow each other in the chat. It
// returns the last message sent. Texts with explicit Entities cannot be split.
func (s *Sender) SendMessage(ctx context.Context, prio Priority, p *tgbot.SendMessageParams) (*models.Message, error) {
	parts := SplitText(p.Text, MessageLimit)
	if len(parts) > 1 && len(p.Entities) > 0 {
		return nil, fmt.Errorf("send message: text of %d characters with entities cannot be split", utf16Len(p.Text))
	}
	calls := make([]func(context.Context) (*models.Message, error), len(parts))
	for i, text := range parts {
		part := *p
		part.Text = text
		if i > 0 {
			part.ReplyParameters = nil
			part.MessageEffectID = ""
		}
		if i < len(parts)-1 {
			part.ReplyMarkup = nil
		}
		calls[i] = func(ctx context.Context) (*models.Message, error) { return s.api.SendMessage(ctx, &part) }
	}
	return s.submit(ctx, prio, p.ChatID, "sendMessage", calls...)
}

// EditMessageText edits a message's text; in groups edits count against the
// per-minute limit like sends.
func (s *Sender) EditMessageText(ctx context.Context, prio Priority, p *tgbot.EditMessageTextParams) (*models.Message, error) {
	return s.submit(ctx, prio, p.ChatID, "editMessageText", func(ctx context.Context) (*models.Message, error) {
		return s.api.EditMessageText(ctx, p)
	})
}

// EditMessageCaption edits a document's or photo's caption.
func (s *Sender) EditMessageCaption(ctx context.Context, prio Priority, p *tgbot.EditMessageCaptionParams) (*models.Message, error) {
	return s.submit(ctx, prio, p.ChatID, "editMessageCaption", func(ctx context.Context) (*models.Message, error) {
		return s.api.EditMessageCaption(ctx, p)
	})
}

// EditMessageReplyMarkup replaces a message's inline keyboard.
func (s *Sender) EditMessageReplyMarkup(ctx context.Context, prio Priority, p *tgbot.EditMessageReplyMarkupParams) (*models.Message, error) {
	return s.submit(ctx, prio, p.ChatID, "editMessageReplyMarkup", func(ctx context.Context) (*models.Message, error) {
		return s.api.EditMessageReplyMarkup(ctx, p)
	})
}

// SendDocument sends a file. A retried upload re-reads p.Document, so an
// upload from an io.Reader should be retried only if the reader can be read
// again; prefer file ids or bytes.Reader-backed uploads.
func (s *Sender) SendDocument(ctx context.Context, prio Priority, p *tgbot.SendDocumentParams) (*models.Message, error) {
	return s.submit(ctx, prio, p.ChatID, "sendDocument", func(ctx context.Context) (*models.Message, error) {
		return s.api.SendDocument(ctx, p)
	})
}

// SendPhoto sends a picture (a tally's chart); see SendDocument on retries.
func (s *Sender) SendPhoto(ctx context.Context, prio Priority, p *tgbot.SendPhotoParams) (*models.Message, error) {
	return s.submit(ctx, prio, p.ChatID, "sendPhoto", func(ctx context.Context) (*models.Message, error) {
		return s.api.SendPhoto(ctx, p)
	})
}

// DeleteMessage deletes a message.
func (s *Sender) DeleteMessage(ctx context.Context, prio Priority, p *tgbot.DeleteMessageParams) error {
	_, err := s.submit(ctx, prio, p.ChatID, "deleteMessage", func(ctx context.Context) (*models.Message, error) {
		_, err := s.api.DeleteMessage(ctx, p)
		return nil, err
	})
	return err
}

// AnswerCallbackQuery answers a button press at once, outside the queues:
// Telegram does not count it against a chat, and a late answer fails with
// "query is too old", so it is neither queued nor retried.
func (s *Sender) AnswerCallbackQuery(ctx context.Context, p *tgbot.AnswerCallbackQueryParams) error {
	if _, err := s.api.AnswerCallbackQuery(ctx, p); err != nil {
		return fmt.Errorf("answer callback query: %w", err)
	}
	s.metrics.Sent("answerCallbackQuery")
	return nil
}

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

// chatKey turns a Bot API chat_id into the limiter's key. A channel
// username ("@name") is limited as a group under a stable negative key; no
// chat (an inline message edit) is key 0.
func chatKey(chatID any) (int64, error) {
	switch id := chatID.(type) {
	case nil:
		return 0, nil
	case int64:
		return id, nil
	case int:
		return int64(id), nil
	case int32:
		return int64(id), nil
	case string:
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			return n, nil
		}
		if strings.HasPrefix(id, "@") {
			h := fnv.New64a()
			_, _ = io.WriteString(h, strings.ToLower(id))
			return -int64(h.Sum64() >> 1), nil
		}
	}
	return 0, fmt.Errorf("unsupported chat id %v (%T)", chatID, chatID)
}

// serverErrorPattern finds the status in the library's error for an
// unexpected error_code, the only place it reports 5xx codes.
var serverErrorPattern = regexp.MustCompile(`error response from telegram for method \S+, (\d{3}) `)

// isTransient reports whether err is worth retrying: a network failure, a
// 5xx, or a body that is not the Bot API's JSON (a proxy's error page).
func isTransient(err error) bool {
	var urlErr *url.Error
	if errors.As(err, &urlErr) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	msg := err.Error()
	if m := serverErrorPattern.FindStringSubmatch(msg); m != nil {
		return m[1] >= "500"
	}
	return strings.Contains(msg, "error decode response body") || strings.Contains(msg, "error read response body")
}

// isUnreachable reports whether err means the chat cannot be written to.
func isUnreachable(err error) bool {
	if errors.Is(err, tgbot.ErrorForbidden) {
		return true
	}
	return errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(strings.ToLower(err.Error()), "chat not found")
}

// backoff is exponential with equal jitter: half fixed, half random, so
// retries of a burst of failures spread out instead of striking together.
func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt-1, 16)
	d = min(d, backoffMax)
	return d/2 + rand.N(d/2+1)
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
