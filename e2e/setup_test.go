package e2e_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/i18n"
)

const cum8 = "cum8-bt/tk-2022"

func TestImportThroughChat(t *testing.T) {
	w := newWorld(t)
	w.importFile("cum8-2022.yaml", examples.Cum8, w.text(i18n.VI, "import.ok_new",
		"conference", "Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” Cụm thi đua số 8 năm 2022",
		"units", 6, "ballots", 5, "people", 9))
	w.importFile("cum8-2022.yaml", examples.Cum8, w.text(i18n.VI, "import.ok_unchanged"))

	moved := bytes.Replace(examples.Cum8, []byte(`summary_deadline: "2022-11-17 17:00"`), []byte(`summary_deadline: "2022-11-18 17:00"`), 1)
	msg := w.importFile("cum8-2022.yaml", moved, "conference.summary_deadline")
	if !strings.Contains(msg.Text, "2022-11-18 17:00") {
		t.Errorf("the change list does not show the new deadline:\n%s", msg.Text)
	}

	w.importFile("cum12-full.yaml", examples.Cum12, "12 đơn vị")
	refs, err := w.store.Conferences(context.Background())
	if err != nil || len(refs) != 2 {
		t.Fatalf("conferences stored: %v, %v", refs, err)
	}

	if _, err := w.store.UpdateConference(context.Background(), cum8, func(c *domain.Conference) error {
		if err := c.Transition(domain.StateOpen); err != nil {
			return err
		}
		return c.Transition(domain.StateInSession)
	}); err != nil {
		t.Fatal(err)
	}
	w.importFile("cum8-2022.yaml", examples.Cum8, w.text(i18n.VI, "import.refused_in_session"))
	c, _ := w.store.Conference(context.Background(), cum8)
	if c.SummaryDeadline.Day() != 18 {
		t.Errorf("a refused import changed the conference: deadline %v", c.SummaryDeadline)
	}
}

func TestImportBadInput(t *testing.T) {
	w := newWorld(t)
	broken := bytes.Replace(examples.Cum8, []byte("timezone: Asia/Ho_Chi_Minh"), []byte("timezone: Mars/Olympus"), 1)
	broken = bytes.Replace(broken, []byte("quota: 2\n    closes_after: 15m"), []byte("quota: 2\n    closes_after: soon"), 1)
	broken = bytes.Replace(broken, []byte("chair_unit: CNTT"), []byte("chair_unit: XXX"), 1)
	msg := w.importFile("broken.yaml", broken, "Mars/Olympus")
	for _, want := range []string{"dòng 12: cluster.timezone: “Mars/Olympus” không phải là múi giờ đã biết", "closes_after", "chair_unit"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("the error list lacks %q:\n%s", want, msg.Text)
		}
	}
	w.importFile("junk.yaml", []byte("cluster: [unclosed"), "dòng 1")
	w.importFile("binary.yaml", []byte{0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2}, w.text(i18n.VI, "import.errors", "count", 1))
	w.importFile("photo.png", []byte("x"), w.text(i18n.VI, "import.wrong_type"))
	huge := bytes.Repeat([]byte("# padding\n"), 110_000)
	w.importFile("huge.yaml", huge, w.text(i18n.VI, "import.too_big", "max", "1 MiB"))

	// A non-admin sending the file changes nothing.
	w.addUser(6001, "Khách", "")
	before := len(w.botMessages(6001))
	w.sim.SendDocument(6001, 6001, "cum8-2022.yaml", "application/x-yaml", examples.Cum8, "/import")
	w.waitNew(6001, before, w.text(i18n.VI, "error.not_allowed"))

	if refs, _ := w.store.Conferences(context.Background()); len(refs) != 0 {
		t.Errorf("bad input stored conferences: %v", refs)
	}
}

var linkRe = regexp.MustCompile(`https://t\.me/` + botName + `\?start=([A-Za-z0-9_-]+)`)

func TestInviteJoinWhoamiLang(t *testing.T) {
	w := newWorld(t)
	w.importFile("cum8-2022.yaml", examples.Cum8, "6")

	// The file lists CNTT's head by id: recognised on the first message.
	w.addUser(100001, "Dương Văn Tính", "")
	who := w.say(100001, "/whoami", "CNTT")
	if !strings.Contains(who.Text, "thủ trưởng") || !strings.Contains(who.Text, "thư ký") {
		t.Errorf("whoami of CNTT's head lacks roles:\n%s", who.Text)
	}

	// The secretary invites a delegate of KHTC.
	msg := w.say(100001, "/invite KHTC", "https://t.me/"+botName)
	m := linkRe.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no deep link in %q", msg.Text)
	}
	w.addUser(7001, "Phương", "")
	w.say(7001, "/start "+m[1], "Cục Kế hoạch và tài chính")
	w.say(7001, "/whoami", "KHTC")
	w.addUser(7002, "Quang", "")
	w.say(7002, "/start "+m[1], w.text(i18n.VI, "start.token_used"))
	w.say(7002, "/start AAAAAAAAAAAAAAAAAAAAAA", w.text(i18n.VI, "start.token_invalid"))
	w.say(7002, "/start <script>", w.text(i18n.VI, "start.token_invalid"))
	w.say(7002, "/whoami", w.text(i18n.VI, "whoami.none"))

	// A plain delegate may not invite; unknown units and roles are refused.
	w.say(7001, "/invite VTCY", w.text(i18n.VI, "error.not_allowed"))
	w.say(100001, "/invite ZZZ", w.text(i18n.VI, "invite.unknown_unit", "unit", "ZZZ"))
	w.say(100001, "/invite KHTC admin", w.text(i18n.VI, "invite.bad_role", "role", "admin"))
	w.say(adminID, "/invite CTDCT observer", "https://t.me/"+botName)

	// Languages: per person.
	w.say(7001, "/lang en", w.text(i18n.EN, "lang.set", "lang_name", "English"))
	w.say(7001, "/whoami", "roles: delegate")
	w.say(100001, "/whoami", "vai trò")
	w.say(7001, "/lang fr", w.text(i18n.EN, "lang.usage"))
}

func TestUsernameRecognisedAndLangButtons(t *testing.T) {
	w := newWorld(t)
	withUsername := bytes.Replace(examples.Cum8,
		[]byte(`- {id: 100012, name: "Cán bộ thi đua KHTC", unit: KHTC, roles: [delegate]}`),
		[]byte(`- {username: "@khtc_delegate", name: "Cán bộ thi đua KHTC", unit: KHTC, roles: [delegate]}`), 1)
	w.importFile("cum8.yaml", withUsername, "6")
	w.addUser(8001, "Hạnh", "KHTC_Delegate")
	w.say(8001, "/whoami", "KHTC")

	msg := w.say(8001, "/lang", w.text(i18n.VI, "lang.usage"))
	if len(msg.Buttons) == 0 {
		t.Fatal("/lang without an argument shows no buttons")
	}
	var enData string
	for _, row := range msg.Buttons {
		for _, b := range row {
			if strings.HasSuffix(b.CallbackData, ":en") {
				enData = b.CallbackData
			}
		}
	}
	before := len(w.botMessages(8001))
	_, q := w.sim.PressButton(8001, 8001, msg.ID, enData)
	w.waitNew(8001, before, w.text(i18n.EN, "lang.set", "lang_name", "English"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return len(w.sim.CallbackAnswers(q)) == 1 }); err != nil {
		t.Errorf("the button press was not answered")
	}
	// Forged callback data: answered, nothing changes.
	_, q = w.sim.PressButton(8001, 8001, msg.ID, "lang:xx")
	_, q2 := w.sim.PressButton(8001, 8001, msg.ID, "vote:co-bca:forged")
	if err := w.sim.Await(ctx, func() bool { return len(w.sim.CallbackAnswers(q)) == 1 && len(w.sim.CallbackAnswers(q2)) == 1 }); err != nil {
		t.Fatal("forged button presses were not answered")
	}
	if a := w.sim.CallbackAnswers(q2)[0]; a.Text != w.text(i18n.EN, "error.bad_button") {
		t.Errorf("forged data answered %q", a.Text)
	}
	w.say(8001, "/whoami", "roles: delegate")
}
