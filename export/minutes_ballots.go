package export

import (
	"fmt"
	"strings"

	"github.com/confbot/confbot/domain"
)

// ballots writes section III: each ballot's form, each tallied round's
// turnout and per-candidate counts, who chose whom on a named ballot (never
// on a secret one: its choices are not known by voter), and the outcome.
func (m *minutes) ballots() {
	m.add(styleHeading, "III. KẾT QUẢ BÌNH XÉT, BỎ PHIẾU")
	if len(m.d.Ballots) == 0 {
		m.add(styleBody, "Hội nghị không tổ chức bỏ phiếu.")
		return
	}
	for i, b := range m.d.Ballots {
		m.addf(styleBallot, "%d. %s", i+1, b.Spec.Title)
		m.add(styleBody, ballotForm(b.Spec))
		for _, r := range b.Rounds {
			m.round(b.Spec, r)
		}
		m.add(styleBody, m.outcome(b))
	}
}

// ballotForm is "Hình thức: bỏ phiếu kín; …; ngưỡng đạt: trên 50% tổng số cử tri; chỉ tiêu: 2."
func ballotForm(s domain.BallotSpec) string {
	var what string
	switch s.Kind {
	case domain.KindApprove:
		what = "biểu quyết đồng ý hoặc không đồng ý đối với từng đơn vị"
	case domain.KindChoose:
		what = fmt.Sprintf("chọn tối đa %d đơn vị", s.MaxChoices)
	default:
		what = "bầu một đơn vị"
	}
	who := "mỗi đơn vị thành viên một phiếu"
	if s.Voters == domain.VotersDelegate {
		who = "mỗi đại biểu có quyền biểu quyết một phiếu"
	}
	op := "trên"
	if s.Threshold.Op == ">=" {
		op = "từ"
	}
	quota := "không giới hạn"
	if s.Quota > 0 {
		quota = fmt.Sprint(s.Quota)
	}
	return fmt.Sprintf("Hình thức: bỏ phiếu %s; %s; %s. Ngưỡng đạt: %s %s%% %s; chỉ tiêu: %s.",
		secrecy(s), what, who, op, number(s.Threshold.Percent), baseWords[s.Threshold.Of], quota)
}

func (m *minutes) round(s domain.BallotSpec, r Round) {
	res := r.Result
	label := fmt.Sprintf("Vòng %d", res.Round)
	if res.Round > 1 {
		label += " (bầu lại)"
	}
	m.addf(styleBody, "%s: số phiếu thu về %d/%d; cơ sở tính tỷ lệ: %d.", label, res.Turnout, r.Eligible, res.Base)
	for _, row := range res.Rows {
		counts := fmt.Sprintf("%d phiếu", row.Votes)
		if s.Kind == domain.KindApprove {
			counts = fmt.Sprintf("đồng ý %d, không đồng ý %d, không ý kiến %d", row.Yes, row.No, row.Abstain)
		}
		m.addf(styleItem, "- %s — %s: %s; %s%% — %s.", row.Candidate, unitName(m.c, row.Candidate), counts, number(row.Percent), verdict(row))
	}
	if s.Secret {
		m.add(styleBody, "Phiếu kín: biên bản chỉ ghi số phiếu và kết quả, không ghi lựa chọn của cử tri.")
		return
	}
	if len(r.Named) == 0 {
		return
	}
	m.add(styleBody, "Phiếu công khai, lựa chọn của từng cử tri:")
	for _, voter := range m.d.voterOrder(r.Named) {
		m.add(styleItem, "- "+m.d.voterLabel(voter)+": "+describeVote(candidatesOf(res), r.Named[voter]))
	}
}

// outcome says where a ballot ended.
func (m *minutes) outcome(b Ballot) string {
	o := b.Outcome
	switch {
	case len(b.Rounds) == 0 && b.State == domain.BallotOpen:
		return "Kết quả: đang bỏ phiếu, chưa có kết quả."
	case len(b.Rounds) == 0:
		return "Kết quả: chưa tiến hành bỏ phiếu."
	case b.State == domain.BallotOpen:
		return "Kết quả: đang bỏ phiếu lại, chưa có kết quả cuối cùng."
	case o.NeedsRevote || o.NeedsChair:
		last := b.Rounds[len(b.Rounds)-1].Result
		how := "cần bỏ phiếu lại"
		if o.NeedsChair {
			how = "chờ đơn vị Cụm trưởng quyết định"
		}
		got := ""
		if len(o.Awarded) > 0 {
			got = "đã đề nghị " + m.units(o.Awarded) + "; "
		}
		return fmt.Sprintf("Kết quả: %schưa có kết quả cuối cùng, %s giữa %s cho %d vị trí.", got, how, strings.Join(last.Tied, ", "), last.Seats)
	case len(o.Awarded) == 0:
		return "Kết quả: không có đơn vị nào đạt."
	}
	return "Kết quả: đề nghị " + m.units(o.Awarded) + "."
}

// units lists "CNTT — Cục Công nghệ thông tin, KHTC — …".
func (m *minutes) units(codes []string) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = c + " — " + unitName(m.c, c)
	}
	return strings.Join(parts, ", ")
}

// titles writes section IV: the awarded titles of every decided ballot but
// the chair election, which section V states.
func (m *minutes) titles() {
	m.add(styleHeading, "IV. DANH HIỆU THI ĐUA ĐƯỢC ĐỀ NGHỊ")
	n := 0
	for _, b := range m.d.Ballots {
		if b.Spec.OnResult == "handover" || !b.Outcome.Decided || len(b.Outcome.Awarded) == 0 {
			continue
		}
		m.add(styleItem, "- "+b.Spec.Title+": "+m.units(b.Outcome.Awarded)+".")
		n++
	}
	if n == 0 {
		m.add(styleBody, "Chưa có danh hiệu nào được đề nghị.")
	}
}

// handover writes section V: next year's chair unit and how it was decided.
func (m *minutes) handover() {
	c := m.c
	m.add(styleHeading, "V. BÀN GIAO NHIỆM VỤ CỤM TRƯỞNG")
	if c.NextChairUnit == "" {
		m.addf(styleBody, "Chưa xác định đơn vị Cụm trưởng năm %d.", c.Year+1)
		return
	}
	how := ""
	for _, b := range m.d.Ballots {
		if b.Spec.OnResult == "handover" && b.Outcome.Decided && len(b.Outcome.Awarded) > 0 && b.Outcome.Awarded[0] == c.NextChairUnit {
			how = ", theo kết quả bỏ phiếu «" + b.Spec.Title + "»"
		}
	}
	if how == "" {
		for _, e := range m.d.Audit {
			if e.Action == "handover" {
				how = ", do " + e.ActorName + " ghi nhận lúc " + clock(c, e.At)
			}
		}
	}
	m.addf(styleBody, "Đơn vị Cụm trưởng năm %d: %s%s.", c.Year+1, m.unit(c.NextChairUnit), how)
	m.addf(styleBody, "Đơn vị %s bàn giao nhiệm vụ Cụm trưởng cho đơn vị %s.", m.unit(c.ChairUnit), m.unit(c.NextChairUnit))
}
