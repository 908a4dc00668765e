package e2e_test

import (
	"strings"
	"testing"
)

const revoteFile = `cluster: {id: cum-nho, name: "Cụm nhỏ", timezone: Asia/Ho_Chi_Minh}
units:
  - {code: A, name: "Đơn vị A"}
  - {code: B, name: "Đơn vị B"}
  - {code: C, name: "Đơn vị C"}
  - {code: D, name: "Đơn vị D"}
conference: {id: tk-2025, title: "Hội nghị cụm nhỏ", year: 2025, starts_at: "2025-11-24 08:00", ends_at: "2025-11-24 11:00", chair_unit: A, quorum: {percent: 50, of: members}, summary_deadline: "2025-11-17 17:00"}
people:
  - {id: 610001, name: "Thủ trưởng A", unit: A, roles: [head, secretary]}
  - {id: 610002, name: "Thủ trưởng B", unit: B, roles: [head]}
  - {id: 610003, name: "Thủ trưởng C", unit: C, roles: [head]}
  - {id: 610004, name: "Thủ trưởng D", unit: D, roles: [head]}
ballots:
  - {id: dan-dau, title: "Đơn vị dẫn đầu", kind: choose, max_choices: 1, candidates: [A, B, C], voters: unit, secret: true, threshold: {op: ">=", percent: 25, of: valid}, quota: 1, tie: revote}
`

// TestRevoteAmongTheTied: a tie at the quota's edge opens a second round
// among the tied only; the tally names the round and the winner.
func TestRevoteAmongTheTied(t *testing.T) {
	w := newWorld(t)
	for id := int64(610001); id <= 610004; id++ {
		w.addUser(id, "Thủ trưởng", "")
	}
	w.importFile("nho.yaml", []byte(revoteFile), "4 đơn vị")
	w.say(610001, "/conference open", "")
	w.say(610001, "/checkin open", "")
	for _, u := range []string{"A", "B", "C", "D"} {
		w.say(610001, "/present "+u, "")
	}
	w.say(610001, "/ballot open dan-dau", "Đơn vị dẫn đầu")
	for id, pick := range map[int64]string{610001: "A", 610002: "B", 610003: "A", 610004: "B"} {
		w.say(id, "/vote dan-dau "+pick, "Mã biên nhận")
	}
	w.say(610001, "/ballot close dan-dau", "bằng phiếu")
	tie := w.waitNew(610001, 0, "cần bỏ phiếu lại")
	if countContaining(w.botMessages(610001), "vòng 1") == 0 {
		t.Errorf("the tally does not name round 1:\n%s", tie.Text)
	}
	w.say(610001, "/ballot revote dan-dau", "vòng 2")
	w.say(610003, "/vote dan-dau C", "không có trong danh sách bầu")
	for id, pick := range map[int64]string{610001: "A", 610002: "A", 610003: "A", 610004: "B"} {
		w.say(id, "/vote dan-dau "+pick, "Mã biên nhận")
	}
	final := w.say(610001, "/ballot close dan-dau", "Kết quả kiểm phiếu: Đơn vị dẫn đầu (vòng 2)")
	if !strings.Contains(final.Text, "Đề nghị (chỉ tiêu 1): A") {
		t.Errorf("round 2 did not award A:\n%s", final.Text)
	}
}
