package export_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/export"
)

func TestTallyRecordDocuments(t *testing.T) {
	// Phrases each fixture's records must hold, by record name.
	want := map[string][]string{
		"kiem-phieu-cum8-bt-tk-2022-co-bca-vong-1": {"BIÊN BẢN KIỂM PHIẾU", "Kiểm phiếu bình xét Cờ thi đua của Bộ Công an",
			"Số: /BB-CTĐ8", "Hà Nội, ngày 24 tháng 11 năm 2022", "Vào 08 giờ 05 phút, ngày 24 tháng 11 năm 2022, tại Hà Nội",
			"1. Trưởng ban: đồng chí Trung tá Cán bộ thi đua CNTT, Phó Trưởng phòng Tổng hợp, Cục Công nghệ thông tin;",
			"2. Ủy viên: đồng chí Cán bộ thi đua KHTC.", "- Số phiếu phát ra: 6;", "- Số phiếu thu vào: 6;", "- Số phiếu hợp lệ: 6;",
			"- Số phiếu không hợp lệ: 0;", "Tỷ lệ tính trên tổng số đơn vị thành viên: 6.",
			"Kết quả: 02 đơn vị đạt: Cục Công nghệ thông tin, Cục Kế hoạch và tài chính.",
			"Đề nghị Bộ trưởng Bộ Công an tặng Cờ thi đua của Bộ Công an cho 02 đơn vị: Cục Công nghệ thông tin, Cục Kế hoạch và tài chính.",
			"được lập xong vào 08 giờ 17 phút cùng ngày và được công bố trước Hội nghị./.",
			"ỦY VIÊN", "TRƯỞNG BAN KIỂM PHIẾU", "Cán bộ thi đua KHTC", "Trung tá Cán bộ thi đua CNTT"},
		"kiem-phieu-cum8-bt-tk-2022-co-cp-vong-1": {"Đề nghị Bộ trưởng Bộ Công an trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ (đơn vị dẫn đầu) cho 01 đơn vị: Cục Công nghệ thông tin."},
		"kiem-phieu-cum8-bt-tk-2022-cum-truong-2023-vong-1": {"Kiểm phiếu bầu đơn vị Cụm trưởng năm 2023", "2. Số phiếu bầu",
			"- Số phiếu bầu phát ra: 6;", "Kết quả: Viện Khoa học và công nghệ trúng cử, được bầu làm đơn vị Cụm trưởng năm 2023.", "không trúng cử"},
		// The deputy election: trúng cử, but its paper is a "phiếu" (the glossary keeps "phiếu bầu" to the chair's).
		"kiem-phieu-cum8-bt-tk-2022-cum-pho-2023-vong-1": {"Kiểm phiếu về việc bầu đơn vị Cụm phó năm 2023", "- Số phiếu phát ra: 6;",
			"Kết quả: Cục Kế hoạch và tài chính trúng cử, được bầu làm đơn vị Cụm phó năm 2023.", "không trúng cử"},
		"kiem-phieu-cum12-so-nganh-tk-2024-co-tinh-vong-1": {"UBND TỈNH", "Tổng số đơn vị thành viên: 12; số đơn vị có mặt: 11.",
			"Điều kiện đạt: từ 66,67% trở lên tính trên tổng số đơn vị thành viên",
			"theo quy chế, đơn vị có điểm tự chấm cao hơn được chọn: Sở Y tế", "1. Trưởng ban: đồng chí Trần Văn Minh, Trưởng phòng Thi đua - Khen thưởng, Sở Nội vụ;"},
		"kiem-phieu-cum12-so-nganh-tk-2024-bang-khen-tt-vong-1": {"1. Trưởng ban: đồng chí Lê Thị Lan, Phó Chánh Văn phòng Sở Y tế;",
			"3. Ủy viên: đồng chí Đỗ Minh Châu.", "Phạm Quốc Việt", "Đề nghị Thủ tướng Chính phủ tặng Bằng khen của Thủ tướng Chính phủ cho 01 đơn vị: Sở Y tế."},
		"kiem-phieu-cum12-so-nganh-tk-2024-bang-khen-ubnd-vong-1": {"bằng phiếu", "theo quy chế, Hội nghị bỏ phiếu lại giữa các đơn vị này (vòng 2)."},
		"kiem-phieu-cum12-so-nganh-tk-2024-bang-khen-ubnd-vong-2": {"(vòng 2: bỏ phiếu lại giữa các đơn vị bằng phiếu)",
			"Cùng các đơn vị đã đạt ở vòng trước: Sở Giao thông vận tải, Sở Thông tin và Truyền thông.",
			"cho 03 đơn vị: Sở Giao thông vận tải, Sở Thông tin và Truyền thông, Sở Tài nguyên và Môi trường."},
	}
	seen := 0
	for _, fx := range fixtures {
		d := fx.data(t)
		for _, rec := range d.TallyRecords() {
			name := export.TallyRecordName(rec)
			t.Run(name, func(t *testing.T) {
				r := render(t, func(b *bytes.Buffer) error { return export.WriteTallyRecordPDF(b, rec) },
					func(b *bytes.Buffer) error { return export.WriteTallyRecordDOCX(b, rec) })
				golden(t, name+".pdf.txt.golden", []byte(r.pdfText))
				checkReadsAlike(t, r, export.TallyRecordText(rec))
				if phrases, ok := want[name]; ok {
					seen++
					checkHas(t, r, phrases, neverOnPaper)
				} else {
					checkHas(t, r, []string{"BIÊN BẢN KIỂM PHIẾU", "TRƯỞNG BAN KIỂM PHIẾU", "./."}, neverOnPaper)
				}
				files, err := export.TallyRecordFiles(rec)
				if err != nil || len(files) != 2 || files[0].Name != name+".pdf" || files[1].Name != name+".docx" {
					t.Errorf("TallyRecordFiles: %v, %d files", err, len(files))
				}
			})
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d records with phrases were rendered", seen, len(want))
	}
}

// TestBuildHasEveryRecord: the export carries the minutes as PDF, DOCX and
// text, and one PDF and one DOCX per tallied round.
func TestBuildHasEveryRecord(t *testing.T) {
	b, err := export.Build(cum12Data(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range b.Files {
		names = append(names, f.Name)
	}
	for _, want := range []string{"scores.csv", "bien-ban-cum12-so-nganh-tk-2024.pdf", "bien-ban-cum12-so-nganh-tk-2024.docx",
		"bien-ban-cum12-so-nganh-tk-2024.txt", "kiem-phieu-cum12-so-nganh-tk-2024-bang-khen-ubnd-vong-2.pdf",
		"kiem-phieu-cum12-so-nganh-tk-2024-bang-khen-ubnd-vong-2.docx", "kiem-phieu-cum12-so-nganh-tk-2024-cum-truong-2025-vong-1.docx"} {
		if !slices.Contains(names, want) {
			t.Errorf("the export lacks %s: %v", want, names)
		}
	}
	if n := len(names); n != 6+1+3+2*6 {
		t.Errorf("%d files, want %d (6 tables, the workbook, the minutes thrice, 6 rounds twice)", n, 6+1+3+2*6)
	}
}

// TestNewTallyRecordAsTheTallyJobBuildsIt: a record built from a round's
// domain.RoundInfo and result, as the tally job has them, reads as the
// one the export makes.
func TestNewTallyRecordAsTheTallyJobBuildsIt(t *testing.T) {
	d := referenceData(t)
	want, ok := d.TallyRecordOf("co-bca", 1)
	if !ok {
		t.Fatal("no record of co-bca round 1")
	}
	if _, ok := d.TallyRecordOf("co-bca", 2); ok {
		t.Error("a record of a round never tallied")
	}
	b := d.Ballots[0]
	r := b.Rounds[0]
	info := domain.RoundInfo{Ballot: "co-bca", Round: 1, State: domain.BallotClosed, Eligible: r.Eligible, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt}
	got := export.NewTallyRecord(d.Conference, b.Spec, info, r.Result, d.Attendance, nil, nil)
	if g, w := export.TallyRecordText(got), export.TallyRecordText(want); g != w {
		t.Errorf("the tally job's record differs from the export's:\n%s\n---\n%s", g, w)
	}
}
