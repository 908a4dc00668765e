package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// ErrUnreachable is what a Notifier wraps when the person cannot be written
// to (blocked the bot, chat not found): recorded, never retried.
var ErrUnreachable = errors.New("recipient unreachable")

// Recipient is one person a job goes to.
type Recipient struct {
	ChatID int64 // the person's Telegram id (their private chat with the bot)
	Name   string
	Unit   string
}

// RecipientResolver says who a job goes to at sending time: only those who
// still owe something (a summary, an attendance answer, a vote), or the
// secretaries for a digest. The handlers implement it.
type RecipientResolver interface {
	Recipients(ctx context.Context, ref string, job Job) ([]Recipient, error)
}

// Notifier words and sends one job to one person, through the outbound
// sender at bulk priority. It returns nil once the message was delivered, an
// error wrapping ErrUnreachable when the person cannot be reached, and any
// other error when it was not delivered and may be retried.
type Notifier interface {
	Notify(ctx context.Context, r Recipient, job Job, late bool) error
}

// ConferenceSource loads a conference, so that digests can be planned
// further ahead as time passes; *storage.Store satisfies it.
type ConferenceSource interface {
	Conference(ctx context.Context, ref string) (*domain.Conference, error)
}

// Store is what the scheduler needs of storage; *storage.Store satisfies it.
type Store interface {
	SyncReminders(ctx context.Context, ref string, prefixes []string, reminders []storage.Reminder, now time.Time) error
	AddReminders(ctx context.Context, ref string, reminders []storage.Reminder, now time.Time) error
	ReminderConferences(ctx context.Context) ([]string, error)
	DueReminders(ctx context.Context, ref string, now time.Time, limit int) ([]storage.Reminder, error)
	ClaimReminder(ctx context.Context, ref string, r storage.Reminder, owner string, lease time.Duration) (bool, error)
	ReleaseReminder(ctx context.Context, ref string, r storage.Reminder, owner string) error
	BeginReminderSend(ctx context.Context, ref string, r storage.Reminder, recipient int64, owner string, lease time.Duration) (bool, string, error)
	FinishReminderSend(ctx context.Context, ref string, r storage.Reminder, recipient int64, owner, state string) error
	CompleteReminder(ctx context.Context, ref string, r storage.Reminder, owner string) error
}

var (
	_ Store            = (*storage.Store)(nil)
	_ ConferenceSource = (*storage.Store)(nil)
)

// Config is what a Scheduler needs; zero durations take the defaults.
type Config struct {
	Store       Store
	Conferences ConferenceSource // nil: digests are planned only by Sync
	Recipients  RecipientResolver
	Notifier    Notifier
	Now         func() time.Time // nil: time.Now
	Owner       string           // this replica's id; "": hostname-pid-random
	Grace       time.Duration    // for jobs whose conference sets none; 6h
	Lease       time.Duration    // a claim lapses this long after the replica's last sign of life; 2m
	LateAfter   time.Duration    // a job sent later than this after its due time says it is late; 5m
	Horizon     time.Duration    // digests are planned this far ahead; 14 days
	Every       string           // the cron spec that wakes the scheduler; "@every 30s"
	Log         zerolog.Logger
	Metrics     Metrics // nil: nothing counted
}

// Metrics counts reminders (*metrics.Metrics).
type Metrics interface {
	// ReminderSent counts one reminder delivered to one person; late when it
	// went out past LateAfter.
	ReminderSent(late bool)
	// ReminderDropped counts a reminder missed beyond its grace, not sent.
	ReminderDropped()
}

// noMetrics counts nothing.
type noMetrics struct{}

func (noMetrics) ReminderSent(bool) {}
func (noMetrics) ReminderDropped()  {}

// Defaults of Config.
const (
	DefaultGrace     = 6 * time.Hour
	DefaultLease     = 2 * time.Minute
	DefaultLateAfter = 5 * time.Minute
	DefaultHorizon   = 14 * 24 * time.Hour
	DefaultEvery     = "@every 30s"

	// extendEvery is how often a replica plans a conference's digests
	// further ahead; planning is idempotent, so replicas may overlap.
	extendEvery = time.Hour
	// dueBatch bounds the jobs one tick takes of one conference; the rest
	// wait for the next tick.
	dueBatch = 100
	// cleanupTimeout bounds the Redis writes that record a send's outcome,
	// made even after ctx was cancelled so a shutdown leaves no false marks.
	cleanupTimeout = 5 * time.Second
)

// planPrefixes are the job IDs Sync replaces; ballot closing reminders are
// replaced per ballot by ScheduleBallotClose.
var planPrefixes = []string{string(domain.AnchorSummaryDeadline) + "/", string(domain.AnchorConference) + "/", prefixDigest}

// Scheduler sends due jobs. Several replicas may run against one Redis: each
// job is claimed atomically and each recipient marked before the send.
type Scheduler struct {
	cfg Config
	log zerolog.Logger

	mu       sync.Mutex
	extended map[string]time.Time // when this replica last planned a conference's digests

	run runState
}

// New checks cfg and fills its defaults.
func New(cfg Config) (*Scheduler, error) {
	if cfg.Store == nil || cfg.Recipients == nil || cfg.Notifier == nil {
		return nil, fmt.Errorf("scheduler: Store, Recipients and Notifier are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Owner == "" {
		cfg.Owner = replicaID()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
	}
	cfg.Grace = orDefault(cfg.Grace, DefaultGrace)
	cfg.Lease = orDefault(cfg.Lease, DefaultLease)
	cfg.LateAfter = orDefault(cfg.LateAfter, DefaultLateAfter)
	cfg.Horizon = orDefault(cfg.Horizon, DefaultHorizon)
	if cfg.Every == "" {
		cfg.Every = DefaultEvery
	}
	if _, err := cron.ParseStandard(cfg.Every); err != nil {
		return nil, fmt.Errorf("scheduler: clock %q: %w", cfg.Every, err)
	}
	return &Scheduler{cfg: cfg, log: cfg.Log.With().Str("replica", cfg.Owner).Logger(), extended: map[string]time.Time{}}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// replicaID names this process among replicas; the random part keeps a
// restarted process (same host and pid in a container) apart from its
// previous life, whose unfinished sends must look foreign.
func replicaID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Owner returns this replica's id.
func (s *Scheduler) Owner() string { return s.cfg.Owner }

// Sync replaces c's deadline reminders and digests (not its ballots'
// closing reminders) by what c says now: called at every import, so a moved
// deadline moves its reminders. Jobs already due within grace are caught up
// at the next tick, older ones dropped there with a log line.
func (s *Scheduler) Sync(ctx context.Context, c *domain.Conference) error {
	now := s.cfg.Now()
	jobs, err := Plan(c, nil, now.Add(-s.grace(c.Grace)), now.Add(s.cfg.Horizon))
	if err != nil {
		return err
	}
	if err := s.cfg.Store.SyncReminders(ctx, c.Ref(), planPrefixes, toStored(jobs, c), now); err != nil {
		return err
	}
	s.mu.Lock()
	s.extended[c.Ref()] = now
	s.mu.Unlock()
	return nil
}

// ScheduleBallotClose replaces the closing reminders of one ballot: call it
// when the ballot opens with a known closing time, when that time changes (a
// revote round) and with a zero time when it closes, which cancels those
// still pending.
func (s *Scheduler) ScheduleBallotClose(ctx context.Context, c *domain.Conference, ballot string, closesAt time.Time) error {
	var jobs []Job
	if !closesAt.IsZero() {
		for _, j := range planOffsets(c, map[string]time.Time{ballot: closesAt}) {
			if j.Ballot == ballot {
				jobs = append(jobs, j)
			}
		}
	}
	return s.cfg.Store.SyncReminders(ctx, c.Ref(), []string{prefixBallotClose + ballot + "/"}, toStored(jobs, c), s.cfg.Now())
}

func (s *Scheduler) grace(conf time.Duration) time.Duration { return orDefault(conf, s.cfg.Grace) }

// Tick sends everything due at the clock's now, conference by conference.
// Cron calls it in Start; tests call it directly with a fake clock.
func (s *Scheduler) Tick(ctx context.Context) error {
	refs, err := s.cfg.Store.ReminderConferences(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.extend(ctx, ref)
		due, err := s.cfg.Store.DueReminders(ctx, ref, s.cfg.Now(), dueBatch)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, r := range due {
			if err := s.process(ctx, ref, r); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// extend plans ref's digests up to the horizon, at most once an hour per
// replica. Failures are logged: the jobs already planned still go out.
func (s *Scheduler) extend(ctx context.Context, ref string) {
	if s.cfg.Conferences == nil {
		return
	}
	now := s.cfg.Now()
	s.mu.Lock()
	last, ok := s.extended[ref]
	s.mu.Unlock()
	if ok && now.Sub(last) < extendEvery && !now.Before(last) {
		return
	}
	log := s.log.With().Str("conference", ref).Logger()
	c, err := s.cfg.Conferences.Conference(ctx, ref)
	if err != nil {
		log.Warn().Err(err).Msg("cannot load conference to plan its digests")
		return
	}
	jobs, err := PlanDigests(c, now.Add(-s.grace(c.Grace)), now.Add(s.cfg.Horizon))
	if err == nil {
		err = s.cfg.Store.AddReminders(ctx, ref, toStored(jobs, c), now)
	}
	if err != nil {
		log.Warn().Err(err).Msg("cannot plan digests")
		return
	}
	s.mu.Lock()
	s.extended[ref] = now
	s.mu.Unlock()
}
