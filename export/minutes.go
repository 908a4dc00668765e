package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// The minutes (biên bản hội nghị) are one document (see document.go) set
// three ways: as canonical text (MinutesText: the lines joined by "\n",
// UTF-8, the columns of a row joined by a tab), as a PDF and as an editable
// DOCX. The PDF and the DOCX end with "Mã xác thực nội dung (SHA-256):
// <hex>", the SHA-256 of the canonical text, which the export ships beside
// them (bien-ban-….txt): anyone can check a printed minutes against the
// records. The same records always give the same text and code.

// HashLabel precedes the hex code at the end of the minutes.
const HashLabel = checkLabel

// MinutesText is the canonical text of the minutes: every line of the
// document but the check code, each ended by "\n".
func MinutesText(d *Data) string { return minutesDocument(d).text() }

// MinutesHash is the hex SHA-256 of the canonical text, the code the
// minutes print.
func MinutesHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// WriteMinutesPDF renders the minutes as an A4 PDF in the form of Nghị
// định 30/2020/NĐ-CP, Liberation Serif embedded.
func WriteMinutesPDF(w io.Writer, d *Data) error { return writeMinutes(w, d, writeDocumentPDF) }

// WriteMinutesDOCX renders the minutes as a DOCX that reads as the PDF.
func WriteMinutesDOCX(w io.Writer, d *Data) error { return writeMinutes(w, d, writeDocumentDOCX) }

// writeMinutes renders the minutes, with their check code, with render.
func writeMinutes(w io.Writer, d *Data, render func(io.Writer, *document, time.Time) error) error {
	doc := minutesDocument(d)
	doc.check = MinutesHash(doc.text())
	if err := render(w, doc, d.DocumentDate()); err != nil {
		return fmt.Errorf("minutes: %w", err)
	}
	return nil
}

// minutesFiles renders the minutes' PDF, DOCX and canonical text.
func minutesFiles(d *Data, base string) ([]File, string, error) {
	var pdf, docx bytes.Buffer
	if err := WriteMinutesPDF(&pdf, d); err != nil {
		return nil, "", err
	}
	if err := WriteMinutesDOCX(&docx, d); err != nil {
		return nil, "", err
	}
	text := MinutesText(d)
	return []File{
		{Name: "bien-ban-" + base + ".pdf", MIME: MIMEPDF, Data: pdf.Bytes()},
		{Name: "bien-ban-" + base + ".docx", MIME: MIMEDOCX, Data: docx.Bytes()},
		{Name: "bien-ban-" + base + ".txt", MIME: MIMEText, Data: []byte(text)},
	}, MinutesHash(text), nil
}

// minutes builds the minutes' body.
type minutes struct {
	builder
	d *Data
	c *domain.Conference
}

// minutesDocument is the whole minutes of d, without its check code.
func minutesDocument(d *Data) *document {
	c := d.Conference
	m := &minutes{d: d, c: c}
	m.timePlace()
	m.attendance()
	m.heading("III. NỘI DUNG HỘI NGHỊ")
	m.reports()
	m.scores()
	m.ballots()
	m.titles()
	m.handover()
	m.closing()
	recipients := c.Paperwork.Recipients
	if len(recipients) == 0 {
		recipients = []string{"Các đơn vị thành viên Cụm;", "Lưu: đơn vị Cụm trưởng."}
	}
	return &document{
		head:       recordHead(c, d.DocumentDate()),
		draft:      !closed(c),
		kind:       "BIÊN BẢN",
		summary:    []string{c.Title},
		blocks:     m.blocks,
		signers:    []signer{m.secretarySigner(), m.chairSigner()},
		recipients: recipients,
		title:      "Biên bản: " + c.Title,
		author:     c.Cluster.Name,
	}
}

func (m *minutes) timePlace() {
	c := m.c
	m.heading("I. THỜI GIAN, ĐỊA ĐIỂM")
	if c.StartsAt.IsZero() {
		m.para("Thời gian: chưa xác định.")
	} else {
		start := c.StartsAt.In(c.TimeZone())
		m.para("Thời gian: bắt đầu vào " + hourMinute(start) + ", " + longDate(start) + ".")
	}
	loc := c.Location
	if loc == "" {
		loc = "chưa xác định"
	}
	m.para("Địa điểm: " + loc + ".")
}

func (m *minutes) attendance() {
	c, st := m.c, m.d.Attendance
	m.heading("II. THÀNH PHẦN THAM DỰ")
	if p, ok := chairPerson(c); ok {
		m.para("1. Chủ trì: đồng chí " + personWords(p.Rank, p.Name, p.Position) + " - đơn vị Cụm trưởng.")
	} else {
		m.para("1. Chủ trì: Thủ trưởng " + m.unit(c.ChairUnit) + " - đơn vị Cụm trưởng.")
	}
	var clerks []string
	for _, p := range secretaries(c) {
		clerks = append(clerks, "đồng chí "+personWords(p.Rank, p.Name, p.Position))
	}
	if len(clerks) == 0 {
		clerks = []string{"chưa xác định"}
	}
	m.para("2. Thư ký: " + strings.Join(clerks, "; ") + ".")
	var present, absent []domain.Unit
	for _, u := range c.Units {
		if st.UnitPresent(c, u.Code) {
			present = append(present, u)
		} else {
			absent = append(absent, u)
		}
	}
	m.unitList(fmt.Sprintf("3. Đơn vị thành viên có mặt (%d/%d):", len(present), len(c.Units)), present)
	m.unitList(fmt.Sprintf("4. Đơn vị thành viên vắng mặt (%d/%d):", len(absent), len(c.Units)), absent)
	if len(c.Guests) > 0 {
		var came, missed []domain.Unit
		for _, g := range c.Guests {
			if st.UnitPresent(c, g.Code) {
				came = append(came, g)
			} else {
				missed = append(missed, g)
			}
		}
		m.unitList("5. Đại biểu khách mời có mặt:", came)
		if len(missed) > 0 {
			m.unitList("Đại biểu khách mời vắng mặt:", missed)
		}
	}
	m.quorum()
}

// quorum states whether the conference could proceed.
func (m *minutes) quorum() {
	c := m.c
	q := m.d.Attendance.Quorum(c)
	base, what := "tổng số đơn vị thành viên", "Số đơn vị có mặt"
	if q.Of == domain.QuorumOfDelegates {
		base, what = "tổng số đại biểu có quyền biểu quyết", "Số đại biểu có quyền biểu quyết có mặt"
	}
	rule := fmt.Sprintf("từ %s%% trở lên tính trên %s", number(c.Quorum.Percent), base)
	switch {
	case q.Reached:
		m.para(fmt.Sprintf("%s: %d/%d, đủ điều kiện tiến hành hội nghị theo quy chế (%s).", what, q.Present, q.Eligible, rule))
	case m.d.Override != nil:
		o := m.d.Override
		m.para(fmt.Sprintf("%s: %d/%d, chưa đủ tỷ lệ theo quy chế (%s); đồng chí %s quyết định tiến hành lúc %s.",
			what, q.Present, q.Eligible, rule, o.Name, clock(c, o.At)))
	default:
		m.para(fmt.Sprintf("%s: %d/%d, chưa đủ tỷ lệ theo quy chế (%s).", what, q.Present, q.Eligible, rule))
	}
}

// unitList lists units, each with who came for it.
func (m *minutes) unitList(title string, units []domain.Unit) {
	if len(units) == 0 {
		m.para(title + " không có.")
		return
	}
	m.para(title)
	for _, u := range units {
		line := "- " + u.Name + " (" + u.Code + ")"
		if who := m.d.delegatesOf(u.Code); who != "" {
			line += ": " + who
		}
		m.item(line + ";")
	}
}

// unit names a unit "Name (CODE)".
func (m *minutes) unit(code string) string {
	if code == "" {
		return "chưa xác định"
	}
	return unitName(m.c, code) + " (" + code + ")"
}

// closing ends the content: the time the conference ended, then "./.".
func (m *minutes) closing() {
	c := m.c
	if c.EndsAt.IsZero() {
		m.para("Hội nghị kết thúc vào …… giờ …… phút cùng ngày./.")
		return
	}
	end, start := c.EndsAt.In(c.TimeZone()), c.StartsAt.In(c.TimeZone())
	day := "cùng ngày"
	if end.Format("20060102") != start.Format("20060102") {
		day = longDate(end)
	}
	m.para("Hội nghị kết thúc vào " + hourMinute(end) + " " + day + "./.")
}

func (m *minutes) secretarySigner() signer {
	s := signer{role: "THƯ KÝ", note: "(Ký, ghi rõ họ tên)"}
	if clerks := secretaries(m.c); len(clerks) > 0 {
		s.name = signedName(clerks[0].Rank, clerks[0].Name)
	}
	return s
}

func (m *minutes) chairSigner() signer {
	s := signer{role: "CHỦ TRÌ", note: "(Ký, ghi rõ họ tên)"}
	if p, ok := chairPerson(m.c); ok {
		s.name = signedName(p.Rank, p.Name)
	}
	return s
}
