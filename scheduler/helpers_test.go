package scheduler_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/scheduler"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

// fakeClock is shared by the store (leases) and every replica.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
func (c *fakeClock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

var hcm = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// cum8 is testdata/cum8-2022.yaml built by hand (the file parser is another
// package's concern; this keeps the scheduler's tests independent of it).
func cum8() *domain.Conference {
	person := func(id int64, unit string, roles ...domain.Role) domain.Person {
		return domain.Person{TelegramID: id, Name: fmt.Sprint(id), Unit: unit, Roles: roles}
	}
	return &domain.Conference{
		Cluster:         domain.Cluster{ID: "cum8-bt", Timezone: "Asia/Ho_Chi_Minh", Language: "vi", GroupChat: -1001000000008},
		Units:           []domain.Unit{{Code: "CNTT"}, {Code: "KHTC"}, {Code: "QLXD"}, {Code: "TBKV"}, {Code: "VTCY"}, {Code: "VKHCN"}},
		Guests:          []domain.Unit{{Code: "CTDCT", Guest: true}},
		ID:              "tk-2022",
		Year:            2022,
		StartsAt:        at(hcm, "2022-11-24 08:00"),
		EndsAt:          at(hcm, "2022-11-24 11:30"),
		SummaryDeadline: at(hcm, "2022-11-17 17:00"),
		CheckinOpens:    at(hcm, "2022-11-24 07:00"),
		People: []domain.Person{
			person(100001, "CNTT", domain.RoleHead, domain.RoleSecretary),
			person(100002, "KHTC", domain.RoleHead),
			person(100003, "QLXD", domain.RoleHead),
			person(100004, "TBKV", domain.RoleHead),
			person(100005, "VTCY", domain.RoleHead),
			person(100006, "VKHCN", domain.RoleHead),
			person(100011, "CNTT", domain.RoleDelegate, domain.RoleSecretary),
			person(100012, "KHTC", domain.RoleDelegate),
			person(100021, "CTDCT", domain.RoleObserver),
		},
		Ballots: []domain.BallotSpec{
			{ID: "co-bca", Voters: domain.VotersUnit, ClosesAfter: 15 * time.Minute},
			{ID: "co-cp", Voters: domain.VotersUnit},
			{ID: "bang-khen", Voters: domain.VotersUnit},
			{ID: "cum-truong-2023", Voters: domain.VotersUnit},
		},
		Reminders: []domain.ReminderSpec{
			{Before: domain.AnchorSummaryDeadline, Offsets: hours(168, 72, 24, 2), To: domain.ToUnitsWithoutSummary},
			{Before: domain.AnchorConference, Offsets: hours(72, 24, 1), To: domain.ToDelegatesNotRegistered},
			{Before: domain.AnchorBallotClose, Offsets: []time.Duration{5 * time.Minute, time.Minute}, To: domain.ToVotersNotVoted},
			{Cron: "0 17 * * MON-FRI", What: "status_digest", To: domain.ToSecretaries,
				From: at(hcm, "2022-11-01 00:00"), Until: at(hcm, "2022-11-24 00:00")},
		},
		Grace: 6 * time.Hour,
		State: domain.StateDraft,
	}
}

func hours(hs ...int) []time.Duration {
	out := make([]time.Duration, len(hs))
	for i, h := range hs {
		out[i] = time.Duration(h) * time.Hour
	}
	return out
}

// world is a fake RecipientResolver: who still owes something at the
// clock's now, from the moments people submit, register and vote.
type world struct {
	clock      *fakeClock
	conf       *domain.Conference
	mu         sync.Mutex
	summaries  map[string]time.Time            // unit -> submitted
	registered map[int64]time.Time             // person -> answered /attend
	voted      map[string]map[string]time.Time // ballot -> unit -> voted
}

func newWorld(clock *fakeClock, conf *domain.Conference) *world {
	return &world{clock: clock, conf: conf, summaries: map[string]time.Time{}, registered: map[int64]time.Time{},
		voted: map[string]map[string]time.Time{}}
}

func (w *world) Recipients(_ context.Context, ref string, job scheduler.Job) ([]scheduler.Recipient, error) {
	if ref != w.conf.Ref() || job.Conference != ref {
		return nil, fmt.Errorf("unexpected conference %q / %q", ref, job.Conference)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.clock.Now()
	done := func(t time.Time, ok bool) bool { return ok && !t.After(now) }
	var out []scheduler.Recipient
	for _, p := range w.conf.People {
		var owes bool
		switch job.Audience {
		case domain.ToUnitsWithoutSummary:
			t, ok := w.summaries[p.Unit]
			owes = w.conf.IsMember(p.Unit) && (p.Has(domain.RoleHead) || p.Has(domain.RoleDelegate)) && !done(t, ok)
		case domain.ToDelegatesNotRegistered:
			t, ok := w.registered[p.TelegramID]
			owes = (p.Has(domain.RoleHead) || p.Has(domain.RoleDelegate)) && !done(t, ok)
		case domain.ToVotersNotVoted:
			t, ok := w.voted[job.Ballot][p.Unit]
			owes = w.conf.IsMember(p.Unit) && p.Has(domain.RoleHead) && !done(t, ok)
		case domain.ToSecretaries:
			owes = p.Has(domain.RoleSecretary)
		}
		if owes {
			out = append(out, scheduler.Recipient{ChatID: p.TelegramID, Name: p.Name, Unit: p.Unit})
		}
	}
	return out, nil
}

// conferences is a fake ConferenceSource.
type conferences struct{ conf *domain.Conference }

func (c conferences) Conference(context.Context, string) (*domain.Conference, error) {
	return c.conf, nil
}

// send is one delivered reminder as a person would see it.
type send struct {
	Minute string // the clock's minute in the cluster's zone
	Job    string
	Chat   int64
	Late   bool
}

// recorder is a Notifier that records every delivery; hook, when set, may
// fail or block a delivery.
type recorder struct {
	clock *fakeClock
	loc   *time.Location
	mu    sync.Mutex
	sends []send
	hook  func(ctx context.Context, r scheduler.Recipient, job scheduler.Job) error
}

func (n *recorder) Notify(ctx context.Context, r scheduler.Recipient, job scheduler.Job, late bool) error {
	if n.hook != nil {
		if err := n.hook(ctx, r, job); err != nil {
			return err
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sends = append(n.sends, send{Minute: n.clock.Now().In(n.loc).Format("2006-01-02 15:04"), Job: job.ID, Chat: r.ChatID, Late: late})
	return nil
}

// lines renders the sends as sorted "minute job chat" lines.
func (n *recorder) lines() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, len(n.sends))
	for i, s := range n.sends {
		out[i] = fmt.Sprintf("%s %s %d", s.Minute, s.Job, s.Chat)
		if s.Late {
			out[i] += " late"
		}
	}
	sort.Strings(out)
	return out
}

func (n *recorder) count() int { n.mu.Lock(); defer n.mu.Unlock(); return len(n.sends) }

// env is one Redis namespace with a shared clock.
type env struct {
	t       *testing.T
	clock   *fakeClock
	store   *storage.Store
	metrics scheduler.Metrics // nil: none
}

func newEnv(t *testing.T, start time.Time) *env {
	clock := &fakeClock{now: start}
	return &env{t: t, clock: clock, store: storagetest.Store(t, storage.WithClock(clock.Now))}
}

func (e *env) scheduler(owner string, store scheduler.Store, res scheduler.RecipientResolver, n scheduler.Notifier, conf *domain.Conference) *scheduler.Scheduler {
	e.t.Helper()
	if store == nil {
		store = e.store
	}
	s, err := scheduler.New(scheduler.Config{
		Store: store, Conferences: conferences{conf}, Recipients: res, Notifier: n,
		Now: e.clock.Now, Owner: owner, Log: zerolog.New(zerolog.NewTestWriter(e.t)).Level(zerolog.WarnLevel),
		Metrics: e.metrics,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	sort.Strings(want)
	gotSet, wantSet := map[string]int{}, map[string]int{}
	for _, g := range got {
		gotSet[g]++
	}
	for _, w := range want {
		wantSet[w]++
	}
	for _, w := range want {
		if gotSet[w] == 0 {
			t.Errorf("missing: %s", w)
		}
	}
	for g, n := range gotSet {
		if wantSet[g] == 0 {
			t.Errorf("unexpected: %s", g)
		} else if n > 1 {
			t.Errorf("sent %d times: %s", n, g)
		}
	}
}
