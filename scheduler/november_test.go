package scheduler_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/scheduler"
)

// november sets up the reference conference's month: who submits, registers
// and votes when (times in Hà Nội).
func november(w *world) {
	for unit, t := range map[string]string{
		"VKHCN": "2022-11-08 10:00", "KHTC": "2022-11-12 10:00", "CNTT": "2022-11-15 09:00",
		"QLXD": "2022-11-16 18:00", "VTCY": "2022-11-17 14:00", // TBKV never submits
	} {
		w.summaries[unit] = at(hcm, t)
	}
	for id, t := range map[int64]string{
		100001: "2022-11-18 09:00", 100011: "2022-11-18 09:30", 100002: "2022-11-21 07:00", 100012: "2022-11-21 09:00",
		100003: "2022-11-22 10:00", 100004: "2022-11-23 07:59", 100005: "2022-11-23 10:00", // 100006 never answers
	} {
		w.registered[id] = at(hcm, t)
	}
	w.voted["co-bca"] = map[string]time.Time{}
	for unit, t := range map[string]string{
		"CNTT": "2022-11-24 09:02", "KHTC": "2022-11-24 09:05", "QLXD": "2022-11-24 09:11", "TBKV": "2022-11-24 09:12",
		"VKHCN": "2022-11-24 09:15", // VTCY never votes
	} {
		w.voted["co-bca"][unit] = at(hcm, t)
	}
}

// ballotOpens is when the secretary opens co-bca (closes_after 15m).
var ballotOpens = at(hcm, "2022-11-24 09:00")

// novemberWant is who gets what at which minute.
func novemberWant() []string {
	want := []string{}
	add := func(minute, job string, chats ...int64) {
		for _, c := range chats {
			want = append(want, fmt.Sprintf("%s %s %d", minute, job, c))
		}
	}
	add("2022-11-10 17:00", "summary_deadline/168h", 100001, 100011, 100002, 100012, 100003, 100004, 100005)
	add("2022-11-14 17:00", "summary_deadline/72h", 100001, 100011, 100003, 100004, 100005)
	add("2022-11-16 17:00", "summary_deadline/24h", 100003, 100004, 100005)
	add("2022-11-17 15:00", "summary_deadline/2h", 100004)
	add("2022-11-21 08:00", "conference/72h", 100003, 100004, 100005, 100006, 100012)
	add("2022-11-23 08:00", "conference/24h", 100005, 100006)
	add("2022-11-24 07:00", "conference/1h", 100006)
	add("2022-11-24 09:10", "ballot_close/co-bca/5m", 100003, 100004, 100005, 100006)
	add("2022-11-24 09:14", "ballot_close/co-bca/1m", 100005, 100006)
	for _, day := range []string{"01", "02", "03", "04", "07", "08", "09", "10", "11", "14", "15", "16", "17", "18", "21", "22", "23", "24"} {
		add("2022-11-"+day+" 17:00", "digest/secretaries/2022-11-"+day+"T17:00", 100001, 100011)
	}
	return want
}

// simulateNovember walks the clock minute by minute from the import (31
// October, noon) to 1 December, ticking every replica at each minute.
func simulateNovember(t *testing.T, replicas int) *recorder {
	ctx := context.Background()
	e := newEnv(t, at(hcm, "2022-10-31 12:00"))
	conf := cum8()
	w := newWorld(e.clock, conf)
	november(w)
	n := &recorder{clock: e.clock, loc: hcm}
	var scheds []*scheduler.Scheduler
	for i := range replicas {
		scheds = append(scheds, e.scheduler(fmt.Sprintf("replica-%d", i), nil, w, n, conf))
	}
	if err := scheds[0].Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	for now := e.clock.Now(); now.Before(at(hcm, "2022-12-01 00:00")); now = now.Add(time.Minute) {
		e.clock.Set(now)
		if now.Equal(ballotOpens) {
			if err := scheds[replicas-1].ScheduleBallotClose(ctx, conf, "co-bca", now.Add(15*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for _, s := range scheds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Tick(ctx); err != nil {
					t.Errorf("tick at %s: %v", now, err)
				}
			}()
		}
		wg.Wait()
	}
	return n
}

func TestNovember2022ReachesExactlyWhoOwesAtTheMinute(t *testing.T) {
	n := simulateNovember(t, 1)
	diffLines(t, n.lines(), novemberWant())
}

func TestNovember2022ThreeReplicasSendEachReminderOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("a month of minutes on three replicas")
	}
	n := simulateNovember(t, 3)
	diffLines(t, n.lines(), novemberWant())
}

// TestThreeReplicasShareOneBigFanOut races three replicas on one job with
// many recipients, all ticking at the same instant.
func TestThreeReplicasShareOneBigFanOut(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, at(hcm, "2022-11-07 16:59"))
	conf := cum8()
	conf.Reminders = conf.Reminders[3:] // the digest only
	for i := range 300 {
		conf.People = append(conf.People, domain.Person{TelegramID: int64(200000 + i), Unit: "KHTC", Roles: []domain.Role{domain.RoleSecretary}})
	}
	w := newWorld(e.clock, conf)
	n := &recorder{clock: e.clock, loc: hcm}
	var scheds []*scheduler.Scheduler
	for i := range 3 {
		scheds = append(scheds, e.scheduler(fmt.Sprintf("replica-%d", i), nil, w, n, conf))
	}
	if err := scheds[0].Sync(ctx, conf); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(hcm, "2022-11-07 17:00"))
	var wg sync.WaitGroup
	for round := 0; round < 2; round++ { // a second round finds nothing left
		for _, s := range scheds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Tick(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	var want []string
	for _, p := range conf.People {
		if p.Has(domain.RoleSecretary) {
			want = append(want, fmt.Sprintf("2022-11-07 17:00 digest/secretaries/2022-11-07T17:00 %d", p.TelegramID))
		}
	}
	diffLines(t, n.lines(), want)
}
