package export_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/export"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./export -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./export -update rewrites it after review):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestCSVGolden(t *testing.T) {
	d := referenceData(t)
	tables := export.Tables(d)
	want := []string{"attendance.csv", "summaries.csv", "results.csv", "votes.csv", "audit.csv", "scores.csv"}
	if len(tables) != len(want) {
		t.Fatalf("%d tables, want %d", len(tables), len(want))
	}
	for i, tb := range tables {
		t.Run(tb.File, func(t *testing.T) {
			if tb.File != want[i] {
				t.Fatalf("table %d is %s, want %s", i, tb.File, want[i])
			}
			got := export.CSV(tb)
			if !bytes.HasPrefix(got, []byte("\xef\xbb\xbf")) {
				t.Error("no UTF-8 byte order mark: Excel would garble Vietnamese")
			}
			golden(t, tb.File+".golden", got)
		})
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext: the test reads
// what a person would read, not only the file's size.
func pdfText(t *testing.T, pdf []byte) string {
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
	// Keep the words and line breaks; pdftotext's blank lines and page
	// breaks (form feeds) vary with its version.
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(string(out), "\f", "\n"), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestSecretBallotsNeverListChoices(t *testing.T) {
	d := referenceData(t)
	// Even if a secret round came with choices by voter, nothing shows them.
	for i := range d.Ballots {
		if d.Ballots[i].Spec.Secret {
			d.Ballots[i].Rounds[0].Named = map[string]domain.Vote{"CNTT": {Picks: []string{"KHTC"}}}
		}
	}
	for _, row := range export.Tables(d)[3].Rows {
		if row[0] != "bang-khen" {
			t.Errorf("votes table lists a secret ballot: %v", row)
		}
	}
	text := export.MinutesText(d)
	if n := strings.Count(text, "Bỏ phiếu công khai, lựa chọn của từng người bỏ phiếu:"); n != 1 {
		t.Errorf("choices listed for %d ballots, want 1 (bang-khen)", n)
	}
	if n := strings.Count(text, "Bỏ phiếu kín: biên bản chỉ ghi số phiếu và kết quả"); n != 4 {
		t.Errorf("%d secret ballots say they list no choice, want 4", n)
	}
	if strings.Contains(text, "- CNTT: KHTC\n") {
		t.Error("a secret ballot's choice is in the minutes")
	}
}

func TestMinutesStates(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *export.Data)
		want   []string
		absent []string
	}{
		{
			name: "a draft with no records",
			change: func(d *export.Data) {
				d.Conference.State = domain.StateInSession
				d.Conference.NextChairUnit, d.Conference.NextDeputyUnit = "", ""
				d.Attendance = domain.AttendanceState{}
				d.Ballots = []export.Ballot{{Spec: d.Conference.Ballots[0], State: domain.BallotDraft}, {Spec: d.Conference.Ballots[1], State: domain.BallotOpen}}
				d.Audit = nil
			},
			want: []string{"\nDỰ THẢO\n", "3. Đơn vị thành viên có mặt (0/6): không có.",
				"4. Đơn vị thành viên vắng mặt (6/6):", "Số đơn vị có mặt: 0/6, chưa đủ tỷ lệ theo quy chế (từ 66,67% trở lên tính trên tổng số đơn vị thành viên).",
				"Chưa tiến hành bỏ phiếu.", "Đang bỏ phiếu, chưa có kết quả.",
				"Chưa có đơn vị nào được đề nghị.", "Chưa xác định đơn vị Cụm trưởng năm 2023.", "Chưa xác định đơn vị Cụm phó năm 2023.",
				"- Cục Công nghệ thông tin: chưa nộp báo cáo;"},
			absent: []string{"Đơn vị Cụm trưởng năm 2023:", "Đơn vị Cụm phó năm 2023:"},
		},
		{
			name: "a handover by the secretary",
			change: func(d *export.Data) {
				d.Conference.NextChairUnit = "KHTC"
				d.Audit = append(d.Audit, d.Audit[0])
				d.Audit[len(d.Audit)-1].Action, d.Audit[len(d.Audit)-1].ActorName = "handover", "Thư ký Hoa"
				d.Audit[len(d.Audit)-1].At = at(t, "2022-11-24 11:25")
			},
			want: []string{"Đơn vị Cụm trưởng năm 2023: Cục Kế hoạch và tài chính (KHTC), do đồng chí Thư ký Hoa ghi nhận lúc 11:25 ngày 24/11/2022."},
		},
		{
			name: "a deputy recorded by the secretary",
			change: func(d *export.Data) {
				d.Conference.NextDeputyUnit = "TBKV"
				d.Audit = append(d.Audit, d.Audit[0])
				d.Audit[len(d.Audit)-1].Action, d.Audit[len(d.Audit)-1].ActorName = "handover.deputy", "Thư ký Hoa"
				d.Audit[len(d.Audit)-1].At = at(t, "2022-11-24 11:26")
			},
			want: []string{"Đơn vị Cụm trưởng năm 2023: Viện Khoa học và công nghệ (VKHCN), theo kết quả bỏ phiếu “Đơn vị Cụm trưởng năm 2023”.",
				"Đơn vị Cụm phó năm 2023: Cục Trang bị và kho vận (TBKV), do đồng chí Thư ký Hoa ghi nhận lúc 11:26 ngày 24/11/2022."},
		},
		{
			name: "quorum missed, the secretary went on",
			change: func(d *export.Data) {
				d.Attendance.Present, d.Attendance.UnitsPresent = nil, nil
				d.Override = &domain.QuorumOverride{By: 100011, Name: "Cán bộ thi đua CNTT", At: at(t, "2022-11-24 08:02")}
			},
			want: []string{"chưa đủ tỷ lệ theo quy chế (từ 66,67% trở lên tính trên tổng số đơn vị thành viên); đồng chí Cán bộ thi đua CNTT quyết định tiến hành lúc 08:02 ngày 24/11/2022."},
		},
		{
			name: "a tie waiting for a revote",
			change: func(d *export.Data) {
				b := &d.Ballots[1]
				b.Rounds[0].Result.Awarded, b.Rounds[0].Result.NeedsRevote = nil, true
				b.Rounds[0].Result.Tied, b.Rounds[0].Result.Seats = []string{"CNTT", "KHTC"}, 1
				b.Outcome = domain.OutcomeOf([]domain.Result{b.Rounds[0].Result})
			},
			want: []string{"Các đơn vị Cục Công nghệ thông tin, Cục Kế hoạch và tài chính có số phiếu bằng nhau cho 1 vị trí còn lại; theo quy chế, Hội nghị bỏ phiếu lại giữa các đơn vị này (vòng 2).",
				"Chưa có kết quả cuối cùng."},
			absent: []string{"- Cờ thi đua của Chính phủ"},
		},
		{
			name: "a tie the chair decided",
			change: func(d *export.Data) {
				b := &d.Ballots[2] // bang-khen: QLXD 5, TBKV 5; make TBKV and VTCY tie at 4, the chair picks TBKV
				for i, row := range b.Rounds[0].Result.Rows {
					if row.Candidate == "TBKV" || row.Candidate == "VTCY" {
						b.Rounds[0].Result.Rows[i].Votes, b.Rounds[0].Result.Rows[i].Passed = 4, true
					}
				}
				d.Audit = append(d.Audit, domain.AuditEntry{At: at(t, "2022-11-24 10:40"), ActorID: 100001,
					ActorName: "Dương Văn Tính", Action: "ballot.decide", Detail: "bang-khen: TBKV"})
			},
			want: []string{"Các đơn vị Cục Trang bị và kho vận, Cục Viễn thông và cơ yếu có số phiếu bằng nhau ở vị trí cuối của chỉ tiêu; " +
				"theo quy chế, đồng chí Thiếu tướng Dương Văn Tính, chủ trì hội nghị, đã quyết định chọn Cục Trang bị và kho vận (lúc 10:40 ngày 24/11/2022)."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := referenceData(t)
			tc.change(d)
			text := export.MinutesText(d)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the minutes lack %q:\n%s", w, text)
				}
			}
			for _, w := range tc.absent {
				if strings.Contains(text, w) {
					t.Errorf("the minutes have %q", w)
				}
			}
		})
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	tb := export.Table{File: "x.csv", Header: []string{"Họ tên", "Số"}, Rows: [][]any{
		{"=HYPERLINK(\"http://x\")", 1}, {"+84 912", -2}, {"@cmd", 2.5}, {"Nguyễn Văn A", 0},
	}}
	want := "\ufeffHọ tên,Số\r\n\"'=HYPERLINK(\"\"http://x\"\")\",1\r\n'+84 912,-2\r\n'@cmd,2.5\r\nNguyễn Văn A,0\r\n"
	if got := string(export.CSV(tb)); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
