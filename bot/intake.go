package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// Handler does what one update asks. An error is logged once here; a
// Transient one makes the intake give the update back, to be tried again.
type Handler interface {
	Handle(ctx context.Context, u *models.Update) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, u *models.Update) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, u *models.Update) error { return f(ctx, u) }

// ErrTransient marks a failure worth another try (Redis down, a timeout):
// nothing was changed, so handling the update again is safe.
var ErrTransient = errors.New("transient failure")

// IntakeMetrics counts what the intake did.
type IntakeMetrics interface {
	Handled(kind, outcome string, took time.Duration)
}

// Outcomes reported to IntakeMetrics.
const (
	OutcomeOK        = "ok"
	OutcomeDuplicate = "duplicate"
	OutcomeHeld      = "held"
	OutcomeError     = "error"
	OutcomeTransient = "transient"
	OutcomePanic     = "panic"
)

// Intake handles the updates the Inbox's drainers hand it (whether they
// came by polling or a webhook): the updates of one chat in order and
// different chats in parallel (bounded), and it survives handler panics.
// That an update is handled once is the Inbox's part: it holds the chat's
// lease while handling and records the update done as it takes it off.
type Intake struct {
	handler Handler
	onPanic func(ctx context.Context, u *models.Update)
	metrics IntakeMetrics
	log     zerolog.Logger
	slots   chan struct{}
	now     func() time.Time

	mu    sync.Mutex
	chats map[int64]*chatLane
	wg    sync.WaitGroup
}

// chatLane serialises one chat's updates; it lives while someone holds or waits for it.
type chatLane struct {
	mu    sync.Mutex
	users int
}

// IntakeConfig configures an Intake.
type IntakeConfig struct {
	Handler  Handler
	Parallel int                                         // chats handled at once; 64 when 0
	OnPanic  func(ctx context.Context, u *models.Update) // tells the person something went wrong
	Metrics  IntakeMetrics
	Log      zerolog.Logger
	Now      func() time.Time
}

// NewIntake builds an Intake.
func NewIntake(c IntakeConfig) *Intake {
	if c.Parallel <= 0 {
		c.Parallel = 64
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Intake{
		handler: c.Handler, onPanic: c.OnPanic, metrics: c.Metrics,
		log: c.Log, slots: make(chan struct{}, c.Parallel), now: c.Now, chats: map[int64]*chatLane{},
	}
}

// Process handles one update and returns when it is done. It returns an
// error wrapping ErrTransient when the update should be tried again.
func (in *Intake) Process(ctx context.Context, u *models.Update) error {
	return in.ProcessWith(ctx, u, in.handler)
}

// ProcessWith is Process with another handler for this one update (the
// Inbox answers a flood's first dropped update with one), under the same
// claim, lane and panic guard.
func (in *Intake) ProcessWith(ctx context.Context, u *models.Update, h Handler) error {
	in.wg.Add(1)
	defer in.wg.Done()

	lane := in.lane(ChatOf(u))
	lane.mu.Lock()
	defer in.leave(ChatOf(u), lane)

	select {
	case in.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("update %d: %w: %w", u.ID, ErrTransient, ctx.Err())
	}
	defer func() { <-in.slots }()
	return in.process(ctx, u, h)
}

// Wait blocks until every update in hand is done.
func (in *Intake) Wait() { in.wg.Wait() }

func (in *Intake) process(ctx context.Context, u *models.Update, h Handler) error {
	start := in.now()
	kind := KindOf(u)
	log := in.log.With().Int64("update_id", u.ID).Int64("chat_id", ChatOf(u)).Str("kind", kind).Logger()
	ctx = WithUpdateID(log.WithContext(ctx), u.ID)

	outcome, herr := in.safeHandle(ctx, u, h, log)
	in.observe(kind, outcome, start)
	if outcome == OutcomeTransient {
		return herr // nothing was stored: the inbox tries it again
	}
	return nil
}

// skipped counts an update the inbox found handled already (Telegram or a
// webhook retry delivered it twice).
func (in *Intake) skipped(u *models.Update) {
	in.log.Debug().Int64("update_id", u.ID).Msg("duplicate update skipped")
	in.observe(KindOf(u), OutcomeDuplicate, in.now())
}

// safeHandle runs the handler and turns a panic into a logged, answered error.
func (in *Intake) safeHandle(ctx context.Context, u *models.Update, h Handler, log zerolog.Logger) (outcome string, err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Error().Str("panic", fmt.Sprint(r)).Bytes("stack", debug.Stack()).Msg("handler panicked")
			outcome, err = OutcomePanic, nil
			if in.onPanic != nil {
				in.answerPanic(ctx, u, log)
			}
		}
	}()
	if err := h.Handle(ctx, u); err != nil {
		if errors.Is(err, ErrTransient) {
			log.Warn().Err(err).Msg("update will be handled again")
			return OutcomeTransient, err
		}
		log.Error().Err(err).Msg("update handling failed")
		return OutcomeError, nil
	}
	return OutcomeOK, nil
}

func (in *Intake) answerPanic(ctx context.Context, u *models.Update, log zerolog.Logger) {
	defer func() {
		if r := recover(); r != nil {
			log.Error().Str("panic", fmt.Sprint(r)).Msg("panic answer panicked")
		}
	}()
	in.onPanic(ctx, u)
}

func (in *Intake) observe(kind, outcome string, start time.Time) {
	if in.metrics != nil {
		in.metrics.Handled(kind, outcome, in.now().Sub(start))
	}
}

func (in *Intake) lane(chat int64) *chatLane {
	in.mu.Lock()
	defer in.mu.Unlock()
	l := in.chats[chat]
	if l == nil {
		l = &chatLane{}
		in.chats[chat] = l
	}
	l.users++
	return l
}

func (in *Intake) leave(chat int64, l *chatLane) {
	l.mu.Unlock()
	in.mu.Lock()
	defer in.mu.Unlock()
	if l.users--; l.users == 0 {
		delete(in.chats, chat)
	}
}

// every calls f every period in its own goroutine until f returns false
// or the returned func is called; that func returns once f is no longer
// running.
func every(period time.Duration, f func() (again bool)) func() {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if !f() {
					return
				}
			}
		}
	}()
	return func() { close(done); <-stopped }
}
