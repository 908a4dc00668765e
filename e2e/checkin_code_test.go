package e2e_test

import (
	"context"
	"regexp"
	"testing"
	"time"
)

var codeRe = regexp.MustCompile(`/checkin (\d{6})`)

// TestCheckinCodeRollsOnScreen: the live check-in message, on the hall's
// screen, shows a new code when the window changes — by an edit, not a new
// message.
func TestCheckinCodeRollsOnScreen(t *testing.T) {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := newTestClock(time.Date(2022, 11, 24, 7, 30, 0, 0, hcm))
	w := attendanceWorld(t, clock)
	w.say(headCNTT, "/conference open", "")
	live := w.say(headCNTT, "/checkin open", "/checkin ")
	first := codeRe.FindStringSubmatch(live.Text)
	if first == nil {
		t.Fatalf("no code on the live message: %q", live.Text)
	}
	w.say(headCNTT, "/help", "/status") // replies come in order: everything before is in
	before := countContaining(w.botMessages(headCNTT), "/checkin ")
	clock.Set(clock.Now().Add(5 * time.Minute))
	w.apps[len(w.apps)-1].Tick(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var now []string
	err := w.sim.Await(ctx, func() bool {
		now = codeRe.FindStringSubmatch(w.message(headCNTT, live.ID).Text)
		return now != nil && now[1] != first[1]
	})
	if err != nil {
		t.Fatalf("the code on screen did not change after 5 minutes: %v", now)
	}
	// (The 1-hour "not registered" reminder may arrive meanwhile: it is due.)
	if after := countContaining(w.botMessages(headCNTT), "/checkin "); after != before {
		t.Errorf("the new code came as %d new messages, not an edit", after-before)
	}
	w.say(headKHTC, "/checkin "+now[1], "")
}
