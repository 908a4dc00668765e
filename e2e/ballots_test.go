package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

const groupChat = -1001000000008

var heads = map[string]int64{"CNTT": 100001, "KHTC": 100002, "QLXD": 100003, "TBKV": 100004, "VTCY": 100005, "VKHCN": 100006}

// referenceWorld imports the reference conference, adds its people and the
// group chat, and puts the conference in session.
func referenceWorld(t *testing.T, opts ...worldOption) *world {
	t.Helper()
	return referenceWorldWith(t, examples.Cum8, opts...)
}

// referenceWorldWith is referenceWorld with another version of the file.
func referenceWorldWith(t *testing.T, file []byte, opts ...worldOption) *world {
	t.Helper()
	w := newWorld(t, opts...)
	w.sim.AddGroup(groupChat, "Cụm thi đua số 8")
	for unit, id := range heads {
		w.addUser(id, "Thủ trưởng "+unit, "")
	}
	w.addUser(100011, "Cán bộ thi đua CNTT", "")
	w.addUser(100012, "Cán bộ thi đua KHTC", "")
	w.addUser(100021, "Đại diện Cục CTĐ&CTCT", "")
	w.importFile("cum8-2022.yaml", file, "6")
	// The secretary opens registration, then check-in (which starts the
	// session), and marks every unit present.
	w.say(100001, "/conference open", "Đã chuyển")
	w.say(100001, "/checkin open", "")
	for unit := range heads {
		w.say(100001, "/present "+unit, "Đã xác nhận đơn vị "+unit)
	}
	return w
}

// press presses a button and waits until its callback is answered.
func (w *world) press(user, chat int64, msgID int64, data string) string {
	w.t.Helper()
	_, q := w.sim.PressButton(user, chat, msgID, data)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return len(w.sim.CallbackAnswers(q)) > 0 }); err != nil {
		w.t.Fatalf("button %q was not answered", data)
	}
	return w.sim.CallbackAnswers(q)[0].Text
}

// message returns the current state of a bot message.
func (w *world) message(chat, id int64) telegramsim.Message {
	for _, m := range w.sim.Chat(chat) {
		if m.ID == id {
			return m
		}
	}
	w.t.Fatalf("no message %d in chat %d", id, chat)
	return telegramsim.Message{}
}

func buttonData(m telegramsim.Message, prefix, contains string) string {
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.CallbackData, prefix) && strings.Contains(b.Text, contains) {
				return b.CallbackData
			}
		}
	}
	return ""
}

// buttonFor is the data of m's button of action whose argument is arg:
// callback data is "action:conference:arg".
func buttonFor(t *testing.T, m telegramsim.Message, action, arg string) string {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.CallbackData, action+":") && strings.HasSuffix(b.CallbackData, ":"+arg) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no %s button for %q on the message: %+v", action, arg, m.Buttons)
	return ""
}

func TestReferenceBallots(t *testing.T) {
	w := referenceWorld(t)
	vi := i18n.VI

	// co-bca: approve, secret, > 50 % of 6 members, quota 2.
	w.say(100001, "/ballot open co-bca", "Cờ thi đua của Bộ Công an")
	w.waitNew(groupChat, 0, "Cờ thi đua của Bộ Công an")

	// The CNTT head votes with buttons: CNTT yes, KHTC yes, QLXD yes.
	ballotMsg := w.waitNew(100001, 0, "Xem lại")
	_ = ballotMsg
	var screen telegramsim.Message
	for _, m := range w.botMessages(100001) {
		if len(m.Buttons) > 0 && strings.Contains(m.Text, "Cờ thi đua của Bộ Công an") {
			screen = m
		}
	}
	for _, unit := range []string{"CNTT", "KHTC", "QLXD"} {
		data := buttonData(screen, "bv:", unit)
		w.press(100001, 100001, screen.ID, data)
		screen = w.message(100001, screen.ID)
	}
	if buttonData(screen, "bv:", "CNTT — Cục Công nghệ thông tin: đồng ý") == "" {
		t.Fatalf("the ballot screen does not show the marks:\n%+v", screen.Buttons)
	}
	w.press(100001, 100001, screen.ID, buttonData(screen, "bc:", ""))
	screen = w.message(100001, screen.ID)
	if !strings.Contains(screen.Text, "Xác nhận phiếu") {
		t.Fatalf("no confirmation screen: %q", screen.Text)
	}
	submit := buttonData(screen, "bs:", "")
	if toast := w.press(100001, 100001, screen.ID, submit); toast != w.text(vi, "vote.cast_toast") {
		t.Errorf("cast answered %q", toast)
	}
	screen = w.message(100001, screen.ID)
	if !strings.Contains(screen.Text, "Mã biên nhận") {
		t.Fatalf("no receipt after casting: %q", screen.Text)
	}
	// A double click casts nothing new.
	w.press(100001, 100001, screen.ID, submit)

	// The others type. Yes counts: CNTT 6, KHTC 5, QLXD 4, TBKV 3, VTCY 2, VKHCN 1.
	typed := map[string]string{
		"KHTC":  "CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:yes VKHCN:yes",
		"QLXD":  "CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:yes VKHCN:no",
		"TBKV":  "CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:no",
		"VTCY":  "CNTT:yes KHTC:yes QLXD:no TBKV:no",
		"VKHCN": "CNTT:yes KHTC:no",
	}
	for unit, marks := range typed {
		w.say(heads[unit], "/vote co-bca "+marks, "Mã biên nhận")
	}
	// While open, only turnout is shown — to the secretary too.
	open := w.say(100011, "/tally co-bca", "6/6")
	if strings.Contains(open.Text, "đồng ý") {
		t.Errorf("an open secret ballot showed more than turnout: %q", open.Text)
	}
	// Refusals that change nothing.
	w.say(100021, "/vote co-bca CNTT:yes", w.text(vi, "vote.not_eligible"))
	before := len(w.botMessages(groupChat))
	w.sim.SendText(100002, groupChat, "/vote co-bca CNTT:no")
	w.waitNew(groupChat, before, "https://t.me/"+botName)
	w.say(100002, "/vote co-bca ZZZ:yes", w.text(vi, "vote.error.not_candidate", "unit", "ZZZ"))

	w.say(100001, "/ballot close co-bca", "Kết quả kiểm phiếu")
	for _, chat := range []int64{100001, 100011, groupChat} {
		msg := w.waitNew(chat, 0, "Kết quả kiểm phiếu: Cờ thi đua của Bộ Công an")
		for _, want := range []string{"Đề nghị (chỉ tiêu 2): CNTT, KHTC", "CNTT — Cục Công nghệ thông tin: đồng ý 6, không đồng ý 0, không ý kiến 0 — 100%",
			"QLXD — Cục Quản lý xây dựng và doanh trại: đồng ý 4", "đạt nhưng ngoài chỉ tiêu", "Số phiếu thu vào: 6/6"} {
			if !strings.Contains(msg.Text, want) {
				t.Errorf("chat %d: the tally lacks %q:\n%s", chat, want, msg.Text)
			}
		}
	}
	// The chart follows the text, as a PNG photo.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool {
		for _, m := range w.botMessages(100011) {
			if m.Photo != nil && strings.Contains(m.Text, "Cờ thi đua của Bộ Công an") && bytes.HasPrefix(m.Photo.Bytes, []byte("\x89PNG")) {
				return true
			}
		}
		return false
	}); err != nil {
		t.Error("the secretary got no chart of the tally")
	}
	// Voters get the counted receipts and find theirs.
	receipts := w.waitNew(100002, 0, "6 phiếu được kiểm")
	mine := w.say(100002, "/receipts co-bca", "Mã biên nhận của đồng chí")
	code := mine.Text[strings.LastIndex(mine.Text, " ")+1:]
	if !strings.Contains(receipts.Text, code) {
		t.Errorf("the voter's receipt %s is not in the published list:\n%s", code, receipts.Text)
	}
	w.say(100002, "/vote co-bca CNTT:no", w.text(vi, "vote.closed", "ballot", "co-bca"))
	// The screen shows the receipt now: its old "send" button is no longer
	// on it, so pressing that data is refused and changes nothing.
	if toast := w.press(100001, 100001, screen.ID, submit); toast != w.text(vi, "error.bad_button") {
		t.Errorf("a cast after closing was answered %q", toast)
	}

	// co-cp: elect among the holders of co-bca (CNTT, KHTC): CNTT 4 of 6.
	w.say(100001, "/ballot open co-cp", "Cờ thi đua của Chính phủ")
	w.say(100003, "/vote co-cp QLXD", w.text(vi, "vote.error.not_candidate", "unit", "QLXD"))
	for unit, pick := range map[string]string{"CNTT": "KHTC", "KHTC": "CNTT", "QLXD": "CNTT", "TBKV": "CNTT", "VTCY": "CNTT", "VKHCN": "KHTC"} {
		w.say(heads[unit], "/vote co-cp "+pick, "Mã biên nhận")
	}
	w.say(100001, "/ballot close co-cp", "Kết quả kiểm phiếu")
	w.waitNew(100011, 0, "Đề nghị (chỉ tiêu 1): CNTT")

	// bang-khen: choose 2 of [KHTC, QLXD, TBKV, VTCY] less co-bca's winners
	// (one award per achievement: KHTC is out), named, > 50 % of valid ballots.
	w.say(100001, "/ballot open bang-khen", "Bằng khen")
	w.say(heads["QLXD"], "/vote bang-khen KHTC QLXD", w.text(vi, "vote.error.not_candidate", "unit", "KHTC"))
	w.say(heads["QLXD"], "/vote bang-khen CNTT", w.text(vi, "vote.error.not_candidate", "unit", "CNTT"))
	for unit, picks := range map[string]string{"CNTT": "QLXD TBKV", "KHTC": "QLXD TBKV", "QLXD": "QLXD TBKV", "TBKV": "TBKV VTCY", "VTCY": "QLXD TBKV", "VKHCN": "QLXD VTCY"} {
		w.say(heads[unit], "/vote bang-khen "+picks, "Mã biên nhận")
	}
	w.say(heads["CNTT"], "/vote bang-khen QLXD TBKV VTCY", w.text(vi, "vote.error.too_many", "max", 2))
	w.say(100001, "/ballot close bang-khen", "Kết quả kiểm phiếu")
	named := w.waitNew(100011, 0, "Kết quả kiểm phiếu: Bằng khen của Bộ trưởng Bộ Công an")
	for _, want := range []string{"Đề nghị (chỉ tiêu 2): QLXD, TBKV", "Phiếu công khai", "VKHCN: QLXD, VTCY"} {
		if !strings.Contains(named.Text, want) {
			t.Errorf("the bang-khen tally lacks %q:\n%s", want, named.Text)
		}
	}

	// cum-pho-2023 leaves next year's chair out: it waits for that election.
	w.say(100001, "/ballot open cum-pho-2023", w.text(vi, "ballot.prerequisite_pending", "ballot", "cum-pho-2023", "prerequisite", "cum-truong-2023"))

	// cum-truong-2023: elect, no self vote; VKHCN elected → next year's chair.
	w.say(100001, "/ballot open cum-truong-2023", "Cụm trưởng năm 2023")
	w.say(heads["VKHCN"], "/vote cum-truong-2023 VKHCN", w.text(vi, "vote.error.self_vote", "unit", "VKHCN"))
	for unit, pick := range map[string]string{"CNTT": "VKHCN", "KHTC": "VKHCN", "QLXD": "VKHCN", "TBKV": "VKHCN", "VTCY": "KHTC", "VKHCN": "KHTC"} {
		w.say(heads[unit], "/vote cum-truong-2023 "+pick, "Mã biên nhận")
	}
	w.say(100001, "/ballot close cum-truong-2023", "Kết quả kiểm phiếu")
	w.waitNew(100011, 0, "Đơn vị Cụm trưởng năm 2023: VKHCN — Viện Khoa học và công nghệ")
	// Every state change is in the audit log, with who did it.
	log := w.say(100001, "/audit 50", "Đóng bỏ phiếu và kiểm phiếu")
	for _, want := range []string{"Nạp tệp hội nghị", "Mở đăng ký hội nghị", "Mở điểm danh", "Ghi nhận có mặt", "Mở bỏ phiếu", "co-bca, vòng 1"} {
		if !strings.Contains(log.Text, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, log.Text)
		}
	}
	c, err := w.store.Conference(context.Background(), cum8)
	if err != nil || c.NextChairUnit != "VKHCN" {
		t.Fatalf("next chair = %q, %v; want VKHCN", c.NextChairUnit, err)
	}

	// cum-pho-2023: every member unit but next year's chair (VKHCN); KHTC
	// elected → next year's deputy chair.
	w.say(100001, "/ballot open cum-pho-2023", "Cụm phó năm 2023")
	w.say(heads["CNTT"], "/vote cum-pho-2023 VKHCN", w.text(vi, "vote.error.not_candidate", "unit", "VKHCN"))
	for unit, pick := range map[string]string{"CNTT": "KHTC", "KHTC": "QLXD", "QLXD": "KHTC", "TBKV": "KHTC", "VTCY": "KHTC", "VKHCN": "KHTC"} {
		w.say(heads[unit], "/vote cum-pho-2023 "+pick, "Mã biên nhận")
	}
	w.say(100001, "/ballot close cum-pho-2023", "Kết quả kiểm phiếu")
	deputy := w.waitNew(100011, 0, "Đơn vị Cụm phó năm 2023: KHTC — Cục Kế hoạch và tài chính")
	if !strings.Contains(deputy.Text, w.text(vi, "tally.elected")) {
		t.Errorf("the deputy election's tally does not say trúng cử:\n%s", deputy.Text)
	}
	if c, err := w.store.Conference(context.Background(), cum8); err != nil || c.NextDeputyUnit != "KHTC" || c.NextChairUnit != "VKHCN" {
		t.Fatalf("next deputy = %q (chair %q), %v; want KHTC (VKHCN)", c.NextDeputyUnit, c.NextChairUnit, err)
	}
}

func TestConcurrentVotersThroughTheSimulator(t *testing.T) {
	w := newWorld(t)
	const voters = 200
	w.importFile("big.yaml", loadConference(voters), "Hội nghị")
	if _, err := w.store.UpdateConference(context.Background(), "big/y2025", func(c *domain.Conference) error {
		_ = c.Transition(domain.StateOpen)
		return c.Transition(domain.StateInSession)
	}); err != nil {
		t.Fatal(err)
	}
	w.addUser(loadBaseID+voters, "Thư ký", "")
	if err := w.store.SetActive(context.Background(), adminID, "big/y2025"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < voters; i++ {
		w.addUser(int64(loadBaseID+i), fmt.Sprint("Đại biểu ", i), "")
	}
	w.say(adminID, "/ballot open khen", "Chưa đủ số lượng có mặt")
	w.say(adminID, "/quorum override", "")
	w.say(adminID, "/ballot open khen", "200")

	// Everyone votes at once; every third voter also changes their mind.
	var wg sync.WaitGroup
	for i := 0; i < voters; i++ {
		wg.Add(1)
		go func(id int64, i int) {
			defer wg.Done()
			w.sim.SendText(id, id, "/vote khen A:no B:no")
			if i%3 == 0 {
				w.sim.SendText(id, id, "/vote khen A:yes B:no")
			}
		}(int64(loadBaseID+i), i)
	}
	wg.Wait()
	for i := 0; i < voters; i++ {
		id := int64(loadBaseID + i)
		want := 1
		if i%3 == 0 {
			want = 2
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := w.sim.Await(ctx, func() bool { return countContaining(w.botMessages(id), "Mã biên nhận") == want })
		cancel()
		if err != nil {
			t.Fatalf("voter %d: %d receipts, want %d", id, countContaining(w.botMessages(id), "Mã biên nhận"), want)
		}
	}
	counters, err := w.store.Counters(context.Background(), "big/y2025", "khen", 1)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := w.store.Recount(context.Background(), "big/y2025", "khen", 1)
	if err != nil {
		t.Fatal(err)
	}
	if counters.Ballots != voters || counters.Yes["A"] != 67 || counters.No["A"] != 133 || counters.No["B"] != voters || !counters.Equal(recount) {
		t.Errorf("counters %+v, recount %+v; want 200 ballots, A yes 67 no 133, B no 200", counters, recount)
	}
}

func countContaining(msgs []telegramsim.Message, s string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}
