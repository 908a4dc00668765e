package export

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/confbot/confbot/domain"
)

// The words and tables of one tallied round, shared by the minutes and the
// round's biên bản kiểm phiếu, so both say the same.

// isElection reports whether a ballot elects next year's chair or deputy
// chair unit: its verdict is trúng cử, not a proposal.
func isElection(s domain.BallotSpec) bool { return s.Elects() }

// isChairElection reports whether a ballot elects next year's chair unit:
// the one vote whose paper is a phiếu bầu (the glossary keeps the word to
// it; the deputy's election counts "phiếu").
func isChairElection(s domain.BallotSpec) bool { return s.OnResult == domain.OnResultHandover }

// paperWord is what one ballot paper is called: "phiếu bầu" for the chair
// election, "phiếu" for the rest.
func paperWord(s domain.BallotSpec) string {
	if isChairElection(s) {
		return "phiếu bầu"
	}
	return "phiếu"
}

// thresholdWords is "trên 50% tổng số đơn vị thành viên" or "từ 66,67% trở
// lên tính trên tổng số đơn vị thành viên".
func thresholdWords(t domain.Threshold) string {
	if t.Op == ">=" {
		return fmt.Sprintf("từ %s%% trở lên tính trên %s", number(t.Percent), baseWords[t.Of])
	}
	return fmt.Sprintf("trên %s%% %s", number(t.Percent), baseWords[t.Of])
}

// ballotForm is "Hình thức: bỏ phiếu kín; …. Điều kiện đạt: trên 50% tổng
// số đơn vị thành viên; chỉ tiêu: 2 đơn vị."
func ballotForm(s domain.BallotSpec) string {
	var what string
	switch {
	case s.Kind == domain.KindApprove:
		what = "biểu quyết đồng ý hoặc không đồng ý đối với từng đơn vị"
	case s.Kind == domain.KindChoose:
		what = fmt.Sprintf("mỗi phiếu chọn tối đa %d đơn vị", s.MaxChoices)
	case isChairElection(s):
		what = "mỗi phiếu bầu một đơn vị"
	case isElection(s):
		what = "mỗi phiếu ghi tên một đơn vị"
	default:
		what = "mỗi phiếu chọn một đơn vị"
	}
	who := "mỗi đơn vị thành viên một phiếu"
	if s.Voters == domain.VotersDelegate {
		who = "mỗi đại biểu có quyền biểu quyết một phiếu"
	}
	quota := "không giới hạn"
	if s.Quota > 0 {
		quota = fmt.Sprintf("%d đơn vị", s.Quota)
	}
	return fmt.Sprintf("Hình thức: bỏ phiếu %s; %s; %s. Điều kiện đạt: %s; chỉ tiêu: %s.",
		secrecy(s), what, who, thresholdWords(s.Threshold), quota)
}

// paperCounts are the four counts, in lower case, of a round: phát ra (the roll), thu vào
// and hợp lệ (the ballots cast: the bot accepts only valid ones), không
// hợp lệ (none, for that reason).
func paperCounts(s domain.BallotSpec, r Round) []string {
	w := paperWord(s)
	return []string{
		fmt.Sprintf("số %s phát ra: %d", w, r.Eligible),
		fmt.Sprintf("số %s thu vào: %d", w, r.Result.Turnout),
		fmt.Sprintf("số %s hợp lệ: %d", w, r.Result.Turnout),
		fmt.Sprintf("số %s không hợp lệ: 0", w),
	}
}

// rankedRows orders a round's rows from most votes down, candidate order
// among equals.
func rankedRows(res domain.Result) []domain.Row {
	rows := slices.Clone(res.Rows)
	slices.SortStableFunc(rows, func(a, b domain.Row) int { return cmp.Compare(b.Votes, a.Votes) })
	return rows
}

// roundTable is a round's candidates ranked by votes, with the percentage
// of the base and the verdict.
func roundTable(c *domain.Conference, s domain.BallotSpec, res domain.Result) *table {
	t := &table{header: []string{"STT", "Đơn vị", "Số phiếu", "Tỷ lệ (%)", "Kết quả"},
		widths: []float64{8, 44, 12, 13, 23}, align: "CLCCC"}
	if s.Kind == domain.KindApprove {
		t = &table{header: []string{"STT", "Đơn vị", "Đồng ý", "Không đồng ý", "Không ý kiến", "Tỷ lệ đồng ý (%)", "Kết quả"},
			widths: []float64{7, 31, 10, 11, 11, 11, 19}, align: "CLCCCCC"}
	}
	for i, row := range rankedRows(res) {
		cells := []string{fmt.Sprint(i + 1), unitName(c, row.Candidate)}
		if s.Kind == domain.KindApprove {
			cells = append(cells, fmt.Sprint(row.Yes), fmt.Sprint(row.No), fmt.Sprint(row.Abstain))
		} else {
			cells = append(cells, fmt.Sprint(row.Votes))
		}
		t.rows = append(t.rows, append(cells, number(row.Percent), verdictOf(s, row)))
	}
	return t
}

// baseLine says what the percentages are of: "Tỷ lệ tính trên tổng số đơn
// vị thành viên: 6."
func baseLine(s domain.BallotSpec, res domain.Result) string {
	return fmt.Sprintf("Tỷ lệ tính trên %s: %d.", baseWords[s.Threshold.Of], res.Base)
}

// roundVerdict is what a round decided, in the words of its kind: "đạt"
// and the proposal to the authority for a title, "trúng cử" for the
// election; then a tie and how it was, or is to be, broken. before are the
// units earlier rounds of the ballot awarded: a revote's proposal names
// them too.
func roundVerdict(c *domain.Conference, s domain.BallotSpec, res domain.Result, before []string, breaker tieBreaker) []string {
	var out []string
	switch {
	case isElection(s) && len(res.Awarded) > 0:
		out = append(out, fmt.Sprintf("Kết quả: %s trúng cử, được bầu làm %s.", unitNames(c, res.Awarded), lowerFirst(s.Title)))
	case isElection(s) && !res.NeedsRevote && !res.NeedsChair:
		out = append(out, "Kết quả: không có đơn vị nào trúng cử.")
	case len(res.Awarded) > 0:
		out = append(out, fmt.Sprintf("Kết quả: %s đơn vị đạt: %s.", twoDigits(len(res.Awarded)), unitNames(c, res.Awarded)))
		if over := overQuota(res); len(over) > 0 {
			out = append(out, "Đạt điều kiện nhưng ngoài chỉ tiêu: "+unitNames(c, over)+".")
		}
	case !res.NeedsRevote && !res.NeedsChair:
		out = append(out, "Kết quả: không có đơn vị nào đạt.")
	}
	out = append(out, breaker.words(c, s, res)...)
	all := append(slices.Clone(before), res.Awarded...)
	if len(before) > 0 && len(res.Awarded) > 0 {
		out = append(out, "Cùng các đơn vị đã đạt ở vòng trước: "+unitNames(c, before)+".")
	}
	if !isElection(s) && len(res.Awarded) > 0 && !res.NeedsRevote && !res.NeedsChair {
		out = append(out, fmt.Sprintf("Đề nghị %s tặng %s cho %s đơn vị: %s.",
			proposalTo(c, s), s.Title, twoDigits(len(all)), unitNames(c, all)))
	}
	return out
}

// overQuota are the units that met the threshold but are not awarded.
func overQuota(res domain.Result) []string {
	var out []string
	for _, r := range rankedRows(res) {
		if r.Passed && !r.Awarded && !r.Tied {
			out = append(out, r.Candidate)
		}
	}
	return out
}

// verdictOf is a row's verdict: trúng cử for the election; đạt, bằng phiếu,
// đạt nhưng ngoài chỉ tiêu or không đạt for a title.
func verdictOf(s domain.BallotSpec, r domain.Row) string {
	switch {
	case isElection(s) && r.Awarded:
		return "trúng cử"
	case r.Awarded:
		return "đạt"
	case r.Tied:
		return "bằng phiếu"
	case isElection(s):
		return "không trúng cử"
	case r.Passed:
		return "đạt nhưng ngoài chỉ tiêu"
	}
	return "không đạt"
}

// lowerFirst lowers a title's first letter: "Đơn vị Cụm trưởng" → "đơn vị Cụm trưởng".
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
