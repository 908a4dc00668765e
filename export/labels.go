package export

import (
	"strings"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// The exports are records of a Vietnamese public body: their headers and the
// minutes are in Vietnamese whatever language the person who asks reads,
// like the paper forms they replace. The words live here, in one place.

var roleWords = map[domain.Role]string{
	domain.RoleAdmin:     "quản trị",
	domain.RoleSecretary: "thư ký",
	domain.RoleHead:      "thủ trưởng",
	domain.RoleDelegate:  "đại biểu",
	domain.RoleObserver:  "khách mời",
}

func rolesText(rs []domain.Role) string {
	words := make([]string, 0, len(rs))
	for _, r := range rs {
		if w, ok := roleWords[r]; ok {
			words = append(words, w)
		} else {
			words = append(words, string(r))
		}
	}
	return strings.Join(words, ", ")
}

var answerWords = map[domain.AttendAnswer]string{
	domain.AttendYes:        "tham dự",
	domain.AttendNo:         "không tham dự",
	domain.AttendSubstitute: "cử người thay",
}

var kindWords = map[domain.BallotKind]string{
	domain.KindApprove: "biểu quyết",
	domain.KindChoose:  "chọn",
	domain.KindElect:   "chọn một đơn vị",
}

// kindOf names a ballot's kind: "bầu" only for the chair election, which
// is the one vote that is an election.
func kindOf(s domain.BallotSpec) string {
	if isElection(s) {
		return "bầu"
	}
	return kindWords[s.Kind]
}

var choiceWords = map[domain.Choice]string{
	domain.ChoiceYes:     "đồng ý",
	domain.ChoiceNo:      "không đồng ý",
	domain.ChoiceAbstain: "không ý kiến",
}

// baseWords name the bases of a percentage, one name each, everywhere.
var baseWords = map[domain.ThresholdBase]string{
	domain.BaseMembers: "tổng số đơn vị thành viên",
	domain.BasePresent: "số đơn vị có mặt",
	domain.BaseValid:   "số phiếu hợp lệ",
}

var stateWords = map[domain.BallotState]string{
	domain.BallotDraft:  "chưa bỏ phiếu",
	domain.BallotOpen:   "đang bỏ phiếu",
	domain.BallotClosed: "đã kiểm phiếu",
}

func secrecy(b domain.BallotSpec) string {
	if b.Secret {
		return "kín"
	}
	return "công khai"
}

// yesNo renders a flag as the tables show it: "có" or nothing.
func yesNo(b bool) string {
	if b {
		return "có"
	}
	return ""
}

// describeVote renders a named vote: "CNTT: đồng ý; KHTC: không đồng ý" in
// candidate order (an unmarked candidate counts as không ý kiến), or the
// picks, "KHTC, QLXD".
func describeVote(candidates []string, v domain.Vote) string {
	if v.Approve == nil {
		if len(v.Picks) == 0 {
			return "(không chọn)"
		}
		return strings.Join(v.Picks, ", ")
	}
	parts := make([]string, 0, len(candidates))
	for _, c := range candidates {
		ch, ok := v.Approve[c]
		if !ok {
			ch = domain.ChoiceAbstain
		}
		parts = append(parts, c+": "+choiceWords[ch])
	}
	return strings.Join(parts, "; ")
}

// number formats a float as the minutes print it: two decimals at most,
// decimal comma (66,67).
func number(f float64) string { return i18n.FormatValue(i18n.VI, f) }
