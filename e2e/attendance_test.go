package e2e_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

const cum8Title = "Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” Cụm thi đua số 8 năm 2022"

// The reference people (examples/cum8-2022.yaml).
const (
	headCNTT, headKHTC, headQLXD, headTBKV, headVTCY, headVKHCN = 100001, 100002, 100003, 100004, 100005, 100006
	secretaryCNTT, delegateKHTC, guestCTDCT                     = 100011, 100012, 100021
)

const (
	mimePDF  = "application/pdf"
	mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

var ictZone = time.FixedZone("ICT", 7*3600)

func nov(day, hour, minute int) time.Time {
	return time.Date(2022, 11, day, hour, minute, 0, 0, ictZone)
}

var checkinCodeRe = regexp.MustCompile(`/checkin (\d{6})`)

// attendanceWorld imports the reference conference with its people, the bot
// running on clock.
func attendanceWorld(t *testing.T, clock *testClock) *world {
	t.Helper()
	w := newWorld(t)
	w.withClock(clock)
	names := map[int64]string{headCNTT: "Dương Văn Tính", headKHTC: "Thủ trưởng KHTC", headQLXD: "Thủ trưởng QLXD",
		headTBKV: "Thủ trưởng TBKV", headVTCY: "Thủ trưởng VTCY", headVKHCN: "Thủ trưởng VKHCN",
		secretaryCNTT: "Cán bộ thi đua CNTT", delegateKHTC: "Cán bộ thi đua KHTC", guestCTDCT: "Đại diện Cục CTĐ&CTCT"}
	for id, name := range names {
		w.addUser(id, name, "")
	}
	w.importFile("cum8-2022.yaml", examples.Cum8, "6")
	return w
}

// sendFile sends a document from a person and waits for the bot's answer.
func (w *world) sendFile(from int64, name, mime string, data []byte, caption, want string) telegramsim.Message {
	w.t.Helper()
	before := len(w.botMessages(from))
	w.sim.SendDocument(from, from, name, mime, data, caption)
	return w.waitNew(from, before, want)
}

// pressAll presses a button n times at once (a double click) and returns the answers.
func (w *world) pressAll(user, msgID int64, data string, n int) []string {
	w.t.Helper()
	var ids []string
	for i := 0; i < n; i++ {
		_, q := w.sim.PressButton(user, user, msgID, data)
		ids = append(ids, q)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []string
	if err := w.sim.Await(ctx, func() bool {
		for _, q := range ids {
			if len(w.sim.CallbackAnswers(q)) == 0 {
				return false
			}
		}
		return true
	}); err != nil {
		w.t.Fatalf("button %q was not answered", data)
	}
	for _, q := range ids {
		answers := w.sim.CallbackAnswers(q)
		if len(answers) != 1 {
			w.t.Errorf("button %q answered %d times", data, len(answers))
		}
		out = append(out, answers[0].Text)
	}
	return out
}

// botMessage is a bot message as it is now (after edits).
func (w *world) botMessage(chat, id int64) telegramsim.Message {
	for _, m := range w.botMessages(chat) {
		if m.ID == id {
			return m
		}
	}
	w.t.Fatalf("no bot message %d in chat %d", id, chat)
	return telegramsim.Message{}
}

func (w *world) botMessagesContaining(chat int64, s string) []telegramsim.Message {
	var out []telegramsim.Message
	for _, m := range w.botMessages(chat) {
		if strings.Contains(m.Text, s) {
			out = append(out, m)
		}
	}
	return out
}

func pdfBytes(s string) []byte { return []byte("%PDF-1.7\n" + s) }

// zipBytes is the smallest Office Open archive (DOCX or XLSX) holding s.
func zipBytes(s string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "part.xml"} {
		f, _ := zw.Create(name)
		_, _ = f.Write([]byte("<?xml version=\"1.0\"?><x>" + s + "</x>"))
	}
	_ = zw.Close()
	return b.Bytes()
}

func TestReferenceConferenceAttendanceSummariesQuorum(t *testing.T) {
	clock := newTestClock(nov(10, 9, 0))
	w := attendanceWorld(t, clock)
	vi := func(key string, args ...any) string { return w.text(i18n.VI, key, args...) }
	state := func(s string) string { return vi("state." + s) }

	// Draft: nothing is taken yet, and the session cannot start before opening.
	w.say(headCNTT, "/attend yes", vi("attend.not_open", "state", state("draft")))
	w.say(secretaryCNTT, "/conference start", vi("conference.illegal", "from", state("draft"), "to", state("in_session")))
	w.say(headKHTC, "/conference open", vi("error.not_allowed"))
	w.say(secretaryCNTT, "/conference open", vi("conference.moved", "conference", cum8Title, "from", state("draft"), "to", state("open")))

	// All six units register.
	w.say(headCNTT, "/attend yes", vi("attend.recorded_yes"))
	w.say(secretaryCNTT, "/attend yes", vi("attend.recorded_yes"))
	w.say(delegateKHTC, "/attend substitute Nguyễn  Văn Bình", vi("attend.recorded_substitute_named", "name", "Nguyễn Văn Bình"))
	list := w.say(headKHTC, "/attend", vi("attend.choose"))
	if !strings.Contains(list.Text, "Cán bộ thi đua KHTC: "+vi("attend.answer_substitute")+" (Nguyễn Văn Bình)") ||
		strings.Contains(list.Text, "CNTT:") {
		t.Errorf("KHTC's registrations, seen by its head:\n%s", list.Text)
	}
	for _, answer := range w.pressAll(headKHTC, list.ID, buttonFor(t, list, "at", "yes"), 2) { // a double click
		if answer != vi("attend.recorded_yes") {
			t.Errorf("attend button answered %q", answer)
		}
	}
	w.say(headQLXD, "/attend yes", vi("attend.recorded_yes"))
	w.say(headTBKV, "/attend có", vi("attend.recorded_yes"))
	w.say(headVTCY, "/attend substitute", vi("attend.recorded_substitute"))
	w.say(headVKHCN, "/attend maybe", vi("attend.usage"))
	w.say(headVKHCN, "/attend no", vi("attend.recorded_no"))

	// Summaries, on time. CNTT step by step, with every kind of bad input on the way.
	clock.Set(nov(15, 9, 0))
	w.say(secretaryCNTT, "/summary", vi("summary.ask_document", "unit", "CNTT", "max", "20 MB"))
	w.say(secretaryCNTT, "đây là báo cáo", vi("summary.need_document"))
	w.sendFile(secretaryCNTT, "anh.png", "image/png", []byte("\x89PNG\r\n"), "", vi("summary.wrong_type"))
	w.sendFile(secretaryCNTT, "gia.pdf", mimePDF, []byte("\x89PNG\r\n"), "", vi("summary.wrong_type"))
	w.sendFile(secretaryCNTT, "bc-cntt.pdf", mimePDF, pdfBytes("CNTT v1"), "", vi("summary.ask_text", "file", "bc-cntt.pdf"))
	w.say(secretaryCNTT, "Báo cáo tổng kết năm 2022 của Cục CNTT", vi("summary.ask_score", "max", 100.0))
	w.say(secretaryCNTT, "abc", vi("summary.bad_score_number", "input", "abc", "max", 100.0))
	w.say(secretaryCNTT, "150", vi("summary.bad_score_range", "input", "150", "max", 100.0))
	w.say(secretaryCNTT, "96.555", vi("summary.bad_score_precision", "input", "96.555", "max", 100.0))
	w.say(secretaryCNTT, "96,5", vi("summary.stored", "unit", "CNTT", "version", 1, "score", 96.5, "deadline", "17/11 17:00"))
	w.waitNew(headCNTT, 0, "Đơn vị CNTT đã nộp báo cáo tổng kết (lần 1")
	w.say(secretaryCNTT, "/cancel", vi("conversation.none"))

	// CNTT's head sends a new version in one message: the latest counts.
	clock.Set(nov(15, 10, 0))
	cnttV2 := pdfBytes("CNTT v2, bổ sung")
	w.sendFile(headCNTT, "bc-cntt-v2.pdf", mimePDF, cnttV2, "/summary score 97.25",
		vi("summary.stored", "unit", "CNTT", "version", 2, "score", 97.25, "deadline", "17/11 17:00"))
	w.waitNew(secretaryCNTT, 0, "Đơn vị CNTT đã nộp báo cáo tổng kết (lần 2")

	// KHTC: the file with the caption, /skip, then a restart in the middle:
	// the conversation lives in Redis.
	clock.Set(nov(15, 11, 0))
	w.sendFile(delegateKHTC, "bc-khtc.docx", mimeDOCX, zipBytes("KHTC"), "/summary", vi("summary.ask_text", "file", "bc-khtc.docx"))
	w.say(delegateKHTC, "/skip", vi("summary.ask_score", "max", 100.0))
	w.withClock(clock)
	w.say(delegateKHTC, "92,5", vi("summary.stored", "unit", "KHTC", "version", 1, "score", 92.5, "deadline", "17/11 17:00"))

	// QLXD: the typed form, no file.
	clock.Set(nov(16, 8, 30))
	w.say(headQLXD, "/summary score 88", vi("summary.stored", "unit", "QLXD", "version", 1, "score", 88.0, "deadline", "17/11 17:00"))

	// TBKV: refusals first, then a conversation completed by the typed score.
	clock.Set(nov(17, 16, 59))
	w.say(headTBKV, "/summary KHTC score 90", vi("summary.other_unit", "unit", "KHTC", "own", "TBKV"))
	w.sendFile(headTBKV, "qua-lon.pdf", mimePDF, bytes.Repeat([]byte("x"), 20<<20+1), "/summary", vi("summary.too_big", "max", "20 MB"))
	w.sendFile(headTBKV, "bc.pdf", mimePDF, pdfBytes("x"), "", vi("summary.use_command"))
	w.say(guestCTDCT, "/summary score 90", vi("error.not_allowed"))
	w.say(headTBKV, "/summary", vi("summary.ask_document", "unit", "TBKV", "max", "20 MB"))
	if ttl := w.store.Client().TTL(context.Background(), w.store.Prefix()+":conv:100004").Val(); ttl <= 0 || ttl > 30*time.Minute {
		t.Errorf("an open conversation has TTL %v: an abandoned one would never time out", ttl)
	}
	w.say(headTBKV, "/cancel", vi("conversation.cancelled"))
	w.say(headTBKV, "/skip", vi("conversation.none"))
	w.say(headTBKV, "/summary", vi("summary.ask_document", "unit", "TBKV", "max", "20 MB"))
	w.sendFile(headTBKV, "bc-tbkv.docx", mimeDOCX, zipBytes("TBKV"), "", vi("summary.ask_text", "file", "bc-tbkv.docx"))
	w.say(headTBKV, "/summary score 90", vi("summary.stored", "unit", "TBKV", "version", 1, "score", 90.0, "deadline", "17/11 17:00"))

	// VTCY: after the deadline, accepted and marked late.
	clock.Set(nov(18, 10, 0))
	w.sendFile(headVTCY, "diem-vtcy.xlsx", mimeXLSX, zipBytes("VTCY"), "/summary score 85,75",
		vi("summary.stored_late", "unit", "VTCY", "version", 1, "score", 85.75, "deadline", "17/11 17:00"))
	w.waitNew(headCNTT, 0, "Đơn vị VTCY đã nộp báo cáo tổng kết muộn")

	// The day: check-in opens the session; the live counter starts at 0/6.
	clock.Set(nov(24, 7, 30))
	w.say(headCNTT, "/checkin 123456", vi("checkin.not_in_session", "state", state("open")))
	w.say(secretaryCNTT, "/checkin open", vi("conference.moved", "conference", cum8Title, "from", state("open"), "to", state("in_session")))
	live := w.waitNew(secretaryCNTT, 0, vi("quorum.members_short", "present", 0, "eligible", 6, "need", 4))
	code := checkinCodeRe.FindStringSubmatch(live.Text)
	if code == nil {
		t.Fatalf("no check-in code in the live message:\n%s", live.Text)
	}
	wrong := "000000"
	if code[1] == wrong {
		wrong = "111111"
	}
	w.say(headCNTT, "/checkin "+code[1], vi("checkin.ok", "unit", "CNTT", "unit_name", "Cục Công nghệ thông tin"))
	w.say(headCNTT, "/checkin "+code[1], vi("checkin.already"))
	w.say(headKHTC, "/checkin "+code[1], vi("checkin.ok", "unit", "KHTC", "unit_name", "Cục Kế hoạch và tài chính"))
	w.say(headQLXD, "/checkin "+code[1], "Cục Quản lý xây dựng và doanh trại")
	w.say(guestCTDCT, "/checkin "+code[1], vi("checkin.ok_guest", "unit", "CTDCT", "unit_name", "Cục Công tác đảng và công tác chính trị"))
	w.say(headVTCY, "/checkin "+wrong, vi("checkin.bad_code"))
	// The code read off the screen just before it changed still works.
	clock.Set(nov(24, 7, 36))
	w.say(headTBKV, "/checkin "+code[1], "Cục Trang bị và kho vận")
	w.say(secretaryCNTT, "/present VTCY", vi("present.unit_marked", "unit", "VTCY"))
	board := w.say(secretaryCNTT, "/present", vi("present.header"))
	for _, answer := range w.pressAll(secretaryCNTT, board.ID, buttonFor(t, board, "pr", "VTCY:1"), 2) {
		if answer != vi("present.unit_already", "unit", "VTCY") {
			t.Errorf("present button answered %q", answer)
		}
	}
	if answer := w.pressAll(secretaryCNTT, board.ID, buttonFor(t, board, "pr", "VKHCN:0"), 1)[0]; answer != vi("present.unit_absent", "unit", "VKHCN") {
		t.Errorf("absent button answered %q", answer)
	}
	w.say(secretaryCNTT, "/quorum override", vi("quorum.override_not_needed"))

	// The live counter was edited in place, not sent again.
	reached := vi("quorum.members_reached", "present", 5, "eligible", 6)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return strings.Contains(w.botMessage(secretaryCNTT, live.ID).Text, reached) }); err != nil {
		t.Fatalf("the live message never showed %q:\n%s", reached, w.botMessage(secretaryCNTT, live.ID).Text)
	}
	if n := len(w.botMessagesContaining(secretaryCNTT, vi("quorum.header", "conference", cum8Title))); n != 1 {
		t.Errorf("%d live quorum messages, want one edited message", n)
	}
	final := w.botMessage(secretaryCNTT, live.ID)
	if final.Edited == 0 || final.Edited > 7 {
		t.Errorf("the live message was edited %d times for 6 changes", final.Edited)
	}
	if !strings.Contains(final.Text, vi("quorum.guests", "count", 1)) {
		t.Errorf("the live message does not show the guest apart:\n%s", final.Text)
	}

	// The secretary's board shows exactly that.
	status := w.say(secretaryCNTT, "/status", vi("status.header", "conference", cum8Title, "state", state("in_session")))
	want := strings.Join([]string{
		"Tình hình hội nghị — " + cum8Title + " (Đang họp)",
		"5/6 đơn vị có mặt — đủ tỷ lệ có mặt tối thiểu",
		"Khách mời có mặt: 1 đơn vị (không tính vào tỷ lệ)",
		"Hạn nộp báo cáo: 17/11 17:00",
		"",
		"CNTT: ĐK 2/2 (dự 2, thay 0, không 0) · có mặt ✓ · BC ✓ 15/11 10:00, 97,25 điểm",
		"KHTC: ĐK 2/2 (dự 1, thay 1, không 0) · có mặt ✓ · BC ✓ 15/11 11:00, 92,5 điểm",
		"QLXD: ĐK 1/1 (dự 1, thay 0, không 0) · có mặt ✓ · BC ✓ 16/11 08:30, 88 điểm",
		"TBKV: ĐK 1/1 (dự 1, thay 0, không 0) · có mặt ✓ · BC ✓ 17/11 16:59, 90 điểm",
		"VTCY: ĐK 1/1 (dự 0, thay 1, không 0) · có mặt ✓ · BC ⚠ muộn 18/11 10:00, 85,75 điểm",
		"VKHCN: ĐK 1/1 (dự 0, thay 0, không 1) · vắng ✗ · chưa nộp BC",
		"CTDCT (khách mời): có mặt ✓",
	}, "\n")
	if status.Text != want {
		t.Errorf("/status shows:\n%s\nwant:\n%s", status.Text, want)
	}

	// The secretary fetches CNTT's latest document: re-sent by file id, once for a double click.
	sums := w.say(secretaryCNTT, "/summaries", vi("summaries.header", "count", 1))
	if !strings.Contains(sums.Text, vi("summaries.line_missing", "unit", "VKHCN")) {
		t.Errorf("/summaries does not show who is missing:\n%s", sums.Text)
	}
	w.pressAll(secretaryCNTT, sums.ID, buttonFor(t, sums, "sm", "CNTT"), 2)
	var docs []telegramsim.Message
	for _, m := range w.botMessages(secretaryCNTT) {
		if m.Document != nil {
			docs = append(docs, m)
		}
	}
	if len(docs) != 1 || !bytes.Equal(docs[0].Document.Bytes, cnttV2) || !strings.Contains(docs[0].Text, "lần 2") {
		t.Fatalf("documents re-sent to the secretary: %+v", docs)
	}

	// What is stored: versions kept, hashes of the bytes, nothing from bad input.
	versions, err := w.store.Summaries(ctx, cum8, "CNTT")
	if err != nil || len(versions) != 2 {
		t.Fatalf("CNTT versions: %+v, %v", versions, err)
	}
	sum := sha256.Sum256(cnttV2)
	if d := versions[1].Document; d == nil || d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(cnttV2)) || d.FileName != "bc-cntt-v2.pdf" {
		t.Errorf("CNTT v2 document: %+v", versions[1].Document)
	}
	if versions[0].Text != "Báo cáo tổng kết năm 2022 của Cục CNTT" || versions[0].By != secretaryCNTT {
		t.Errorf("CNTT v1: %+v", versions[0])
	}
	for unit, n := range map[string]int{"KHTC": 1, "QLXD": 1, "TBKV": 1, "VTCY": 1, "VKHCN": 0} {
		if vs, _ := w.store.Summaries(ctx, cum8, unit); len(vs) != n {
			t.Errorf("%s has %d versions, want %d", unit, len(vs), n)
		}
	}
}

func TestQuorumOverrideIsRecorded(t *testing.T) {
	clock := newTestClock(nov(24, 8, 0))
	w := attendanceWorld(t, clock)
	vi := func(key string, args ...any) string { return w.text(i18n.VI, key, args...) }
	w.say(secretaryCNTT, "/conference open", vi("state.open"))
	w.say(secretaryCNTT, "/checkin", vi("quorum.code_closed"))
	w.say(headCNTT, "/checkin 123456", vi("checkin.not_in_session", "state", vi("state.open")))
	w.say(secretaryCNTT, "/conference start", vi("state.in_session"))
	w.say(headCNTT, "/checkin 123456", vi("checkin.not_open"))
	w.say(headKHTC, "/present KHTC", vi("error.not_allowed"))
	w.say(secretaryCNTT, "/present KHTC", vi("present.unit_marked", "unit", "KHTC"))
	w.say(secretaryCNTT, "/present 100001", vi("present.person_marked", "name", "Dương Văn Tính", "unit", "CNTT"))
	w.say(secretaryCNTT, "/present @nobody", vi("present.unknown", "who", "@nobody"))
	w.say(secretaryCNTT, "/quorum", vi("quorum.members_short", "present", 2, "eligible", 6, "need", 4))
	w.say(headKHTC, "/quorum override", vi("error.not_allowed"))
	w.say(secretaryCNTT, "/quorum override", vi("quorum.overridden", "name", "Cán bộ thi đua CNTT", "time", "24/11 08:00"))
	o, ok, err := w.store.QuorumOverride(context.Background(), cum8)
	if err != nil || !ok || o.By != secretaryCNTT || !o.At.Equal(nov(24, 8, 0)) {
		t.Errorf("override stored: %+v, %v, %v", o, ok, err)
	}
	w.say(secretaryCNTT, "/status", vi("quorum.members_short", "present", 2, "eligible", 6, "need", 4))
	w.say(secretaryCNTT, "/conference close", vi("state.closed"))
	w.say(secretaryCNTT, "/conference close", vi("conference.illegal", "from", vi("state.closed"), "to", vi("state.closed")))
	// A closed conference is read-only: its record is final.
	w.say(headKHTC, "/summary score 90", vi("state.closed")+"): ")
}
