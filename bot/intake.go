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

// UpdateClaims is the record of handled updates (storage.Store satisfies it).
type UpdateClaims interface {
	ClaimUpdate(ctx context.Context, id int64) (taken, done bool, err error)
	RenewUpdate(ctx context.Context, id int64) error
	FinishUpdate(ctx context.Context, id int64) error
	ReleaseUpdate(ctx context.Context, id int64) error
}

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
// came by polling or a webhook): each update_id at most once, the updates
// of one chat in order and different chats in parallel (bounded), and it
// survives handler panics.
type Intake struct {
	handler Handler
	claims  UpdateClaims
	onPanic func(ctx context.Context, u *models.Update)
	metrics IntakeMetrics
	log     zerolog.Logger
	slots   chan struct{}
	now     func() time.Time
	// renewEvery is how often a claim is renewed while its update is handled.
	renewEvery time.Duration

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
	Claims   UpdateClaims
	Parallel int                                         // chats handled at once; 16 when 0
	OnPanic  func(ctx context.Context, u *models.Update) // tells the person something went wrong
	Metrics  IntakeMetrics
	Log      zerolog.Logger
	Now      func() time.Time
	// ClaimLease is how long a claim lasts unrenewed (storage.UpdateLease);
	// it is renewed every third of it. 20 s when 0.
	ClaimLease time.Duration
}

// NewIntake builds an Intake.
func NewIntake(c IntakeConfig) *Intake {
	if c.Parallel <= 0 {
		c.Parallel = 16
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ClaimLease <= 0 {
		c.ClaimLease = 20 * time.Second
	}
	return &Intake{
		handler: c.Handler, claims: c.Claims, onPanic: c.OnPanic, metrics: c.Metrics,
		log: c.Log, slots: make(chan struct{}, c.Parallel), now: c.Now, chats: map[int64]*chatLane{},
		renewEvery: c.ClaimLease / 3,
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
	ctx = log.WithContext(ctx)

	taken, done, err := in.claims.ClaimUpdate(ctx, u.ID)
	if err != nil {
		log.Error().Err(err).Msg("cannot claim update")
		in.observe(kind, OutcomeTransient, start)
		return fmt.Errorf("claim update %d: %w: %w", u.ID, ErrTransient, err)
	}
	switch {
	case !taken && done:
		log.Debug().Msg("duplicate update skipped")
		in.observe(kind, OutcomeDuplicate, start)
		return nil
	case !taken:
		// Another replica has it, or one that died mid-handling: the
		// inbox tries it again (it stays at its chat's head), and once that
		// lease lapses it is ours.
		log.Debug().Msg("update held elsewhere; will be tried again")
		in.observe(kind, OutcomeHeld, start)
		return fmt.Errorf("update %d: %w: held by another process", u.ID, ErrTransient)
	}

	stopRenewing := in.keepClaim(ctx, u.ID, log)
	outcome, herr := in.safeHandle(ctx, u, h, log)
	stopRenewing()
	if outcome == OutcomeTransient {
		// Nothing was stored: let it be handled again (the inbox retries).
		if err := in.claims.ReleaseUpdate(context.WithoutCancel(ctx), u.ID); err != nil {
			log.Error().Err(err).Msg("cannot release update")
		}
		in.observe(kind, outcome, start)
		return herr
	}
	if err := in.claims.FinishUpdate(context.WithoutCancel(ctx), u.ID); err != nil {
		log.Error().Err(err).Msg("cannot record update as handled")
	}
	in.observe(kind, outcome, start)
	return nil
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

// keepClaim renews the update's lease while its handler runs (a fan-out at
// Telegram's pace can outlast one lease); the returned func stops it.
func (in *Intake) keepClaim(ctx context.Context, id int64, log zerolog.Logger) func() {
	return every(in.renewEvery, func() bool {
		if err := in.claims.RenewUpdate(context.WithoutCancel(ctx), id); err != nil {
			log.Warn().Err(err).Msg("cannot renew update claim")
		}
		return true
	})
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
