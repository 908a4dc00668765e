package export

import (
	"strconv"

	"github.com/confbot/confbot/domain"
)

// Tables builds the export's tables, in the order of the workbook's sheets:
// attendance, summaries, results, named votes, audit log, the ranking by
// score (last, so the first five keep their places). The header rows
// are in Vietnamese; README documents each column.
func Tables(d *Data) []Table {
	return []Table{attendanceTable(d), summariesTable(d), resultsTable(d), votesTable(d), auditTable(d), scoresTable(d)}
}

// attendanceTable: one row per known person; a unit nobody of which is
// known gets one row of its own, so every unit appears.
func attendanceTable(d *Data) Table {
	c, st := d.Conference, d.Attendance
	t := Table{File: "attendance.csv", Sheet: "Điểm danh", Header: []string{
		"Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Họ tên", "Vai trò", "Đăng ký tham dự",
		"Người thay thế", "Thời điểm đăng ký", "Điểm danh", "Thời điểm điểm danh", "Đơn vị có mặt"}}
	for _, u := range allUnits(c) {
		kind := "thành viên"
		if u.Guest {
			kind = "khách mời"
		}
		unitPresent := "không"
		if st.UnitPresent(c, u.Code) {
			unitPresent = "có"
		}
		known := false
		for _, p := range d.People {
			if p.Unit != u.Code {
				continue
			}
			known = true
			answer, sub, regAt := "chưa trả lời", "", ""
			if a, ok := st.Registered[p.ID]; ok {
				answer, sub, regAt = answerWords[a.Answer], a.Substitute, d.stamp(a.At)
			}
			here, hereAt := "", ""
			if pr, ok := st.Present[p.ID]; ok {
				here, hereAt = "có mặt", d.stamp(pr.At)
			} else if pr, ok := st.UnitsPresent[u.Code]; ok {
				here, hereAt = "có mặt (thư ký ghi nhận cả đơn vị)", d.stamp(pr.At)
			}
			t.Rows = append(t.Rows, []any{u.Code, u.Name, kind, p.Name, rolesText(p.Roles), answer, sub, regAt, here, hereAt, unitPresent})
		}
		if !known {
			here, hereAt := "", ""
			if pr, ok := st.UnitsPresent[u.Code]; ok {
				here, hereAt = "có mặt (thư ký ghi nhận cả đơn vị)", d.stamp(pr.At)
			}
			t.Rows = append(t.Rows, []any{u.Code, u.Name, kind, "", "", "", "", "", here, hereAt, unitPresent})
		}
	}
	return t
}

// summariesTable: every version of every member unit's summary, the one
// that counts marked; a unit without a summary gets a "chưa nộp" row.
func summariesTable(d *Data) Table {
	t := Table{File: "summaries.csv", Sheet: "Báo cáo", Header: []string{
		"Mã đơn vị", "Tên đơn vị", "Phiên bản", "Bản được tính", "Thời điểm nộp", "Nộp muộn", "Điểm tự chấm",
		"Tên tệp", "Kích thước (byte)", "SHA-256", "Người nộp", "Nội dung"}}
	for _, u := range d.Conference.Units {
		versions := d.Summaries[u.Code]
		if len(versions) == 0 {
			t.Rows = append(t.Rows, []any{u.Code, u.Name, "", "chưa nộp", "", "", "", "", "", "", "", ""})
			continue
		}
		for i, v := range versions {
			name, size, sum := "", any(""), ""
			if v.Document != nil {
				name, size, sum = v.Document.FileName, v.Document.Size, v.Document.SHA256
			}
			t.Rows = append(t.Rows, []any{u.Code, u.Name, v.Version, yesNo(i == len(versions)-1), d.stamp(v.At),
				yesNo(v.Late), v.Score, name, size, sum, v.ByName, v.Text})
		}
	}
	return t
}

// resultsTable: one row per candidate per tallied round; a ballot without
// a tally gets one row saying where it stands.
func resultsTable(d *Data) Table {
	t := Table{File: "results.csv", Sheet: "Kết quả", Header: []string{
		"Mã nội dung", "Nội dung bỏ phiếu", "Loại phiếu", "Hình thức", "Vòng", "Mã đơn vị", "Tên đơn vị",
		"Đồng ý", "Không đồng ý", "Không ý kiến", "Số phiếu", "Tỷ lệ (%)", "Kết quả",
		"Số phiếu thu vào", "Số phiếu phát ra", "Cơ sở tính tỷ lệ", "Tỷ lệ tính trên"}}
	c := d.Conference
	for _, b := range d.Ballots {
		s := b.Spec
		if len(b.Rounds) == 0 {
			t.Rows = append(t.Rows, []any{s.ID, s.Title, kindOf(s), secrecy(s), "", "", "", "", "", "", "", "",
				stateWords[b.State], "", "", "", ""})
			continue
		}
		for _, r := range b.Rounds {
			res := r.Result
			for _, row := range res.Rows {
				yes, no, abstain := any(""), any(""), any("")
				if s.Kind == domain.KindApprove {
					yes, no, abstain = row.Yes, row.No, row.Abstain
				}
				t.Rows = append(t.Rows, []any{s.ID, s.Title, kindOf(s), secrecy(s), res.Round, row.Candidate,
					unitName(c, row.Candidate), yes, no, abstain, row.Votes, row.Percent, verdictOf(s, row),
					res.Turnout, r.Eligible, res.Base, baseWords[s.Threshold.Of]})
			}
		}
	}
	return t
}

// votesTable: who chose what, for named ballots only. A secret ballot has
// no rows here, ever: the bot does not know its choices by voter.
func votesTable(d *Data) Table {
	t := Table{File: "votes.csv", Sheet: "Phiếu công khai", Header: []string{
		"Mã nội dung", "Nội dung bỏ phiếu", "Vòng", "Người bỏ phiếu", "Lựa chọn"}}
	for _, b := range d.Ballots {
		if b.Spec.Secret {
			continue
		}
		for _, r := range b.Rounds {
			for _, voter := range d.voterOrder(r.Named) {
				t.Rows = append(t.Rows, []any{b.Spec.ID, b.Spec.Title, r.Result.Round, d.voterLabel(voter),
					describeVote(candidatesOf(r.Result), r.Named[voter])})
			}
		}
	}
	return t
}

func auditTable(d *Data) Table {
	t := Table{File: "audit.csv", Sheet: "Nhật ký", Header: []string{
		"Thời điểm", "Mã người thực hiện", "Người thực hiện", "Thao tác", "Chi tiết"}}
	for _, e := range d.Audit {
		id := ""
		if e.ActorID != 0 {
			id = strconv.FormatInt(e.ActorID, 10)
		}
		t.Rows = append(t.Rows, []any{d.stamp(e.At), id, e.ActorName, e.Action, e.Detail})
	}
	return t
}

func candidatesOf(res domain.Result) []string {
	out := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = r.Candidate
	}
	return out
}
