package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// ChairDecision is the chair's choice among tied units under `tie: chair`,
// as the audit log records it.
type ChairDecision struct {
	Name string    // who decided, with their rank: "Thiếu tướng Dương Văn Tính"
	At   time.Time // when
}

// tieBreaker says how a tie at the quota's edge was broken: the scores a
// `tie: score` ballot compares, the chair's decision for `tie: chair`.
type tieBreaker struct {
	scores map[string]float64 // unit → self-assessed score of the summary that counts
	chair  *ChairDecision
}

// words is what a record says about a round's tie: pending (a revote, the
// chair's decision), or broken (by score, by the chair, who is named).
func (t tieBreaker) words(c *domain.Conference, s domain.BallotSpec, res domain.Result) []string {
	switch {
	case res.NeedsRevote:
		return []string{fmt.Sprintf("Các đơn vị %s có số phiếu bằng nhau cho %d vị trí còn lại; theo quy chế, Hội nghị bỏ phiếu lại giữa các đơn vị này (vòng %d).",
			unitNames(c, res.Tied), res.Seats, res.Round+1)}
	case res.NeedsChair:
		return []string{fmt.Sprintf("Các đơn vị %s có số phiếu bằng nhau cho %d vị trí còn lại; theo quy chế, đồng chí chủ trì hội nghị quyết định.",
			unitNames(c, res.Tied), res.Seats)}
	}
	tied := brokenTie(res)
	if len(tied) == 0 {
		return nil
	}
	head := fmt.Sprintf("Các đơn vị %s có số phiếu bằng nhau ở vị trí cuối của chỉ tiêu", unitNames(c, tied))
	switch s.Tie {
	case domain.TieScore:
		scored := make([]string, len(tied))
		for i, code := range tied {
			scored[i] = fmt.Sprintf("%s %s", unitName(c, code), number(t.scores[code]))
		}
		return []string{fmt.Sprintf("%s; theo quy chế, đơn vị có điểm tự chấm cao hơn được chọn: %s (điểm tự chấm: %s).",
			head, unitNames(c, awardedAmong(res, tied)), strings.Join(scored, "; "))}
	case domain.TieChair:
		who := "đồng chí chủ trì hội nghị"
		at := ""
		if t.chair != nil {
			who = "đồng chí " + t.chair.Name + ", chủ trì hội nghị,"
			at = " (lúc " + clock(c, t.chair.At) + ")"
		}
		return []string{fmt.Sprintf("%s; theo quy chế, %s đã quyết định chọn %s%s.", head, who, unitNames(c, awardedAmong(res, tied)), at)}
	}
	return []string{head + "."}
}

// brokenTie finds the units of a settled tie at the quota's edge: awarded
// and passed units with the votes of the last awarded one, when some of
// them were left out. Empty when the round had no such tie.
func brokenTie(res domain.Result) []string {
	rows := rankedRows(res)
	edge, found := 0, false
	for _, r := range rows {
		if r.Awarded {
			edge, found = r.Votes, true
		}
	}
	if !found {
		return nil
	}
	var tied []string
	left := false
	for _, r := range rows {
		if r.Passed && r.Votes == edge {
			tied = append(tied, r.Candidate)
			left = left || !r.Awarded
		}
	}
	if !left {
		return nil
	}
	return tied
}

// awardedAmong keeps the awarded units of codes.
func awardedAmong(res domain.Result, codes []string) []string {
	var out []string
	for _, r := range res.Rows {
		for _, code := range codes {
			if r.Candidate == code && r.Awarded {
				out = append(out, code)
			}
		}
	}
	return out
}

// chairDecision finds the chair's decision on a ballot in the audit log:
// the last "ballot.decide" entry for it.
func (d *Data) chairDecision(ballot string) *ChairDecision {
	var out *ChairDecision
	for _, e := range d.Audit {
		if e.Action == "ballot.decide" && strings.HasPrefix(e.Detail, ballot+":") {
			rank, _ := d.rankAndPosition(e.ActorID)
			out = &ChairDecision{Name: signedName(rank, e.ActorName), At: e.At}
		}
	}
	return out
}
