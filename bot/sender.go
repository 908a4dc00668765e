package bot

import (
	"context"
	"errors"
	"fmt"
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
	SendMediaGroup(ctx context.Context, params *tgbot.SendMediaGroupParams) ([]*models.Message, error)
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
	// ErrNotModified wraps a 400 "message is not modified": an edit that
	// would show what the message already shows (a double click).
	ErrNotModified = errors.New("message not modified")
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

// SendMediaGroup sends an album (2 to 10 documents, or photos) as one
// request: Telegram shows it as one group of messages, and the chat's rate
// limit counts it once. It returns the album's first message; see
// SendDocument on retries.
func (s *Sender) SendMediaGroup(ctx context.Context, prio Priority, p *tgbot.SendMediaGroupParams) (*models.Message, error) {
	return s.submit(ctx, prio, p.ChatID, "sendMediaGroup", func(ctx context.Context) (*models.Message, error) {
		msgs, err := s.api.SendMediaGroup(ctx, p)
		if err != nil || len(msgs) == 0 {
			return nil, err
		}
		return msgs[0], nil
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
