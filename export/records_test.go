package export_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/confbot/confbot/export"
)

// fixtures are the conferences whose records have golden files.
var fixtures = []struct {
	name string
	data func(t *testing.T) *export.Data
}{
	{"cum8", referenceData},
	{"cum12", cum12Data},
}

// rendered is a record set three ways.
type rendered struct {
	pdf, docx []byte
	pdfText   string // pdftotext, blank lines dropped
	docxText  string // one paragraph a line
}

// render renders a record with write as PDF and DOCX, twice each to check
// that the same records give the same bytes, and reads both back.
func render(t *testing.T, writePDF, writeDOCX func(*bytes.Buffer) error) rendered {
	t.Helper()
	var r rendered
	for i, w := range []func(*bytes.Buffer) error{writePDF, writeDOCX} {
		var a, b bytes.Buffer
		if err := w(&a); err != nil {
			t.Fatal(err)
		}
		if err := w(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("rendering %d twice gave different bytes", i)
		}
		if i == 0 {
			r.pdf = a.Bytes()
		} else {
			r.docx = a.Bytes()
		}
	}
	if !bytes.HasPrefix(r.pdf, []byte("%PDF-")) || !bytes.Contains(r.pdf, []byte("/BaseFont /utf8liberationserif")) || !bytes.Contains(r.pdf, []byte("/FontFile2")) {
		t.Fatal("not a PDF with Liberation Serif embedded")
	}
	r.pdfText = pdfText(t, r.pdf)
	r.docxText = strings.Join(docxParagraphs(t, r.docx), "\n") + "\n"
	return r
}

// checkReadsAlike checks that the PDF, the DOCX and the canonical text say
// the same words: the PDF's are the DOCX's plus its page numbers.
func checkReadsAlike(t *testing.T, r rendered, canonical string) {
	t.Helper()
	pdfWords := words(r.pdfText)
	docxWords := words(r.docxText)
	numbers := regexp.MustCompile(`(?m)^\d+$`)
	var withoutPageNumbers []string
	removed := map[string]int{}
	for _, n := range numbers.FindAllString(r.pdfText, -1) {
		removed[n]++
	}
	// A bare number on a line of its own is a page number or a table
	// cell; drop from the PDF those the DOCX does not have as many of.
	have := map[string]int{}
	for _, w := range docxWords {
		have[w]++
	}
	for _, w := range pdfWords {
		if removed[w] > 0 && have[w] <= 0 {
			removed[w]--
			continue
		}
		have[w]--
		withoutPageNumbers = append(withoutPageNumbers, w)
	}
	// The PDF repeats a table's header row on each page the table runs
	// onto; the DOCX has it once (Word repeats it when it lays out pages).
	if diff, ok := sameWords(withoutHeaderRepeats(withoutPageNumbers, docxWords), docxWords); !ok {
		t.Errorf("the PDF and the DOCX say different words: %s", diff)
	}
	if canonical != "" {
		check := regexp.MustCompile(`Mã xác thực nội dung \(SHA-256\): [0-9a-f]{64}`).FindString(r.docxText)
		if diff, ok := sameWords(words(canonical+" "+check), docxWords); !ok {
			t.Errorf("the DOCX and the canonical text say different words: %s", diff)
		}
	}
}

// tableHeaderWords are the words of the records' table header rows.
var tableHeaderWords = words("STT Đơn vị Số phiếu Tỷ lệ (%) Kết quả Đồng ý Không đồng ý Không ý kiến Tỷ lệ đồng ý (%) Xếp hạng Điểm tự chấm Ghi chú")

// withoutHeaderRepeats drops from got the table header words it has more
// of than want.
func withoutHeaderRepeats(got, want []string) []string {
	extra := surplus(got, want)
	var out []string
	for _, w := range got {
		if extra[w] > 0 && slices.Contains(tableHeaderWords, w) {
			extra[w]--
			continue
		}
		out = append(out, w)
	}
	return out
}

// flat joins a read-back text's lines, so that a phrase set across a line
// break is found.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkHas checks that both read-backs hold each phrase and none of the
// forbidden ones.
func checkHas(t *testing.T, r rendered, want, never []string) {
	t.Helper()
	for what, text := range map[string]string{"PDF": flat(r.pdfText), "DOCX": flat(r.docxText)} {
		for _, w := range want {
			if !strings.Contains(text, flat(w)) {
				t.Errorf("the %s lacks %q", what, w)
			}
		}
		for _, w := range never {
			if strings.Contains(text, w) {
				t.Errorf("the %s has %q", what, w)
			}
		}
	}
}

// neverOnPaper are words a formal record never prints: software, shell
// commands, the words the glossary rules out.
var neverOnPaper = []string{"confbot", "sha256sum", ".txt", "cử tri", "«", "»", "> 50", ">=", "DỰ THẢO"}

func TestMinutesDocuments(t *testing.T) {
	want := map[string][]string{
		"cum8": {"BỘ CÔNG AN", "CỤM THI ĐUA SỐ 8 - KHỐI CÁC ĐƠN", "Số: /BB-CTĐ8",
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 24 tháng 11 năm 2022",
			"I. THỜI GIAN, ĐỊA ĐIỂM", "II. THÀNH PHẦN THAM DỰ", "III. NỘI DUNG HỘI NGHỊ",
			"1. Chủ trì: đồng chí Thiếu tướng Dương Văn Tính, Cục trưởng Cục Công nghệ thông tin - đơn vị Cụm trưởng.",
			"2. Thư ký: đồng chí Trung tá Cán bộ thi đua CNTT", "3. Đơn vị thành viên có mặt (6/6):",
			"2. Điểm tự chấm và xếp hạng",
			"số phiếu phát ra: 6; số phiếu thu vào: 6; số phiếu hợp lệ: 6; số phiếu không hợp lệ: 0",
			"số phiếu bầu phát ra: 6", "Điều kiện đạt: trên 50% tổng số đơn vị thành viên",
			"Đề nghị Bộ trưởng Bộ Công an tặng Cờ thi đua của Bộ Công an cho 02 đơn vị: Cục Công nghệ thông tin, Cục Kế hoạch và tài chính.",
			"Kết quả: Viện Khoa học và công nghệ trúng cử, được bầu làm đơn vị Cụm trưởng năm 2023.",
			"Kết quả: Cục Kế hoạch và tài chính trúng cử, được bầu làm đơn vị Cụm phó năm 2023.",
			"5. Bàn giao nhiệm vụ Cụm trưởng, Cụm phó",
			"Đơn vị Cụm phó năm 2023: Cục Kế hoạch và tài chính (KHTC), theo kết quả bỏ phiếu “Đơn vị Cụm phó năm 2023”.",
			"Đề nghị Bộ trưởng Bộ Công an tặng Bằng khen của Bộ trưởng Bộ Công an cho 02 đơn vị: Cục Quản lý xây dựng và doanh trại, Cục Trang bị và kho vận.",
			"4. Danh hiệu thi đua và hình thức khen thưởng được đề nghị",
			"Hội nghị kết thúc vào 11 giờ 30 phút cùng ngày./.", "THƯ KÝ", "CHỦ TRÌ",
			"Trung tá Cán bộ thi đua CNTT", "Thiếu tướng Dương Văn Tính", "Nơi nhận:", "- Lưu: Cụm trưởng.",
			"Mã xác thực nội dung (SHA-256):"},
		"cum12": {"UBND TỈNH", "CỤM THI ĐUA SỐ 12", "Số: /BB-CTĐ12", "Thành phố Huế, ngày 20 tháng 12 năm 2024",
			"1. Chủ trì: đồng chí Nguyễn Thị Hương, Giám đốc Sở Nội vụ - đơn vị Cụm trưởng.",
			"2. Thư ký: đồng chí Trần Văn Minh, Trưởng phòng Thi đua - Khen thưởng, Sở Nội vụ",
			"4. Đơn vị thành viên vắng mặt (1/12):", "Điều kiện đạt: từ 66,67% trở lên tính trên tổng số đơn vị thành viên",
			"theo quy chế, đơn vị có điểm tự chấm cao hơn được chọn: Sở Y tế (điểm tự chấm: Sở Kế hoạch và Đầu tư 940; Sở Y tế 955).",
			"theo quy chế, Hội nghị bỏ phiếu lại giữa các đơn vị này (vòng 2).", "Vòng 2 (bỏ phiếu lại giữa các đơn vị bằng phiếu)",
			"Đề nghị Chủ tịch UBND tỉnh tặng Cờ thi đua của UBND tỉnh cho 03 đơn vị:",
			"Đề nghị Thủ tướng Chính phủ tặng Bằng khen của Thủ tướng Chính phủ cho 01 đơn vị: Sở Y tế.",
			"Cùng các đơn vị đã đạt ở vòng trước:", "trúng cử, được bầu làm đơn vị Cụm trưởng năm 2025",
			"Hội nghị kết thúc vào 16 giờ 00 phút cùng ngày./.", "Trần Văn Minh", "Nguyễn Thị Hương", "- Lưu: Sở Nội vụ."},
	}
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			d := fx.data(t)
			r := render(t, func(b *bytes.Buffer) error { return export.WriteMinutesPDF(b, d) },
				func(b *bytes.Buffer) error { return export.WriteMinutesDOCX(b, d) })
			golden(t, "minutes-"+fx.name+".pdf.txt.golden", []byte(r.pdfText))
			golden(t, "minutes-"+fx.name+".docx.txt.golden", []byte(r.docxText))
			text := export.MinutesText(d)
			golden(t, "minutes-"+fx.name+".txt.golden", []byte(text))
			hash := export.MinutesHash(text)
			for what, got := range map[string]string{"PDF": r.pdfText, "DOCX": r.docxText} {
				m := regexp.MustCompile(`Mã xác thực nội dung \(SHA-256\): ([0-9a-f]{64})`).FindStringSubmatch(got)
				if m == nil || m[1] != hash {
					t.Errorf("the %s prints check code %v, want %s", what, m, hash)
				}
			}
			checkReadsAlike(t, r, text)
			checkHas(t, r, want[fx.name], neverOnPaper)
		})
	}
}

// TestRecordDate: the administrative date writes a zero only before days
// 1–9 and months 1–2.
func TestRecordDate(t *testing.T) {
	for _, tc := range []struct{ at, want string }{
		{"2023-02-05 11:30", "Hà Nội, ngày 05 tháng 02 năm 2023"},
		{"2023-11-05 11:30", "Hà Nội, ngày 05 tháng 11 năm 2023"},
		{"2023-01-24 11:30", "Hà Nội, ngày 24 tháng 01 năm 2023"},
		{"2023-03-09 11:30", "Hà Nội, ngày 09 tháng 3 năm 2023"},
		{"2022-11-24 11:30", "Hà Nội, ngày 24 tháng 11 năm 2022"},
	} {
		d := referenceData(t)
		d.Conference.EndsAt = at(t, tc.at)
		if text := export.MinutesText(d); !strings.Contains(text, "\t"+tc.want+"\n") {
			t.Errorf("ends %s: the minutes are not dated %q:\n%s", tc.at, tc.want, text[:300])
		}
	}
}

// TestDOCXPageSetup: the DOCX has the PDF's page: A4, the margins of Nghị
// định 30, Times New Roman 13 pt, page numbers in a header from page 2.
func TestDOCXPageSetup(t *testing.T) {
	var b bytes.Buffer
	if err := export.WriteMinutesDOCX(&b, referenceData(t)); err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, b.Bytes())
	doc := parts["word/document.xml"]
	for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`,
		`<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"`, `<w:titlePg/>`,
		`<w:headerReference w:type="default" r:id="rIdHeader1"/>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("word/document.xml lacks %s", want)
		}
	}
	if s := parts["word/styles.xml"]; !strings.Contains(s, `w:ascii="Times New Roman"`) || !strings.Contains(s, `<w:sz w:val="26"/>`) {
		t.Error("the default font is not Times New Roman 13 pt")
	}
	if h := parts["word/header1.xml"]; !strings.Contains(h, " PAGE ") || !strings.Contains(h, `<w:jc w:val="center"/>`) {
		t.Error("the page header has no centred page number")
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "docProps/core.xml", "word/header2.xml"} {
		if parts[name] == "" {
			t.Errorf("the DOCX lacks %s", name)
		}
	}
}
