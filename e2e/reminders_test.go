package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/confbot/confbot/telegramsim"
)

// TestRemindersGoToThoseWhoOwe plays the summary reminders and the weekday
// digest of the reference file on a fake clock: each goes only to those who
// still owe something, once, across ticks and a restart.
func TestRemindersGoToThoseWhoOwe(t *testing.T) {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := newTestClock(time.Date(2022, 11, 10, 16, 0, 0, 0, hcm))
	w := attendanceWorld(t, clock)
	tick := func() { w.apps[len(w.apps)-1].Tick(context.Background()) }
	tick() // plans the schedule from the imported file

	w.say(headCNTT, "/conference open", "")
	w.say(headQLXD, "/summary score 88", "QLXD")

	clock.Set(time.Date(2022, 11, 10, 17, 0, 0, 0, hcm)) // 168h before the deadline; a Thursday
	tick()
	tick() // a second tick sends nothing twice

	owes := []int64{headCNTT, secretaryCNTT, headKHTC, delegateKHTC, headTBKV, headVTCY, headVKHCN}
	for _, id := range owes {
		w.waitNew(id, 0, "Nhắc việc: đơn vị")
	}
	for _, id := range []int64{headCNTT, secretaryCNTT} {
		w.waitNew(id, 0, "Bản tin tình hình hội nghị")
	}
	w.withClock(clock) // a restart: state is in Redis
	tick()
	clock.Set(time.Date(2022, 11, 14, 17, 0, 0, 0, hcm)) // 72h before; Monday's digest too
	tick()
	for _, id := range owes {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := w.sim.Await(ctx, func() bool { return countContaining(w.botMessages(id), "Nhắc việc: đơn vị") == 2 })
		cancel()
		if err != nil {
			t.Errorf("chat %d: %d summary reminders, want 2", id, countContaining(w.botMessages(id), "Nhắc việc: đơn vị"))
		}
	}
	if n := countContaining(w.botMessages(headQLXD), "Nhắc việc"); n != 0 {
		t.Errorf("QLXD submitted but got %d reminders", n)
	}
	if n := countContaining(w.botMessages(guestCTDCT), "Nhắc việc"); n != 0 {
		t.Errorf("the guest got %d reminders", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = w.sim.Await(ctx, func() bool { return countContaining(w.botMessages(secretaryCNTT), "Bản tin tình hình") >= 2 })
	if n := countContaining(w.botMessages(secretaryCNTT), "Bản tin tình hình"); n != 2 {
		t.Errorf("the secretary got %d digests, want 2 (Thursday and Monday)", n)
	}
	w.say(headCNTT, "/reminders", "Nhắc việc sắp tới")
}

// TestRemindNow: the secretary previews who still owes a summary, then
// sends it with one press; a double press sends once.
func TestRemindNow(t *testing.T) {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := newTestClock(time.Date(2022, 11, 15, 9, 0, 0, 0, hcm))
	w := attendanceWorld(t, clock)
	w.say(headCNTT, "/conference open", "")
	for _, id := range []int64{headCNTT, headKHTC, headTBKV, headVTCY, headVKHCN} {
		w.say(id, "/summary score 90", "")
	}
	preview := w.say(secretaryCNTT, "/remind summary", "Thủ trưởng QLXD")
	if countContaining([]telegramsim.Message{preview}, "Thủ trưởng KHTC") != 0 {
		t.Errorf("the preview lists a unit that submitted:\n%s", preview.Text)
	}
	data := buttonData(preview, "rm:", "")
	answers := w.pressAll(secretaryCNTT, preview.ID, data, 2)
	_ = answers
	w.waitNew(secretaryCNTT, 0, "Đã gửi nhắc việc tới 1/1 người")
	w.waitNew(headQLXD, 0, "Nhắc việc: đơn vị")
	w.say(secretaryCNTT, "/help", "/status") // everything before has arrived
	if n := countContaining(w.botMessages(headQLXD), "Nhắc việc"); n != 1 {
		t.Errorf("QLXD got %d reminders from a double press, want 1", n)
	}
	w.say(secretaryCNTT, "/remind nonsense", "/remind summary")
	w.say(headKHTC, "/remind summary", "không có quyền")
}
