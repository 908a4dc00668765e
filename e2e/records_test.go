package e2e_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/export"
	"github.com/confbot/confbot/i18n"
)

const secretary = 100011 // Cán bộ thi đua CNTT: delegate and secretary

// playReferenceBallots checks everyone in (attendance has its own tests) and
// plays the five reference ballots with typed votes, as TestReferenceBallots
// does with buttons: CNTT, KHTC hold co-bca; CNTT co-cp; QLXD, TBKV
// bang-khen (named; co-bca's winners are not candidates); VKHCN is elected
// chair for 2023 and KHTC deputy chair.
func playReferenceBallots(w *world) {
	w.t.Helper()
	ctx := context.Background()
	for unit, id := range heads {
		if _, err := w.store.MarkPresent(ctx, cum8, id, domain.Presence{Unit: unit, At: time.Now(), By: id}); err != nil {
			w.t.Fatal(err)
		}
	}
	if _, err := w.store.MarkPresent(ctx, cum8, 100021, domain.Presence{Unit: "CTDCT", At: time.Now(), By: 100021}); err != nil {
		w.t.Fatal(err)
	}
	votes := []struct {
		ballot string
		picks  map[string]string
	}{
		{"co-bca", map[string]string{"CNTT": "CNTT:yes KHTC:yes QLXD:yes", "KHTC": "CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:yes VKHCN:yes",
			"QLXD": "CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:yes VKHCN:no", "TBKV": "CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:no",
			"VTCY": "CNTT:yes KHTC:yes QLXD:no TBKV:no", "VKHCN": "CNTT:yes KHTC:no"}},
		{"co-cp", map[string]string{"CNTT": "KHTC", "KHTC": "CNTT", "QLXD": "CNTT", "TBKV": "CNTT", "VTCY": "CNTT", "VKHCN": "KHTC"}},
		{"bang-khen", map[string]string{"CNTT": "QLXD TBKV", "KHTC": "QLXD TBKV", "QLXD": "QLXD TBKV", "TBKV": "TBKV VTCY", "VTCY": "QLXD TBKV", "VKHCN": "QLXD VTCY"}},
		{"cum-truong-2023", map[string]string{"CNTT": "VKHCN", "KHTC": "VKHCN", "QLXD": "VKHCN", "TBKV": "VKHCN", "VTCY": "KHTC", "VKHCN": "KHTC"}},
		{"cum-pho-2023", map[string]string{"CNTT": "KHTC", "KHTC": "QLXD", "QLXD": "KHTC", "TBKV": "KHTC", "VTCY": "KHTC", "VKHCN": "KHTC"}},
	}
	for _, b := range votes {
		w.say(100001, "/ballot open "+b.ballot, "("+b.ballot+", vòng 1)")
		for unit, pick := range b.picks {
			w.say(heads[unit], "/vote "+b.ballot+" "+pick, "Mã biên nhận")
		}
		w.say(100001, "/ballot close "+b.ballot, "Kết quả kiểm phiếu")
	}
}

// documents are the files the bot sent to chat after its first `after` messages.
func (w *world) documents(chat int64, after int) map[string][]byte {
	out := map[string][]byte{}
	msgs := w.botMessages(chat)
	for _, m := range msgs[min(after, len(msgs)):] {
		if m.Document != nil {
			out[m.Document.Name] = m.Document.Bytes
		}
	}
	return out
}

func TestReferenceConferenceToTheEnd(t *testing.T) {
	w := referenceWorld(t)
	ctx := context.Background()
	vi := i18n.VI
	playReferenceBallots(w)
	if c, _ := w.store.Conference(ctx, cum8); c.NextChairUnit != "VKHCN" || c.NextDeputyUnit != "KHTC" {
		t.Fatalf("the elections did not record VKHCN and KHTC: %q, %q", c.NextChairUnit, c.NextDeputyUnit)
	}

	// Who may do what, and when.
	w.say(100002, "/export", w.text(vi, "error.not_allowed"))
	w.say(100002, "/handover KHTC", w.text(vi, "error.not_allowed"))
	w.say(100002, "/handover deputy TBKV", w.text(vi, "error.not_allowed"))
	w.say(secretary, "/newyear", w.text(vi, "newyear.not_closed", "state", w.text(vi, "state.in_session")))
	before := len(w.botMessages(groupChat))
	w.sim.SendText(secretary, groupChat, "/export")
	w.waitNew(groupChat, before, w.text(vi, "export.private_only"))

	// The deputy's form: next year's chair cannot deputise; the secretary
	// records TBKV by mistake, then KHTC (the elected unit) again.
	w.say(secretary, "/handover deputy", "Đơn vị Cụm phó năm 2023 hiện ghi nhận: KHTC — Cục Kế hoạch và tài chính")
	w.say(secretary, "/handover deputy VKHCN", w.text(vi, "handover.is_chair", "unit", "VKHCN", "year", 2023))
	w.say(secretary, "/handover deputy CTDCT", w.text(vi, "handover.unknown_unit", "unit", "CTDCT"))
	w.say(secretary, "/handover deputy tbkv", "Đã ghi nhận đơn vị Cụm phó năm 2023: TBKV")
	w.say(secretary, "/handover deputy KHTC", "(trước đó: TBKV)")
	w.say(secretary, "/handover deputy KHTC", w.text(vi, "handover.deputy_unchanged", "unit", "KHTC", "year", 2023))
	// Nor can next year's deputy chair.
	w.say(secretary, "/handover KHTC", w.text(vi, "handover.is_deputy", "unit", "KHTC", "year", 2023))

	// The secretary hands over to QLXD by mistake, then back to VKHCN: both
	// are logged with who and when.
	w.say(secretary, "/handover CTDCT", w.text(vi, "handover.unknown_unit", "unit", "CTDCT"))
	w.say(secretary, "/handover qlxd", "Đã ghi nhận đơn vị Cụm trưởng năm 2023: QLXD")
	w.say(secretary, "/handover VKHCN", "(trước đó: QLXD)")
	w.say(secretary, "/handover VKHCN", w.text(vi, "handover.unchanged", "unit", "VKHCN", "year", 2023))
	w.say(secretary, "/handover", "Viện Khoa học và công nghệ")

	if _, err := w.store.UpdateConference(ctx, cum8, func(c *domain.Conference) error {
		return c.Transition(domain.StateClosed)
	}); err != nil {
		t.Fatal(err)
	}

	after := len(w.botMessages(secretary))
	w.sim.SendText(secretary, secretary, "/export")
	// At Telegram's limits the tallies' deliveries to this chat come first.
	done := w.waitNewWithin(secretary, after, "Mã xác thực nội dung biên bản (SHA-256)", 90*time.Second)
	hash := regexp.MustCompile(`[0-9a-f]{64}`).FindString(done.Text)
	docs := w.documents(secretary, after)
	for _, name := range []string{"attendance.csv", "summaries.csv", "results.csv", "votes.csv", "audit.csv",
		"confbot-cum8-bt-tk-2022.xlsx", "bien-ban-cum8-bt-tk-2022.pdf", "bien-ban-cum8-bt-tk-2022.txt",
		"scores.csv", "bien-ban-cum8-bt-tk-2022.docx", "kiem-phieu-cum8-bt-tk-2022-co-bca-vong-1.pdf",
		"kiem-phieu-cum8-bt-tk-2022-cum-truong-2023-vong-1.docx"} {
		if len(docs[name]) == 0 {
			t.Errorf("no document %s; got %d documents", name, len(docs))
		}
	}
	checkExport(t, docs, hash)

	audit := w.say(secretary, "/audit 8", "Nhật ký thao tác")
	for _, want := range []string{"Ghi nhận đơn vị Cụm trưởng năm sau QLXD", "VKHCN (trước đó: QLXD)", "Xuất dữ liệu",
		"Ghi nhận đơn vị Cụm phó năm sau KHTC (trước đó: TBKV)"} {
		if !strings.Contains(audit.Text, want) {
			t.Errorf("/audit lacks %q:\n%s", want, audit.Text)
		}
	}

	w.say(secretary, "/newyear", "Cụm trưởng VKHCN — Viện Khoa học và công nghệ; Cụm phó KHTC — Cục Kế hoạch và tài chính;")
	w.say(secretary, "/newyear", w.text(vi, "newyear.exists", "conference", "cum8-bt/tk-2023"))
	checkNextYear(t, w)
}

// checkExport reads the exported files as a secretary would open them.
func checkExport(t *testing.T, docs map[string][]byte, hash string) {
	t.Helper()
	for name, want := range map[string][]string{
		"attendance.csv": {"\ufeffMã đơn vị,", "Thủ trưởng VKHCN,thủ trưởng,chưa trả lời,,,có mặt"},
		"results.csv":    {"cum-truong-2023,Đơn vị Cụm trưởng năm 2023,bầu,kín,1,VKHCN,Viện Khoa học và công nghệ,,,,4,66.67,trúng cử,6,6,6,số đơn vị có mặt"},
		"votes.csv":      {"bang-khen,Bằng khen của Bộ trưởng Bộ Công an,1,VKHCN,\"QLXD, VTCY\""},
		"audit.csv":      {"Cán bộ thi đua CNTT,handover,VKHCN (was QLXD)", "Cán bộ thi đua CNTT,handover.deputy,KHTC (was TBKV)", ",export,"},
	} {
		for _, w := range want {
			if !strings.Contains(string(docs[name]), w) {
				t.Errorf("%s lacks %q:\n%s", name, w, docs[name])
			}
		}
	}
	for _, line := range strings.Split(string(docs["votes.csv"]), "\n")[1:] {
		if line != "" && !strings.HasPrefix(line, "bang-khen,") {
			t.Errorf("votes.csv lists a secret ballot's choice: %q", line)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(docs["confbot-cum8-bt-tk-2022.xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "Điểm danh|Báo cáo|Kết quả|Phiếu công khai|Nhật ký|Xếp hạng" {
		t.Errorf("sheets: %s", got)
	}
	if v, _ := f.GetCellValue("Kết quả", "F2"); v != "CNTT" {
		t.Errorf("Kết quả!F2 = %q, want CNTT", v)
	}
	text := string(docs["bien-ban-cum8-bt-tk-2022.txt"])
	for _, want := range []string{"Đơn vị thành viên có mặt (6/6):", "Đại biểu khách mời có mặt:",
		"- Bằng khen của Bộ trưởng Bộ Công an: đề nghị Bộ trưởng Bộ Công an tặng cho 02 đơn vị: Cục Quản lý xây dựng và doanh trại, Cục Trang bị và kho vận;",
		"Đơn vị Cụm trưởng năm 2023: Viện Khoa học và công nghệ (VKHCN), theo kết quả bỏ phiếu “Đơn vị Cụm trưởng năm 2023”.",
		"Đơn vị Cụm phó năm 2023: Cục Kế hoạch và tài chính (KHTC), theo kết quả bỏ phiếu “Đơn vị Cụm phó năm 2023”."} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\nDỰ THẢO\n") {
		t.Error("the minutes of a closed conference call themselves a draft")
	}
	pdf := pdfToText(t, docs["bien-ban-cum8-bt-tk-2022.pdf"])
	if !strings.Contains(pdf, "Mã xác thực nội dung (SHA-256): "+hash) || !strings.Contains(pdf, "BIÊN BẢN") {
		t.Errorf("the PDF does not print the check code %s the chat gave:\n%s", hash, pdf)
	}
	if sum := export.MinutesHash(text); sum != hash {
		t.Errorf("the .txt hashes to %s, the chat said %s", sum, hash)
	}
}

// checkNextYear: the 2023 draft exists with VKHCN in the chair, the dates in
// 2023 and nothing of 2022's attendance or votes; 2022 is closed, unchanged.
func checkNextYear(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	n, err := w.store.Conference(ctx, "cum8-bt/tk-2023")
	if err != nil {
		t.Fatal(err)
	}
	loc := n.TimeZone()
	if n.State != domain.StateDraft || n.ChairUnit != "VKHCN" || n.DeputyUnit != "KHTC" || n.Year != 2023 ||
		n.StartsAt.In(loc).Format("2006-01-02 15:04") != "2023-11-24 08:00" || n.SummaryDeadline.In(loc).Year() != 2023 {
		t.Errorf("the 2023 draft: state %s chair %s deputy %q year %d starts %v", n.State, n.ChairUnit, n.DeputyUnit, n.Year, n.StartsAt)
	}
	if len(n.Units) != 6 || len(n.Ballots) != 5 || n.Ballots[3].ID != "cum-truong-2024" || n.Ballots[4].ID != "cum-pho-2024" ||
		!slices.Equal(n.Ballots[4].Candidates.NotAwardedOf, []string{"cum-truong-2024"}) {
		t.Errorf("the 2023 draft's units %d, ballots %+v", len(n.Units), n.Ballots)
	}
	for _, b := range n.Ballots {
		if info, err := w.store.BallotRound(ctx, n.Ref(), b.ID); err != nil || info.Round != 0 {
			t.Errorf("ballot %s of 2023 is not new: %+v, %v", b.ID, info, err)
		}
	}
	people, units, err := w.store.Presence(ctx, n.Ref())
	if err != nil || len(people)+len(units) != 0 {
		t.Errorf("2023 has presence carried over: %v %v %v", people, units, err)
	}
	if reg, err := w.store.Attendance(ctx, n.Ref()); err != nil || len(reg) != 0 {
		t.Errorf("2023 has registrations carried over: %v %v", reg, err)
	}
	old, err := w.store.Conference(ctx, cum8)
	if err != nil || old.State != domain.StateClosed || old.NextChairUnit != "VKHCN" || old.NextDeputyUnit != "KHTC" || old.ChairUnit != "CNTT" {
		t.Errorf("2022 after the new year: %+v, %v", old, err)
	}
}

// pdfToText extracts a PDF's text with poppler's pdftotext, skipping only
// where it is missing and CONFBOT_REQUIRE_TOOLS is unset.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CONFBOT_REQUIRE_TOOLS") != "" {
			t.Fatal("CONFBOT_REQUIRE_TOOLS is set but pdftotext (poppler-utils) is missing")
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "minutes.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestNewYearProposesTheDeputy: a conference closed with no chair elected
// or recorded drafts next year with this year's deputy chair unit (VKHCN)
// proposed as chair, and says so.
func TestNewYearProposesTheDeputy(t *testing.T) {
	w := referenceWorld(t)
	ctx := context.Background()
	if _, err := w.store.UpdateConference(ctx, cum8, func(c *domain.Conference) error {
		return c.Transition(domain.StateClosed)
	}); err != nil {
		t.Fatal(err)
	}
	w.say(secretary, "/newyear", "Cụm trưởng VKHCN — Viện Khoa học và công nghệ"+w.text(i18n.VI, "newyear.chair_proposed", "year", 2022))
	n, err := w.store.Conference(ctx, "cum8-bt/tk-2023")
	if err != nil || n.ChairUnit != "VKHCN" || n.DeputyUnit != "" {
		t.Fatalf("the 2023 draft: %+v, %v; want VKHCN in the chair, no deputy", n, err)
	}
}
