package e2e_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

// roundTrips counts the Redis round trips made while handling each update:
// a command or a whole pipeline is one, whatever it carries; what runs
// outside an update's handling (the poller's push, the sweeps, the
// scheduler) is not counted.
type roundTrips struct {
	mu   sync.Mutex
	by   map[int64]int
	cmds map[int64][]string
}

func newRoundTrips() *roundTrips {
	return &roundTrips{by: map[int64]int{}, cmds: map[int64][]string{}}
}

func (rt *roundTrips) add(ctx context.Context, names ...string) {
	id, ok := bot.UpdateIDFrom(ctx)
	if !ok {
		return
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.by[id]++
	rt.cmds[id] = append(rt.cmds[id], strings.Join(names, "+"))
}

func (rt *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (rt *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		rt.add(ctx, cmdName(cmd))
		return next(ctx, cmd)
	}
}

func (rt *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		names := make([]string, len(cmds))
		for i, c := range cmds {
			names[i] = cmdName(c)
		}
		rt.add(ctx, names...)
		return next(ctx, cmds)
	}
}

func cmdName(c redis.Cmder) string {
	name := c.Name()
	if args := c.Args(); len(args) > 1 && (name == "evalsha" || name == "eval") {
		s := fmt.Sprint(args[1])
		if len(s) > 8 {
			s = s[:8]
		}
		name += "(" + s + ")"
	}
	return name
}

// ids are the updates counted so far.
func (rt *roundTrips) ids() []int64 {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var out []int64
	for id := range rt.by {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func (rt *roundTrips) of(id int64) (int, []string) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.by[id], slices.Clone(rt.cmds[id])
}

// measure runs act (one update, whose reply it waits for) and returns the
// round trips its update made, once the bot has finished with it (its chat's
// inbox is empty again).
func (rt *roundTrips) measure(t *testing.T, w *world, chat int64, act func()) (int, []string) {
	t.Helper()
	before := rt.ids()
	act()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var id int64
	for id == 0 {
		for _, x := range rt.ids() {
			if !slices.Contains(before, x) {
				id = x
			}
		}
		if id == 0 && ctx.Err() != nil {
			t.Fatal("no update was counted")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Done when the chat has nothing waiting and the count is settled.
	for {
		chats, err := w.store.InboxChats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(chats, chat) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("chat %d still has updates waiting", chat)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return rt.of(id)
}

// check measures act and fails when its update made more than limit round trips.
func (rt *roundTrips) check(t *testing.T, w *world, name string, limit int, chat int64, act func()) {
	t.Helper()
	n, cmds := rt.measure(t, w, chat, act)
	t.Logf("%s: %d round trips: %v", name, n, cmds)
	if n > limit {
		t.Errorf("%s: %d round trips, want ≤ %d: %v", name, n, limit, cmds)
	}
}

// TestRoundTripsPerUpdate: the common updates reach Redis at most three
// times (one read, one atomic write, one finishing write), /whoami twice —
// counted by a go-redis hook, not timed. Each person has written once
// before (a person's first update also learns what to read ahead).
func TestRoundTripsPerUpdate(t *testing.T) {
	w := referenceWorld(t)
	rt := newRoundTrips()
	w.store.Client().AddHook(rt)

	check := func(name string, limit int, chat int64, act func()) {
		t.Helper()
		rt.check(t, w, name, limit, chat, act)
	}

	head := heads["KHTC"]
	rt.measure(t, w, head, func() { w.say(head, "/whoami", "") })
	check("/whoami", 2, head, func() { w.say(head, "/whoami", "") })

	w.say(100001, "/ballot open co-bca", "")
	rt.measure(t, w, head, func() { w.say(head, "/vote co-bca", "") })
	check("typed vote", 3, head, func() { w.say(head, "/vote co-bca CNTT:yes", "") })
	check("typed vote, changed", 3, head, func() { w.say(head, "/vote co-bca CNTT:no", "") })

	voter := heads["QLXD"]
	var screen telegramsim.Message
	rt.measure(t, w, voter, func() { screen = w.say(voter, "/vote co-bca", "") })
	data := buttonData(screen, "bv:", "CNTT")
	w.press(voter, voter, screen.ID, data)
	review := buttonData(w.message(voter, screen.ID), "bc:", "")
	rt.measure(t, w, voter, func() { w.press(voter, voter, screen.ID, review) })
	submit := buttonData(w.message(voter, screen.ID), "bs:", "")
	check("button vote", 3, voter, func() { w.press(voter, voter, screen.ID, submit) })
}

// TestRoundTripsOfAttendance: /attend and /checkin CODE, each by a person
// doing it for the first time (the plan comes from another person's).
func TestRoundTripsOfAttendance(t *testing.T) {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := newTestClock(time.Date(2022, 11, 20, 9, 0, 0, 0, hcm))
	w := attendanceWorld(t, clock)
	rt := newRoundTrips()
	w.store.Client().AddHook(rt)
	check := func(name string, limit int, chat int64, act func()) {
		t.Helper()
		rt.check(t, w, name, limit, chat, act)
	}
	w.say(headCNTT, "/conference open", "")
	// Another person's first (each measure waits until its update is done).
	rt.measure(t, w, headKHTC, func() { w.say(headKHTC, "/attend yes", w.text(i18n.VI, "attend.recorded_yes")) })
	check("/attend", 3, headTBKV, func() { w.say(headTBKV, "/attend yes", w.text(i18n.VI, "attend.recorded_yes")) })

	clock.Set(time.Date(2022, 11, 24, 7, 30, 0, 0, hcm))
	live := w.say(headCNTT, "/checkin open", "/checkin ")
	code := codeRe.FindStringSubmatch(live.Text)
	if code == nil {
		t.Fatalf("no code on the live message: %q", live.Text)
	}
	rt.measure(t, w, headKHTC, func() { w.say(headKHTC, "/checkin "+code[1], "") })
	check("/checkin CODE", 3, headTBKV, func() { w.say(headTBKV, "/checkin "+code[1], "") })
	people, _, err := w.store.Presence(context.Background(), cum8)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := people[headTBKV]; !ok {
		t.Errorf("the measured check-in was not recorded: %v", people)
	}
}
