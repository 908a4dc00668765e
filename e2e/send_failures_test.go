package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/telegramsim"
)

// TestRemindersExactlyOnceWhenSendsFail sends a scheduled reminder to 300
// delegates while the simulator fails 20 % of sends: 10 % answered 500 and
// 10 % answered 429 (nothing sent), and another 5 % carried out but
// answered 300 ms late. Every delegate gets the reminder exactly once.
//
// What exactly-once can mean: a 500 or a 429 says the message was not
// sent, so a retry is safe and required. A held answer that arrives before
// the client's timeout is an ordinary slow success. A held answer that
// outlasts the client's timeout (45 s under serve) is the one ambiguous
// case — the message went out but the bot sees a network error and retries
// it, so that person gets it twice: Telegram offers no way to ask. That case
// is therefore at-least-once per attempt, by design, and is not tested here
// (it would take minutes of real time per hold).
func TestRemindersExactlyOnceWhenSendsFail(t *testing.T) {
	t.Parallel() // mostly waiting (Telegram's limits, leases): it overlaps the other slow tests
	const people = 300
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := newTestClock(time.Date(2025, 11, 20, 8, 0, 0, 0, hcm))
	w := newWorld(t, withSim(telegramsim.WithFailures(telegramsim.FailurePlan{
		Seed: 20251121, Rate500: 0.10, Rate429: 0.10, RetryAfter: 1,
		RateHold: 0.05, HoldFor: 300 * time.Millisecond, Methods: []string{"sendMessage"},
	})))
	ctx := context.Background()
	conf := loadConference(people, `reminders:
  - {before: conference, offsets: [72h], to: delegates_not_registered}
`)
	if _, err := setup.New(w.store, botName, clock.Now).Import(ctx, conf); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.UpdateConference(ctx, loadRef, func(c *domain.Conference) error { return c.Transition(domain.StateOpen) }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < people; i++ {
		w.addUser(voterID(i), "Đại biểu", "")
	}
	w.withClock(clock)
	tick := func() { w.apps[len(w.apps)-1].Tick(ctx) }
	tick() // plans the reminders
	clock.Set(time.Date(2025, 11, 21, 8, 1, 0, 0, hcm))

	reached := func() int {
		n := 0
		for i := 0; i < people; i++ {
			if len(w.botMessages(voterID(i))) > 0 {
				n++
			}
		}
		return n
	}
	begun := time.Now()
	// A fan-out that met an undeliverable send leaves that person unmarked
	// and is retried on a later tick, as the running bot does every 5 s.
	for deadline := time.Now().Add(90 * time.Second); reached() < people && time.Now().Before(deadline); {
		tick()
	}
	tick() // one more tick must send nobody anything again
	time.Sleep(500 * time.Millisecond)
	for i := 0; i < people; i++ {
		if n := len(w.botMessages(voterID(i))); n != 1 {
			t.Errorf("delegate %d got the reminder %d times", voterID(i), n)
		}
	}
	calls := len(w.sim.Calls("sendMessage"))
	t.Logf("%d reminders delivered in %v with %d sendMessage calls (%d answered 429)",
		reached(), time.Since(begun).Round(time.Millisecond), calls, w.sim.Count429())
	if calls <= people {
		t.Errorf("only %d sendMessage calls for %d people: no send failed, the test proves nothing", calls, people)
	}
}
