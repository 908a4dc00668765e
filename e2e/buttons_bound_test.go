package e2e_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

const (
	cum8Ref = "cum8-bt/tk-2022"
	cum9Ref = "cum9-bt/tk-2022"
	group9  = -1001000000009
)

// twoConferences is the reference world plus a second cluster with the
// same people, both in session with every unit present.
func twoConferences(t *testing.T) *world {
	t.Helper()
	w := referenceWorld(t)
	cum9 := bytes.Replace(examples.Cum8, []byte("id: cum8-bt"), []byte("id: cum9-bt"), 1)
	cum9 = bytes.Replace(cum9, []byte("group_chat: -1001000000008"), []byte("group_chat: -1001000000009"), 1)
	w.sim.AddGroup(group9, "Cụm thi đua số 9")
	w.importFile("cum9.yaml", cum9, "6")
	w.say(100001, "/use "+cum9Ref, "cum9-bt/tk-2022")
	w.say(100001, "/conference open", "Đã chuyển")
	w.say(100001, "/checkin open", "")
	for unit := range heads {
		w.say(100001, "/present "+unit, "Đã xác nhận đơn vị "+unit)
	}
	return w
}

// screens are the ballot screens a person was sent, oldest first.
func screens(w *world, chat int64) []telegramsim.Message {
	var out []telegramsim.Message
	for _, m := range w.botMessages(chat) {
		if strings.HasPrefix(m.Text, "🗳") {
			out = append(out, m)
		}
	}
	return out
}

func turnout(t *testing.T, w *world, ref string) int {
	t.Helper()
	voted, _, err := w.store.Turnout(context.Background(), ref, "co-bca", 1)
	if err != nil {
		t.Fatal(err)
	}
	return voted
}

// TestButtonsActOnTheirOwnConference replays the attack of one vote landing
// in the other conference: the same people in two clusters, co-bca open in
// each. The buttons of cum9's screen count in cum9; a typed /vote counts in
// the conference chosen with /use.
func TestButtonsActOnTheirOwnConference(t *testing.T) {
	w := twoConferences(t)
	w.say(100001, "/ballot open co-bca", "Đã mở phiếu") // cum9, chosen above
	w.say(100001, "/use "+cum8Ref, "cum8-bt/tk-2022")
	w.say(100001, "/ballot open co-bca", "Đã mở phiếu")
	w.waitNew(100002, 0, "🗳")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return len(screens(w, 100002)) == 2 }); err != nil {
		t.Fatalf("KHTC's head did not get both ballots: %v", err)
	}
	cum9Screen := screens(w, 100002)[0] // opened first
	w.press(100002, 100002, cum9Screen.ID, buttonData(cum9Screen, "bv:", "CNTT"))
	cum9Screen = w.message(100002, cum9Screen.ID)
	w.press(100002, 100002, cum9Screen.ID, buttonData(cum9Screen, "bc:", ""))
	cum9Screen = w.message(100002, cum9Screen.ID)
	if toast := w.press(100002, 100002, cum9Screen.ID, buttonData(cum9Screen, "bs:", "")); toast != w.text(i18n.VI, "vote.cast_toast") {
		t.Fatalf("casting on cum9's screen answered %q", toast)
	}
	if n9, n8 := turnout(t, w, cum9Ref), turnout(t, w, cum8Ref); n9 != 1 || n8 != 0 {
		t.Errorf("after a press on cum9's screen: cum9 turnout %d, cum8 %d; want 1 and 0", n9, n8)
	}
	w.say(100003, "/use "+cum9Ref, "cum9-bt/tk-2022")
	// The reply names the conference: the head has two.
	w.say(100003, "/vote co-bca CNTT:yes", "Hội nghị cum9-bt/tk-2022")
	if n9, n8 := turnout(t, w, cum9Ref), turnout(t, w, cum8Ref); n9 != 2 || n8 != 0 {
		t.Errorf("after a typed vote with cum9 chosen: cum9 turnout %d, cum8 %d; want 2 and 0", n9, n8)
	}
}

// TestBallotButtonsOnlyOnTheirScreen replays the attacks on the group's
// messages: an observer pressing a ballot button's data on the group's
// notice, and a head pressing their "send" data there. Both are refused,
// nothing is cast and the group's message is not rewritten.
func TestBallotButtonsOnlyOnTheirScreen(t *testing.T) {
	w := referenceWorld(t)
	w.say(100001, "/ballot open co-bca", "Đã mở phiếu")
	notice := w.waitNew(groupChat, 0, "🗳")
	screen := w.waitNew(100004, 0, "🗳")
	w.press(100004, 100004, screen.ID, buttonData(screen, "bc:", ""))
	confirm := w.message(100004, screen.ID)
	send := buttonData(confirm, "bs:", "")
	bad := w.text(i18n.VI, "error.bad_button")
	if toast := w.press(100021, groupChat, notice.ID, buttonData(screen, "bv:", "CNTT")); toast != bad {
		t.Errorf("an observer's forged mark on the group's notice answered %q", toast)
	}
	if toast := w.press(100004, groupChat, notice.ID, send); toast != bad {
		t.Errorf("a head's send pressed on the group's notice answered %q", toast)
	}
	if toast := w.press(100004, 100004, 0, send); toast != bad {
		t.Errorf("a send on no message answered %q", toast)
	}
	if got := w.message(groupChat, notice.ID); got.Text != notice.Text || got.Edited != 0 {
		t.Errorf("the group's notice was rewritten:\n%s", got.Text)
	}
	if n := turnout(t, w, cum8Ref); n != 0 {
		t.Errorf("turnout %d after refused presses, want 0", n)
	}
}

// TestClosedConferenceRefusesButtons replays the attack of a closed
// conference still changing through buttons: closing is refused while a
// ballot is open; once closed, a send button left on a screen is refused
// and counts nothing.
func TestClosedConferenceRefusesButtons(t *testing.T) {
	w := referenceWorld(t)
	w.say(100001, "/ballot open co-bca", "Đã mở phiếu")
	screen := w.waitNew(100005, 0, "🗳")
	w.press(100005, 100005, screen.ID, buttonData(screen, "bc:", ""))
	confirm := w.message(100005, screen.ID)
	w.say(100001, "/conference close", w.text(i18n.VI, "conference.close_ballots_open", "ballots", "co-bca"))
	w.say(100001, "/ballot close co-bca", "Kết quả kiểm phiếu đang được gửi")
	w.say(100001, "/conference close", "Đã chuyển")
	toast := w.press(100005, 100005, confirm.ID, buttonData(confirm, "bs:", ""))
	if !strings.Contains(toast, "đã chốt") {
		t.Errorf("a send on a closed conference answered %q", toast)
	}
	if n := turnout(t, w, cum8Ref); n != 0 {
		t.Errorf("turnout %d after the conference closed, want 0", n)
	}
}
