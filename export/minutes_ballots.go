package export

import (
	"fmt"
	"strings"

	"github.com/confbot/confbot/domain"
)

// reports lists each member unit's summary: when it came, whether late,
// its score; or that none came.
func (m *minutes) reports() {
	m.sub("1. Báo cáo tổng kết của các đơn vị thành viên")
	c := m.c
	for _, u := range c.Units {
		s, ok := m.d.Attendance.Summaries[u.Code]
		if !ok {
			m.item("- " + u.Name + ": chưa nộp báo cáo;")
			continue
		}
		late := ""
		if s.Late {
			late = " (nộp muộn)"
		}
		m.item(fmt.Sprintf("- %s: nộp báo cáo lúc %s%s, điểm tự chấm %s;", u.Name, clock(c, s.At), late, number(s.Score)))
	}
}

// ballots writes each ballot's form, each tallied round's counts, ranked
// table and verdict, who chose whom on a named ballot (never on a secret
// one: its choices are not known by voter), and where the ballot ended.
func (m *minutes) ballots() {
	m.sub("3. Kết quả bỏ phiếu")
	if len(m.d.Ballots) == 0 {
		m.para("Hội nghị không tổ chức bỏ phiếu.")
		return
	}
	scores := map[string]float64{}
	for code, s := range m.d.Attendance.Summaries {
		scores[code] = s.Score
	}
	breaker := tieBreaker{scores: scores}
	for i, b := range m.d.Ballots {
		m.sub(fmt.Sprintf("3.%d. %s", i+1, b.Spec.Title))
		m.para(ballotForm(b.Spec))
		breaker.chair = m.d.chairDecision(b.Spec.ID)
		var before []string
		for _, r := range b.Rounds {
			m.round(b.Spec, r, before, breaker)
			before = append(before, r.Result.Awarded...)
		}
		if s := m.pending(b); s != "" {
			m.para(s)
		}
	}
}

func (m *minutes) round(s domain.BallotSpec, r Round, before []string, breaker tieBreaker) {
	res := r.Result
	label := fmt.Sprintf("Vòng %d", res.Round)
	if res.Round > 1 {
		label += " (bỏ phiếu lại giữa các đơn vị bằng phiếu)"
	}
	m.para(label + ": " + strings.Join(paperCounts(s, r), "; ") + ". " + baseLine(s, res))
	m.grid(roundTable(m.c, s, res))
	for _, line := range roundVerdict(m.c, s, res, before, breaker) {
		m.para(line)
	}
	if s.Secret {
		m.para("Bỏ phiếu kín: biên bản chỉ ghi số phiếu và kết quả, không ghi lựa chọn của từng người bỏ phiếu.")
		return
	}
	if len(r.Named) == 0 {
		return
	}
	m.para("Bỏ phiếu công khai, lựa chọn của từng người bỏ phiếu:")
	for _, voter := range m.d.voterOrder(r.Named) {
		m.item("- " + m.d.voterLabel(voter) + ": " + describeVote(candidatesOf(res), r.Named[voter]))
	}
}

// pending says where a ballot without a final result stands; "" when its
// rounds said it all.
func (m *minutes) pending(b Ballot) string {
	switch {
	case len(b.Rounds) == 0 && b.State == domain.BallotOpen:
		return "Đang bỏ phiếu, chưa có kết quả."
	case len(b.Rounds) == 0:
		return "Chưa tiến hành bỏ phiếu."
	case b.State == domain.BallotOpen:
		return "Đang bỏ phiếu lại, chưa có kết quả cuối cùng."
	case b.Outcome.NeedsRevote || b.Outcome.NeedsChair:
		return "Chưa có kết quả cuối cùng."
	}
	return ""
}

// titles writes what the conference proposes, ballot by ballot: every
// decided ballot but the chair and deputy elections, which the handover
// states.
func (m *minutes) titles() {
	m.sub("4. Danh hiệu thi đua và hình thức khen thưởng được đề nghị")
	n := 0
	for _, b := range m.d.Ballots {
		if isElection(b.Spec) || !b.Outcome.Decided || len(b.Outcome.Awarded) == 0 {
			continue
		}
		awarded := b.Outcome.Awarded
		m.item(fmt.Sprintf("- %s: đề nghị %s tặng cho %s đơn vị: %s;", b.Spec.Title, proposalTo(m.c, b.Spec),
			twoDigits(len(awarded)), unitNames(m.c, awarded)))
		n++
	}
	if n == 0 {
		m.para("Chưa có đơn vị nào được đề nghị.")
	}
}

// handover writes next year's chair unit and how it was decided, then,
// when the conference elects or records one, next year's deputy chair unit.
func (m *minutes) handover() {
	c := m.c
	deputy := c.NextDeputyUnit != "" || m.hasElection(domain.OfficeDeputy)
	if deputy {
		m.sub("5. Bàn giao nhiệm vụ Cụm trưởng, Cụm phó")
	} else {
		m.sub("5. Bàn giao nhiệm vụ Cụm trưởng")
	}
	if c.NextChairUnit == "" {
		m.para(fmt.Sprintf("Chưa xác định đơn vị Cụm trưởng năm %d.", c.Year+1))
	} else {
		m.para(fmt.Sprintf("Đơn vị Cụm trưởng năm %d: %s%s.", c.Year+1, m.unit(c.NextChairUnit), m.howDecided(domain.OfficeChair)))
		m.para(fmt.Sprintf("%s bàn giao nhiệm vụ Cụm trưởng cho %s.", m.unit(c.ChairUnit), m.unit(c.NextChairUnit)))
	}
	switch {
	case !deputy:
	case c.NextDeputyUnit == "":
		m.para(fmt.Sprintf("Chưa xác định đơn vị Cụm phó năm %d.", c.Year+1))
	default:
		m.para(fmt.Sprintf("Đơn vị Cụm phó năm %d: %s%s.", c.Year+1, m.unit(c.NextDeputyUnit), m.howDecided(domain.OfficeDeputy)))
	}
}

// hasElection reports whether a ballot of the conference elects office,
// whether or not it was held.
func (m *minutes) hasElection(office domain.Office) bool {
	for _, b := range m.c.Ballots {
		if domain.OfficeOf(b) == office {
			return true
		}
	}
	return false
}

// howDecided says how next year's office holder was decided: by the
// election that chose that unit, else by the secretary who recorded it
// (the latest such entry of the audit log).
func (m *minutes) howDecided(office domain.Office) string {
	c := m.c
	unit := c.Next(office)
	for _, b := range m.d.Ballots {
		if domain.OfficeOf(b.Spec) == office && b.Outcome.Decided && len(b.Outcome.Awarded) > 0 && b.Outcome.Awarded[0] == unit {
			return ", theo kết quả bỏ phiếu “" + b.Spec.Title + "”"
		}
	}
	action := "handover"
	if office == domain.OfficeDeputy {
		action = "handover.deputy"
	}
	how := ""
	for _, e := range m.d.Audit {
		if e.Action == action {
			how = ", do đồng chí " + e.ActorName + " ghi nhận lúc " + clock(c, e.At)
		}
	}
	return how
}
