package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// ErrUnreachable is what a Notifier wraps when the person cannot be written
// to (blocked the bot, chat not found): recorded, never retried.
var ErrUnreachable = errors.New("recipient unreachable")

// Recipient is one delivery of a job: a person (or a group chat) and, for a
// job that sends one chat several messages, which of them.
type Recipient struct {
	ChatID int64 // the person's Telegram id (their private chat with the bot), or a group's
	Name   string
	Unit   string
	Part   string // "" for a job of one message per chat, else e.g. "text", "chart", "album-1", "done"
}

// Key names the delivery in the job's record.
func (r Recipient) Key() string {
	if r.Part == "" {
		return strconv.FormatInt(r.ChatID, 10)
	}
	return strconv.FormatInt(r.ChatID, 10) + ":" + r.Part
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
	SyncReminders(ctx context.Context, ref string, prefixes []string, reminders []domain.Reminder, now time.Time) error
	AddReminders(ctx context.Context, ref string, reminders []domain.Reminder, now time.Time) error
	ReminderConferences(ctx context.Context) ([]string, error)
	DueReminders(ctx context.Context, ref string, now time.Time, limit int) ([]domain.Reminder, error)
	PendingReminders(ctx context.Context, ref string) ([]domain.Reminder, error)
	ClaimReminder(ctx context.Context, ref string, r domain.Reminder, owner string, lease time.Duration) (bool, error)
	ReleaseReminder(ctx context.Context, ref string, r domain.Reminder, owner string) error
	BeginReminderSend(ctx context.Context, ref string, r domain.Reminder, recipient string, owner string, lease time.Duration) (bool, string, error)
	FinishReminderSend(ctx context.Context, ref string, r domain.Reminder, recipient string, owner, state string) error
	CompleteReminder(ctx context.Context, ref string, r domain.Reminder, owner string) error
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
	Every       time.Duration    // how often a started scheduler wakes by itself; 5s
	BeforeTick  func(ctx context.Context)
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
	DefaultEvery     = 5 * time.Second

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

	tickMu   sync.Mutex  // one tick at a time; Stop waits on it
	draining atomic.Bool // Stop was called: finish the delivery in hand, start no other
	run      runState
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
	cfg.Every = orDefault(cfg.Every, DefaultEvery)
	s := &Scheduler{cfg: cfg, log: cfg.Log.With().Str("replica", cfg.Owner).Logger(), extended: map[string]time.Time{}}
	s.run.kick = make(chan struct{}, 1)
	return s, nil
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
// deadline moves its reminders. Occurrences due before now are not planned:
// they were due before this schedule existed, so nobody missed them because
// the bot was down — a file imported today does not catch up on yesterday.
// (Occurrences planned earlier and missed during an outage are already in
// the schedule, and are caught up within grace by Tick.)
func (s *Scheduler) Sync(ctx context.Context, c *domain.Conference) error {
	now := s.cfg.Now()
	planned, err := Plan(c, nil, now, now.Add(s.cfg.Horizon))
	if err != nil {
		return err
	}
	jobs, err := s.withoutThePast(ctx, c.Ref(), planned, now)
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

// withoutThePast drops planned jobs due before now — due before this
// schedule existed, or moved into the past by a re-import — except those
// already pending at that due time (planned earlier and missed in an
// outage: Tick catches them up within grace), and keeps the pending missed
// digests the plan, which starts at now, does not list.
func (s *Scheduler) withoutThePast(ctx context.Context, ref string, planned []Job, now time.Time) ([]Job, error) {
	pending, err := s.cfg.Store.PendingReminders(ctx, ref)
	if err != nil {
		return nil, err
	}
	dueOf := make(map[string]time.Time, len(pending))
	for _, r := range pending {
		dueOf[r.ID] = r.Due
	}
	var out []Job
	for _, j := range planned {
		if due, ok := dueOf[j.ID]; j.DueAt.Before(now) && !(ok && due.Equal(j.DueAt)) {
			continue
		}
		out = append(out, j)
	}
	for _, r := range pending {
		if strings.HasPrefix(r.ID, prefixDigest) && r.Due.Before(now) {
			out = append(out, fromStored(ref, r))
		}
	}
	return out, nil
}

// ScheduleBallotClose replaces the closing reminders of one ballot: call it
// when the ballot opens with a known closing time, when that time changes (a
// revote round) and with a zero time when it closes, which cancels those
// still pending.
func (s *Scheduler) ScheduleBallotClose(ctx context.Context, c *domain.Conference, ballot string, closesAt time.Time) error {
	var jobs []Job
	if !closesAt.IsZero() {
		for _, j := range planOffsets(c, map[string]time.Time{ballot: closesAt}) {
			if j.Ballot == ballot && !j.DueAt.Before(s.cfg.Now()) {
				jobs = append(jobs, j)
			}
		}
		// The close itself is a job of the same schedule, so a clock stepped
		// through due times (the playground) closes after the last reminder.
		jobs = append(jobs, Job{ID: prefixBallotClose + ballot + "/close", Conference: c.Ref(), Kind: KindClose,
			Ballot: ballot, Audience: "close", DueAt: closesAt})
	}
	return s.cfg.Store.SyncReminders(ctx, c.Ref(), []string{prefixBallotClose + ballot + "/"}, toStored(jobs, c), s.cfg.Now())
}

func (s *Scheduler) grace(conf time.Duration) time.Duration { return orDefault(conf, s.cfg.Grace) }

// Tick sends everything due at the clock's now, conference by conference,
// earliest first. The loop of Start calls it; tests call it directly with a
// fake clock. A digest missed several times (an outage) goes out once, for
// its latest occurrence; the earlier ones are recorded done unsent.
func (s *Scheduler) Tick(ctx context.Context) error {
	s.tickMu.Lock()
	defer s.tickMu.Unlock()
	refs, err := s.cfg.Store.ReminderConferences(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.draining.Load() {
			return nil
		}
		s.extend(ctx, ref)
		// Every due job is listed (ids and times are small) so that a digest
		// missed many times is judged against its latest occurrence; at most
		// dueBatch are sent per tick, the rest at the next.
		due, err := s.cfg.Store.DueReminders(ctx, ref, s.cfg.Now(), 0)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		latest, sent := latestDigests(due), 0
		for _, r := range due {
			if r.Kind == string(KindDigest) && latest[digestSeries(r.ID)] != r.ID {
				if err := s.supersede(ctx, ref, r); err != nil {
					errs = append(errs, err)
				}
				continue
			}
			if sent == dueBatch {
				break
			}
			sent++
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
	// From now on only: what an outage missed was planned before it.
	jobs, err := PlanDigests(c, now, now.Add(s.cfg.Horizon))
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

// digestSeries is a digest occurrence's ID without its wall-clock time:
// "digest/secretaries/2022-11-07T17:00" → "digest/secretaries".
func digestSeries(id string) string {
	if i := strings.LastIndexByte(id, '/'); i > 0 {
		return id[:i]
	}
	return id
}

// latestDigests maps each digest series among due (earliest first) to its
// latest due occurrence.
func latestDigests(due []domain.Reminder) map[string]string {
	out := map[string]string{}
	for _, r := range due {
		if r.Kind == string(KindDigest) {
			out[digestSeries(r.ID)] = r.ID
		}
	}
	return out
}

// supersede records an older occurrence of a digest done without sending
// it: a newer one is due too and says the same, more up to date.
func (s *Scheduler) supersede(ctx context.Context, ref string, r domain.Reminder) error {
	won, err := s.cfg.Store.ClaimReminder(ctx, ref, r, s.cfg.Owner, s.cfg.Lease)
	if err != nil || !won {
		return err
	}
	s.log.Info().Str("conference", ref).Str("job", r.ID).Msg("digest superseded by a later occurrence; not sent")
	return s.complete(ctx, ref, r)
}
