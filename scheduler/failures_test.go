package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/scheduler"
	"github.com/confbot/confbot/storage"
)

// digestOnly is cum8 with only its weekday digest and n extra secretaries
// (ids 200000+i), so one job fans out to 2+n people.
func digestOnly(n int) *domain.Conference {
	conf := cum8()
	conf.Reminders = conf.Reminders[3:]
	for i := range n {
		conf.People = append(conf.People, domain.Person{TelegramID: int64(200000 + i), Unit: "KHTC", Roles: []domain.Role{domain.RoleSecretary}})
	}
	return conf
}

const digestJob = "digest/secretaries/2022-11-07T17:00"

// secondClient opens another connection pool to the test's Redis, which a
// test can close to kill a replica's storage mid-flight.
func secondClient(t *testing.T, s *storage.Store) redis.UniversalClient {
	t.Helper()
	switch c := s.Client().(type) {
	case *redis.Client:
		return redis.NewClient(c.Options())
	case *redis.ClusterClient:
		return redis.NewClusterClient(c.Options())
	}
	t.Fatalf("unexpected client %T", s.Client())
	return nil
}

func record(t *testing.T, e *env, conf *domain.Conference, job string, due time.Time) map[int64]string {
	t.Helper()
	raw, err := e.store.ReminderRecord(context.Background(), conf.Ref(), domain.Reminder{ID: job, Due: due})
	if err != nil {
		t.Fatal(err)
	}
	rec := make(map[int64]string, len(raw))
	for k, v := range raw {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			t.Fatalf("delivery key %q: %v", k, err)
		}
		rec[id] = v
	}
	return rec
}

// TestKilledReplicaLeavesTheRestToAnother kills replica A (its Redis
// connections die with it) while it sends recipient k+1. B cannot take the
// job while A's lease is live, then sends everyone A had not begun. The one
// recipient A was sending to when it died is not resent (at most once in
// that window) and stays visible in the record.
func TestKilledReplicaLeavesTheRestToAnother(t *testing.T) {
	ctx := context.Background()
	due := at(hcm, "2022-11-07 17:00")
	e := newEnv(t, due)
	conf := digestOnly(8) // 10 recipients
	w := newWorld(e.clock, conf)
	rdbA := secondClient(t, e.store)
	storeA := storage.New(rdbA, e.store.Prefix(), storage.WithClock(e.clock.Now))
	ctxA, killA := context.WithCancel(ctx)
	const k = 4
	var inFlight int64
	nA := &recorder{clock: e.clock, loc: hcm}
	nA.hook = func(ctx context.Context, r scheduler.Recipient, _ scheduler.Job) error {
		if nA.count() < k {
			return nil
		}
		inFlight = r.ChatID
		killA()
		_ = rdbA.Close() // kill -9: nothing of A's reaches Redis again
		return ctx.Err()
	}
	a := e.scheduler("A", storeA, w, nA, conf)
	nB := &recorder{clock: e.clock, loc: hcm}
	b := e.scheduler("B", nil, w, nB, conf)
	if err := b.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	_ = a.Tick(ctxA) // errors expected: A dies
	if nA.count() != k {
		t.Fatalf("A sent %d before dying, want %d", nA.count(), k)
	}
	if err := b.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if nB.count() != 0 {
		t.Fatalf("B sent %d while A's lease was live", nB.count())
	}
	e.clock.Add(scheduler.DefaultLease + time.Second)
	if err := b.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	sent := map[int64]int{}
	for _, n := range []*recorder{nA, nB} {
		for _, s := range n.sends {
			sent[s.Chat]++
		}
	}
	for _, p := range conf.People {
		if !p.Has(domain.RoleSecretary) {
			continue
		}
		want := 1
		if p.TelegramID == inFlight {
			want = 0
		}
		if sent[p.TelegramID] != want {
			t.Errorf("%d was sent the digest %d times, want %d", p.TelegramID, sent[p.TelegramID], want)
		}
	}
	if got := record(t, e, conf, digestJob, due)[inFlight]; got != "sending:A" {
		t.Errorf("record of the recipient in flight = %q, want sending:A", got)
	}
	if pending, _ := e.store.PendingReminders(ctx, conf.Ref()); len(pending) != 0 && pending[0].ID == digestJob {
		t.Errorf("the job is still pending after B finished it")
	}
}

// TestShutdownMidFanOutHandsOverAtOnce cancels A's context while it sends:
// the send did not happen, so its mark and the claim are given back and B
// sends everyone left, the interrupted recipient included, without waiting
// for the lease.
func TestShutdownMidFanOutHandsOverAtOnce(t *testing.T) {
	ctx := context.Background()
	due := at(hcm, "2022-11-07 17:00")
	e := newEnv(t, due)
	conf := digestOnly(8)
	w := newWorld(e.clock, conf)
	ctxA, stopA := context.WithCancel(ctx)
	nA := &recorder{clock: e.clock, loc: hcm}
	nA.hook = func(ctx context.Context, _ scheduler.Recipient, _ scheduler.Job) error {
		if nA.count() < 3 {
			return nil
		}
		stopA()
		return fmt.Errorf("send abandoned: %w", ctx.Err())
	}
	a := e.scheduler("A", nil, w, nA, conf)
	nB := &recorder{clock: e.clock, loc: hcm}
	b := e.scheduler("B", nil, w, nB, conf)
	if err := a.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	_ = a.Tick(ctxA)
	if err := b.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if nA.count() != 3 || nB.count() != 7 {
		t.Fatalf("A sent %d, B sent %d; want 3 and 7", nA.count(), nB.count())
	}
	var want []string
	for _, p := range conf.People {
		if p.Has(domain.RoleSecretary) {
			want = append(want, fmt.Sprintf("2022-11-07 17:00 %s %d", digestJob, p.TelegramID))
		}
	}
	diffLines(t, append(nA.lines(), nB.lines()...), want)
}

func TestDowntimeWithinAndBeyondGrace(t *testing.T) {
	due := at(hcm, "2022-11-07 17:00")
	tests := []struct {
		name     string
		downtime time.Duration
		want     []string
	}{
		{"on time", 30 * time.Second, []string{"2022-11-07 17:00 " + digestJob + " 100001", "2022-11-07 17:00 " + digestJob + " 100011"}},
		{"5h late, within 6h grace", 5 * time.Hour, []string{"2022-11-07 22:00 " + digestJob + " 100001 late", "2022-11-07 22:00 " + digestJob + " 100011 late"}},
		{"7h late, dropped", 7 * time.Hour, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, at(hcm, "2022-11-07 12:00"))
			conf := digestOnly(0)
			n := &recorder{clock: e.clock, loc: hcm}
			s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
			if err := s.Sync(ctx, conf); err != nil {
				t.Fatal(err)
			}
			e.clock.Set(due.Add(tc.downtime))
			for range 2 { // the second tick finds nothing: done or dropped
				if err := s.Tick(ctx); err != nil {
					t.Fatal(err)
				}
			}
			diffLines(t, n.lines(), tc.want)
			pending, _ := e.store.PendingReminders(ctx, conf.Ref())
			if len(pending) > 0 && !pending[0].Due.After(due) {
				t.Errorf("the missed digest is still pending: %v", pending[0].ID)
			}
		})
	}
}

// TestUnreachableRecordedNotRetried: a person who blocked the bot is
// recorded once; a transient failure leaves the job pending for the next
// tick, which sends only to the one it failed for.
func TestUnreachableRecordedNotRetried(t *testing.T) {
	ctx := context.Background()
	due := at(hcm, "2022-11-07 17:00")
	e := newEnv(t, due)
	conf := digestOnly(2) // 100001, 100011, 200000, 200001
	var blockedTries, flakyTries atomic.Int32
	n := &recorder{clock: e.clock, loc: hcm}
	n.hook = func(_ context.Context, r scheduler.Recipient, _ scheduler.Job) error {
		switch r.ChatID {
		case 200000:
			blockedTries.Add(1)
			return fmt.Errorf("telegram: 403 bot was blocked by the user: %w", scheduler.ErrUnreachable)
		case 200001:
			if flakyTries.Add(1) == 1 {
				return errors.New("telegram: 502 bad gateway")
			}
		}
		return nil
	}
	s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
	if err := s.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := s.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(30 * time.Second)
	}
	diffLines(t, n.lines(), []string{
		"2022-11-07 17:00 " + digestJob + " 100001",
		"2022-11-07 17:00 " + digestJob + " 100011",
		"2022-11-07 17:00 " + digestJob + " 200001", // the retry, 30 s later, same minute
	})
	if blockedTries.Load() != 1 || flakyTries.Load() != 2 {
		t.Errorf("tries: blocked %d (want 1), flaky %d (want 2)", blockedTries.Load(), flakyTries.Load())
	}
	rec := record(t, e, conf, digestJob, due)
	want := map[int64]string{100001: storage.ReminderSent, 100011: storage.ReminderSent, 200000: storage.ReminderUnreachable, 200001: storage.ReminderSent}
	for id, state := range want {
		if rec[id] != state {
			t.Errorf("record[%d] = %q, want %q", id, rec[id], state)
		}
	}
}
