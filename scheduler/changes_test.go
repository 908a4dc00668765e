package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/scheduler"
)

// walk ticks s every minute in [from, to).
func walk(t *testing.T, e *env, s *scheduler.Scheduler, from, to time.Time) {
	t.Helper()
	for now := from; now.Before(to); now = now.Add(time.Minute) {
		e.clock.Set(now)
		if err := s.Tick(context.Background()); err != nil {
			t.Fatalf("tick at %s: %v", now, err)
		}
	}
}

// TestMovedDeadlineMovesItsReminders: a re-import three days later moves the
// pending reminders; the one already sent comes again before the new
// deadline, because it is still ahead.
func TestMovedDeadlineMovesItsReminders(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, at(hcm, "2022-11-09 12:00"))
	conf := cum8()
	conf.Reminders = conf.Reminders[:1] // summary deadline only
	n := &recorder{clock: e.clock, loc: hcm}
	s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
	if err := s.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	walk(t, e, s, e.clock.Now(), at(hcm, "2022-11-11 09:00"))

	moved := *conf
	moved.SummaryDeadline = at(hcm, "2022-11-20 17:00")
	if err := s.Sync(ctx, &moved); err != nil {
		t.Fatal(err)
	}
	pending, err := e.store.PendingReminders(ctx, conf.Ref())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range pending {
		got = append(got, r.Due.Format("2006-01-02 15:04 MST")+" "+r.ID)
	}
	sameLines(t, got, []string{
		"2022-11-13 17:00 +07 summary_deadline/168h",
		"2022-11-17 17:00 +07 summary_deadline/72h",
		"2022-11-19 17:00 +07 summary_deadline/24h",
		"2022-11-20 15:00 +07 summary_deadline/2h",
	})
	walk(t, e, s, e.clock.Now(), at(hcm, "2022-11-21 00:00"))
	var want []string
	for _, minute := range []string{"2022-11-10 17:00 summary_deadline/168h", "2022-11-13 17:00 summary_deadline/168h",
		"2022-11-17 17:00 summary_deadline/72h", "2022-11-19 17:00 summary_deadline/24h", "2022-11-20 15:00 summary_deadline/2h"} {
		for _, id := range []string{"100001", "100011", "100002", "100012", "100003", "100004", "100005", "100006"} {
			want = append(want, minute+" "+id)
		}
	}
	diffLines(t, n.lines(), want)
}

// TestBallotCloseScheduledAndCancelled: a ballot's closing reminders follow
// its closing time and go when it closes early; a re-import leaves them be.
func TestBallotCloseScheduledAndCancelled(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, at(hcm, "2022-11-24 09:00"))
	conf := cum8()
	n := &recorder{clock: e.clock, loc: hcm}
	s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
	if err := s.ScheduleBallotClose(ctx, conf, "co-bca", at(hcm, "2022-11-24 09:15")); err != nil {
		t.Fatal(err)
	}
	if err := s.ScheduleBallotClose(ctx, conf, "bang-khen", at(hcm, "2022-11-24 10:00")); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, conf); err != nil { // a re-import meanwhile
		t.Fatal(err)
	}
	walk(t, e, s, e.clock.Now(), at(hcm, "2022-11-24 09:12"))
	if err := s.ScheduleBallotClose(ctx, conf, "co-bca", time.Time{}); err != nil { // closed early
		t.Fatal(err)
	}
	walk(t, e, s, e.clock.Now(), at(hcm, "2022-11-24 10:01"))
	var want []string
	for _, minute := range []string{"2022-11-24 09:10 ballot_close/co-bca/5m", "2022-11-24 09:55 ballot_close/bang-khen/5m", "2022-11-24 09:59 ballot_close/bang-khen/1m"} {
		for _, id := range []string{"100001", "100002", "100003", "100004", "100005", "100006"} {
			want = append(want, minute+" "+id)
		}
	}
	var ballots []string // the conference's own reminders are not under test here
	for _, line := range n.lines() {
		if len(line) > 17 && line[17:29] == "ballot_close" {
			ballots = append(ballots, line)
		}
	}
	diffLines(t, ballots, want)
}

// TestBerlinDigestAcrossTheNightClocksGoBack walks the DST night minute by
// minute: the 02:30 digest goes once, at the first 02:30.
func TestBerlinDigestAcrossTheNightClocksGoBack(t *testing.T) {
	ctx := context.Background()
	berlin := mustZone("Europe/Berlin")
	e := newEnv(t, at(berlin, "2022-10-29 00:00"))
	conf := cum8()
	conf.Cluster.Timezone = "Europe/Berlin"
	conf.Reminders = []domain.ReminderSpec{{Cron: "30 2 * * *", What: "status_digest", To: domain.ToSecretaries}}
	n := &recorder{clock: e.clock, loc: time.UTC}
	s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
	if err := s.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	walk(t, e, s, e.clock.Now(), at(berlin, "2022-11-01 00:00"))
	var want []string
	for _, line := range []string{"2022-10-29 00:30 digest/secretaries/2022-10-29T02:30", "2022-10-30 00:30 digest/secretaries/2022-10-30T02:30",
		"2022-10-31 01:30 digest/secretaries/2022-10-31T02:30"} {
		want = append(want, line+" 100001", line+" 100011")
	}
	diffLines(t, n.lines(), want)
}

// TestStartTicksAtOnceAndStopWaits boots the cron clock: the first tick
// catches up at Start, and Stop returns once it is done.
func TestStartTicksAtOnceAndStopWaits(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, at(hcm, "2022-11-07 12:00"))
	conf := digestOnly(0)
	n := &recorder{clock: e.clock, loc: hcm}
	s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
	if err := s.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(hcm, "2022-11-07 17:01"))
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err == nil {
		t.Error("a second Start was accepted")
	}
	deadline := time.Now().Add(5 * time.Second)
	for n.count() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // async I/O: the first tick runs in its own goroutine
	}
	stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(stopCtx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	diffLines(t, n.lines(), []string{"2022-11-07 17:01 " + digestJob + " 100001", "2022-11-07 17:01 " + digestJob + " 100011"})
}
