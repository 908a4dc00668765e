package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
)

// perMinute is the reference conference with one digest a minute, "from"
// a day before the import.
func perMinute(from time.Time) *domain.Conference {
	c := cum8()
	c.Reminders = []domain.ReminderSpec{{Cron: "* * * * *", What: "status_digest", To: domain.ToSecretaries, From: from}}
	return c
}

// TestDigestImportedWithAPastFromIsNotCaughtUp: a per-minute digest
// imported with `from` a day back sends no late digest at all (its past
// occurrences were due before the schedule existed), then one a minute.
func TestDigestImportedWithAPastFromIsNotCaughtUp(t *testing.T) {
	ctx := context.Background()
	importedAt := at(hcm, "2022-11-20 10:00")
	e := newEnv(t, importedAt.Add(30*time.Second))
	conf := perMinute(importedAt.Add(-24 * time.Hour))
	n := &recorder{clock: e.clock, loc: hcm}
	s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
	if err := s.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	if err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if n.count() != 0 {
		t.Fatalf("the import sent %d digests at once: %v", n.count(), n.lines())
	}
	for i := 1; i <= 3; i++ {
		e.clock.Set(importedAt.Add(time.Duration(i) * time.Minute))
		if err := s.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for _, m := range []string{"10:01", "10:02", "10:03"} {
		for _, chat := range []string{"100001", "100011"} {
			want = append(want, "2022-11-20 "+m+" digest/secretaries/2022-11-20T"+m+" "+chat)
		}
	}
	diffLines(t, n.lines(), want)
}

// TestOutageSendsOneLateDigestAndEachReminderOnce: the bot is down from
// 12:00 to 15:30 (grace six hours) and misses the hourly digests of 13:00,
// 14:00 and 15:00: at its return each secretary gets one digest, for 15:00,
// marked late; the summary reminder of 15:00 goes out once to each, marked
// late too.
func TestOutageSendsOneLateDigestAndEachReminderOnce(t *testing.T) {
	ctx := context.Background()
	start := at(hcm, "2022-11-17 12:00")
	e := newEnv(t, start)
	conf := cum8()
	conf.Reminders = []domain.ReminderSpec{
		{Cron: "0 * * * *", What: "status_digest", To: domain.ToSecretaries, From: start},
		cum8().Reminders[0],
	} // summary reminders; 2h before 17:00 falls in the outage
	n := &recorder{clock: e.clock, loc: hcm}
	s := e.scheduler("A", nil, newWorld(e.clock, conf), n, conf)
	if err := s.Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(hcm, "2022-11-17 12:00").Add(30 * time.Second))
	if err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	sentBefore := n.count()
	e.clock.Set(at(hcm, "2022-11-17 15:30")) // down from 12:00:30 to 15:30
	for range 2 {
		if err := s.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var digests, reminders []string
	for _, l := range n.lines()[sentBefore:] {
		switch {
		case strings.Contains(l, "digest/"):
			digests = append(digests, l)
		case strings.Contains(l, "summary_deadline/"):
			reminders = append(reminders, l)
		}
	}
	wantDigests := []string{
		"2022-11-17 15:30 digest/secretaries/2022-11-17T15:00 100001 late",
		"2022-11-17 15:30 digest/secretaries/2022-11-17T15:00 100011 late",
	}
	diffLines(t, digests, wantDigests)
	// Units without a summary: heads and delegates of the six member units.
	if len(reminders) != 8 {
		t.Errorf("the 2h summary reminder went to %d people, want 8 (each once):\n%s", len(reminders), strings.Join(reminders, "\n"))
	}
	for _, l := range reminders {
		if !strings.HasSuffix(l, " late") {
			t.Errorf("a reminder sent after the outage is not marked late: %s", l)
		}
	}
}
