package e2e_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/conffile/conffiletest"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/workbook"
)

// TestVietnameseUnitCode imports, as a workbook, the reference conference
// with VTCY recoded NĐ (as Nam Định would be), and names the unit as a
// person types it: nd, ND or NĐ.
func TestVietnameseUnitCode(t *testing.T) {
	const secondAdmin = 900002
	w := newWorld(t, withEnv("BOT_ADMINS", fmt.Sprintf("%d,%d", adminID, secondAdmin)))
	w.addUser(secondAdmin, "Admin 2", "")
	for unit, id := range heads {
		w.addUser(id, "Thủ trưởng "+unit, "")
	}
	w.addUser(100011, "Cán bộ thi đua CNTT", "")
	// The secretary's workbook, the reference conference with NĐ in it.
	conf, err := conffile.Parse([]byte(strings.ReplaceAll(string(examples.Cum8), "VTCY", "NĐ")))
	if err != nil {
		t.Fatal(err)
	}
	var book bytes.Buffer
	if err := workbook.Write(&book, conf); err != nil {
		t.Fatal(err)
	}
	broken := book.Bytes()[:200] // a cut-off download: PK and then junk
	w.importFile("cum8-nd.xlsx", broken, "XLSX")
	w.importFile("cum8-nd.xlsx", book.Bytes(), "6")

	// An admin who imported nothing still sees the latest conference.
	w.say(secondAdmin, "/status", "Hội nghị tổng kết phong trào thi đua")
	// /template gives the conference back as a workbook, NĐ and all.
	sent := w.say(adminID, "/template", "Sổ tính của")
	if sent.Document == nil || sent.Document.Name != "cum8-bt-tk-2022.xlsx" {
		t.Fatalf("/template sent %+v", sent.Document)
	}
	back, err := workbook.Parse(sent.Document.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	conffiletest.AssertSame(t, conf, back)

	// The invite is a tappable link and a button, for the unit typed nd.
	invite := w.say(adminID, "/invite nd delegate", "https://t.me/"+botName+"?start=")
	if !strings.Contains(invite.Text, "NĐ") {
		t.Errorf("the invite does not name NĐ: %q", invite.Text)
	}
	if len(invite.Buttons) != 1 || !strings.HasPrefix(invite.Buttons[0][0].URL, "https://t.me/"+botName+"?start=") {
		t.Errorf("the invite has no URL button: %+v", invite.Buttons)
	}
	if !strings.Contains(invite.RawText, `<a href="https://t.me/`) {
		t.Errorf("the invite link is not tappable: %q", invite.RawText)
	}

	w.say(100001, "/conference open", "Đã chuyển")
	w.say(100001, "/checkin open", "")
	for unit := range heads {
		typed := strings.ToLower(strings.ReplaceAll(unit, "VTCY", "nd"))
		w.say(100001, "/present "+typed, "")
	}
	w.say(100001, "/status", "NĐ")
	w.say(100001, "/ballot open co-bca", "Cờ thi đua của Bộ Công an")
	w.say(heads["VTCY"], "/vote co-bca nd:yes cntt:yes", "Mã biên nhận")
	w.say(heads["CNTT"], "/vote co-bca NĐ:yes CNTT:no", "Mã biên nhận")
	w.say(heads["KHTC"], "/vote co-bca Nđ:no", "Mã biên nhận")
	w.say(heads["TBKV"], "/vote co-bca XX:yes", "XX")

	// The typed marks counted for NĐ: yes from nd and NĐ, no from Nđ.
	// The tally is the close's effect: it follows the answer, as a job.
	before := len(w.botMessages(100001))
	w.say(100001, "/ballot close co-bca", "Kết quả kiểm phiếu đang được gửi")
	tally := w.waitNew(100001, before, "📊")
	line := ""
	for _, l := range strings.Split(tally.Text, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, "• "), "NĐ") {
			line = l
		}
	}
	if !strings.Contains(line, "đồng ý 2") || !strings.Contains(line, "không đồng ý 1") {
		t.Errorf("NĐ's line in the tally is %q:\n%s", line, tally.Text)
	}
}
