package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// The minutes (biên bản) are built twice from the same lines: as canonical
// text (MinutesText: the lines joined by "\n", UTF-8, the columns of a
// signature line joined by a tab) and as a PDF that prints those lines and
// then "Mã kiểm tra (SHA-256): <hex>", the SHA-256 of the canonical text.
// The export ships the text beside the PDF (bien-ban-….txt), so anyone can
// check a printed minutes against the records: `sha256sum bien-ban-….txt`
// must print the code at the end of the PDF, and the text must read the
// same as the PDF. The same records always give the same text and code.

// lineStyle says how the PDF sets a line; the canonical text ignores it.
type lineStyle int

const (
	styleMotto    lineStyle = iota // centred, bold: the national motto
	styleOrg                       // left, bold: the issuing body
	stylePlace                     // right: place and date
	styleTitle                     // centred, bold, large: BIÊN BẢN
	styleSubtitle                  // centred, bold: what the minutes are of
	styleNote                      // centred: a remark under the title
	styleHeading                   // bold: a section (I., II., …)
	styleBallot                    // bold: a ballot's title
	styleBody                      // a paragraph
	styleItem                      // an indented list item
	styleSign                      // two bold centred columns: who signs
	styleSignNote                  // two centred columns under them
)

// Line is one line (paragraph) of the minutes.
type Line struct {
	style lineStyle
	Cols  []string // one column, or two on signature lines
}

// Text is the line as the canonical text has it.
func (l Line) Text() string { return strings.Join(l.Cols, "\t") }

// HashLabel precedes the hex code at the end of the PDF.
const HashLabel = "Mã kiểm tra (SHA-256):"

// MinutesText is the canonical text of the minutes: every line of the
// document but the check code, each ended by "\n".
func MinutesText(d *Data) string {
	var b strings.Builder
	for _, l := range minutesLines(d) {
		b.WriteString(l.Text())
		b.WriteByte('\n')
	}
	return b.String()
}

// MinutesHash is the hex SHA-256 of the canonical text, the code the PDF
// prints.
func MinutesHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// minutes builds the lines, in the order of the document.
type minutes struct {
	d     *Data
	c     *domain.Conference
	lines []Line
}

func (m *minutes) add(s lineStyle, cols ...string) {
	m.lines = append(m.lines, Line{style: s, Cols: cols})
}

func (m *minutes) addf(s lineStyle, format string, args ...any) {
	m.add(s, fmt.Sprintf(format, args...))
}

func minutesLines(d *Data) []Line {
	m := &minutes{d: d, c: d.Conference}
	m.header()
	m.timePlace()
	m.attendance()
	m.ballots()
	m.titles()
	m.handover()
	m.closing()
	return m.lines
}

func (m *minutes) header() {
	c := m.c
	m.add(styleMotto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	m.add(styleMotto, "Độc lập - Tự do - Hạnh phúc")
	m.add(styleOrg, strings.ToUpper(c.Cluster.Name))
	place := c.Location
	if place == "" {
		place = "……"
	}
	m.add(stylePlace, place+", "+longDate(m.d.DocumentDate()))
	m.add(styleTitle, "BIÊN BẢN")
	m.add(styleSubtitle, c.Title)
	if c.State != domain.StateClosed && c.State != domain.StateArchived {
		m.add(styleNote, "(Bản dự thảo: hội nghị chưa kết thúc)")
	}
}

func (m *minutes) timePlace() {
	m.add(styleHeading, "I. THỜI GIAN, ĐỊA ĐIỂM")
	m.add(styleBody, "Thời gian: "+timeSpan(m.c)+".")
	loc := m.c.Location
	if loc == "" {
		loc = "chưa xác định"
	}
	m.add(styleBody, "Địa điểm: "+loc+".")
}

func (m *minutes) attendance() {
	c, st := m.c, m.d.Attendance
	m.add(styleHeading, "II. THÀNH PHẦN THAM DỰ")
	m.add(styleBody, "Chủ trì hội nghị: đơn vị Cụm trưởng "+m.unit(c.ChairUnit)+".")
	if c.DeputyUnit != "" {
		m.add(styleBody, "Đơn vị Cụm phó: "+m.unit(c.DeputyUnit)+".")
	} else {
		m.add(styleBody, "Đơn vị Cụm phó: không có.")
	}
	var present, absent []domain.Unit
	for _, u := range c.Units {
		if st.UnitPresent(c, u.Code) {
			present = append(present, u)
		} else {
			absent = append(absent, u)
		}
	}
	m.unitList(fmt.Sprintf("Đơn vị thành viên có mặt (%d/%d):", len(present), len(c.Units)), present)
	m.unitList(fmt.Sprintf("Đơn vị thành viên vắng mặt (%d/%d):", len(absent), len(c.Units)), absent)
	if len(c.Guests) > 0 {
		var came, missed []domain.Unit
		for _, g := range c.Guests {
			if st.UnitPresent(c, g.Code) {
				came = append(came, g)
			} else {
				missed = append(missed, g)
			}
		}
		m.unitList("Đại biểu khách mời có mặt:", came)
		if len(missed) > 0 {
			m.unitList("Đại biểu khách mời vắng mặt:", missed)
		}
	}
	q := st.Quorum(c)
	base := "tổng số đơn vị thành viên"
	if q.Of == domain.QuorumOfDelegates {
		base = "tổng số đại biểu có quyền biểu quyết"
	}
	switch {
	case q.Reached:
		m.addf(styleBody, "Số lượng có mặt: %d/%d, đủ điều kiện tiến hành hội nghị theo quy định (tối thiểu %s%% %s).",
			q.Present, q.Eligible, number(c.Quorum.Percent), base)
	case m.d.Override != nil:
		o := m.d.Override
		m.addf(styleBody, "Số lượng có mặt: %d/%d, chưa đủ tỷ lệ quy định (tối thiểu %s%% %s); %s quyết định tiến hành lúc %s.",
			q.Present, q.Eligible, number(c.Quorum.Percent), base, o.Name, clock(c, o.At))
	default:
		m.addf(styleBody, "Số lượng có mặt: %d/%d, chưa đủ tỷ lệ quy định (tối thiểu %s%% %s).",
			q.Present, q.Eligible, number(c.Quorum.Percent), base)
	}
}

func (m *minutes) unitList(title string, units []domain.Unit) {
	if len(units) == 0 {
		m.add(styleBody, title+" không có.")
		return
	}
	m.add(styleBody, title)
	for _, u := range units {
		m.add(styleItem, "- "+u.Code+" — "+u.Name)
	}
}

// unit names a unit "Name (CODE)".
func (m *minutes) unit(code string) string {
	if code == "" {
		return "chưa xác định"
	}
	return unitName(m.c, code) + " (" + code + ")"
}

// closing ends the document: the end time, the signatures.
func (m *minutes) closing() {
	if !m.c.EndsAt.IsZero() {
		m.add(styleBody, "Hội nghị kết thúc lúc "+clock(m.c, m.c.EndsAt)+". Biên bản được lập từ dữ liệu hội nghị do hệ thống confbot ghi nhận.")
	} else {
		m.add(styleBody, "Biên bản được lập từ dữ liệu hội nghị do hệ thống confbot ghi nhận.")
	}
	m.add(styleSign, "THƯ KÝ HỘI NGHỊ", "CHỦ TRÌ HỘI NGHỊ")
	m.add(styleSignNote, "(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên, đóng dấu)")
}

// longDate is the administrative date: "ngày 24 tháng 11 năm 2022".
func longDate(t time.Time) string {
	return fmt.Sprintf("ngày %02d tháng %02d năm %d", t.Day(), int(t.Month()), t.Year())
}

// clock is "08:00 ngày 24/11/2022" in the cluster's zone.
func clock(c *domain.Conference, t time.Time) string {
	t = t.In(c.TimeZone())
	return t.Format("15:04") + " ngày " + t.Format("02/01/2006")
}

// timeSpan is the conference's time: "từ 08:00 đến 11:30 ngày 24/11/2022".
func timeSpan(c *domain.Conference) string {
	start, end := c.StartsAt.In(c.TimeZone()), c.EndsAt.In(c.TimeZone())
	switch {
	case c.StartsAt.IsZero():
		return "chưa xác định"
	case c.EndsAt.IsZero():
		return "từ " + clock(c, start)
	case start.Format("20060102") == end.Format("20060102"):
		return "từ " + start.Format("15:04") + " đến " + end.Format("15:04") + " ngày " + start.Format("02/01/2006")
	}
	return "từ " + clock(c, start) + " đến " + clock(c, end)
}
