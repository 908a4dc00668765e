package export

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// TallyRecord is what one round's biên bản kiểm phiếu is made from: the
// round as storage has it (its result and roll, opened and closed at) and
// the little of the conference's records the words need. Build one with
// Data.TallyRecords, or by hand from domain.RoundInfo and the round's
// domain.Result when a round has just been tallied.
type TallyRecord struct {
	Conference *domain.Conference
	Ballot     domain.BallotSpec
	Round      Round
	Members    int                // member units
	Present    int                // member units present
	Scores     map[string]float64 // self-assessed scores, for a tie settled by score; may be nil
	Chair      *ChairDecision     // the chair's decision of a tie, if any
	Before     []string           // units earlier rounds of the ballot awarded (a revote's proposal names them too)
}

// TallyRecords builds a TallyRecord for every tallied round, in ballot and
// round order.
func (d *Data) TallyRecords() []TallyRecord {
	var out []TallyRecord
	for _, b := range d.Ballots {
		var before []string
		for _, r := range b.Rounds {
			info := domain.RoundInfo{Eligible: r.Eligible, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt}
			rec := NewTallyRecord(d.Conference, b.Spec, info, r.Result, d.Attendance, before, d.chairDecision(b.Spec.ID))
			rec.Round.Named = r.Named
			out = append(out, rec)
			before = append(slices.Clone(before), r.Result.Awarded...)
		}
	}
	return out
}

// TallyRecordOf is the record of one round of ballot, as TallyRecords
// builds it; false when that round has no tally.
func (d *Data) TallyRecordOf(ballot string, round int) (TallyRecord, bool) {
	for _, r := range d.TallyRecords() {
		if r.Ballot.ID == ballot && r.Round.Result.Round == round {
			return r, true
		}
	}
	return TallyRecord{}, false
}

// NewTallyRecord builds a round's record from what the tally job has in
// hand when a round closes: the round as domain.RoundInfo gives it, its
// domain.Result, the attendance (for the units present and the scores), the
// units earlier rounds of the ballot awarded, and the chair's decision of a
// tie, if any.
func NewTallyRecord(c *domain.Conference, spec domain.BallotSpec, info domain.RoundInfo, res domain.Result,
	att domain.AttendanceState, before []string, chair *ChairDecision) TallyRecord {
	r := TallyRecord{Conference: c, Ballot: spec, Members: len(c.Units), Scores: map[string]float64{}, Chair: chair, Before: before,
		Round: Round{Result: res, Eligible: info.Eligible, OpenedAt: info.OpenedAt, ClosedAt: info.ClosedAt}}
	for _, u := range c.Units {
		if att.UnitPresent(c, u.Code) {
			r.Present++
		}
		if s, ok := att.Summaries[u.Code]; ok {
			r.Scores[u.Code] = s.Score
		}
	}
	return r
}

// TallyRecordName is the file name of a round's record, without extension:
// "kiem-phieu-cum8-bt-tk-2022-co-bca-vong-1".
func TallyRecordName(r TallyRecord) string {
	return fmt.Sprintf("kiem-phieu-%s-%s-vong-%d", strings.ReplaceAll(r.Conference.Ref(), "/", "-"), r.Ballot.ID, r.Round.Result.Round)
}

// WriteTallyRecordPDF renders a round's biên bản kiểm phiếu as PDF.
func WriteTallyRecordPDF(w io.Writer, r TallyRecord) error {
	if err := writeDocumentPDF(w, tallyDocument(r), r.date()); err != nil {
		return fmt.Errorf("tally record %s: %w", r.Ballot.ID, err)
	}
	return nil
}

// WriteTallyRecordDOCX renders a round's biên bản kiểm phiếu as DOCX.
func WriteTallyRecordDOCX(w io.Writer, r TallyRecord) error {
	if err := writeDocumentDOCX(w, tallyDocument(r), r.date()); err != nil {
		return fmt.Errorf("tally record %s: %w", r.Ballot.ID, err)
	}
	return nil
}

// TallyRecordFiles renders a round's biên bản kiểm phiếu as PDF and DOCX,
// ready to send: what the tally job sends the secretaries.
func TallyRecordFiles(r TallyRecord) ([]File, error) {
	var pdf, docx bytes.Buffer
	if err := WriteTallyRecordPDF(&pdf, r); err != nil {
		return nil, err
	}
	if err := WriteTallyRecordDOCX(&docx, r); err != nil {
		return nil, err
	}
	name := TallyRecordName(r)
	return []File{{Name: name + ".pdf", MIME: MIMEPDF, Data: pdf.Bytes()}, {Name: name + ".docx", MIME: MIMEDOCX, Data: docx.Bytes()}}, nil
}

// TallyRecordText is the record's text, one line a paragraph: what tests
// and a reader compare the files with.
func TallyRecordText(r TallyRecord) string { return tallyDocument(r).text() }

// date is the record's date: when the round closed, else when it opened,
// else the conference's day.
func (r TallyRecord) date() time.Time {
	c := r.Conference
	for _, t := range []time.Time{r.Round.ClosedAt, r.Round.OpenedAt, c.StartsAt} {
		if !t.IsZero() {
			return t.In(c.TimeZone())
		}
	}
	return time.Date(c.Year, 12, 31, 0, 0, 0, 0, c.TimeZone())
}

// tallyDocument is the biên bản kiểm phiếu of one round.
func tallyDocument(r TallyRecord) *document {
	c, s, res := r.Conference, r.Ballot, r.Round.Result
	var b builder
	date := r.date()
	board := countingBoard(c, s)
	what := "bình xét " + s.Title
	switch {
	case isChairElection(s):
		what = "bầu " + lowerFirst(s.Title)
	case isElection(s):
		// "phiếu bầu" is kept to the chair election, even across words.
		what = "về việc bầu " + lowerFirst(s.Title)
	}
	summary := []string{"Kiểm phiếu " + what}
	if res.Round > 1 {
		summary = append(summary, fmt.Sprintf("(vòng %d: bỏ phiếu lại giữa các đơn vị bằng phiếu)", res.Round))
	}
	start := date
	if !r.Round.OpenedAt.IsZero() {
		start = r.Round.OpenedAt.In(c.TimeZone())
	}
	b.para(fmt.Sprintf("Vào %s, %s, tại %s, trong %s, Ban kiểm phiếu gồm:", hourMinute(start), longDate(start), recordPlace(c), lowerFirst(c.Title)))
	for i, p := range board {
		role, end := "Ủy viên", ";"
		if i == 0 {
			role = "Trưởng ban"
		}
		if i == len(board)-1 {
			end = "."
		}
		b.item(fmt.Sprintf("%d. %s: đồng chí %s%s", i+1, role, personWords(p.Rank, p.Name, p.Position), end))
	}
	if len(board) == 0 {
		b.item("(Hội nghị chưa cử Ban kiểm phiếu.)")
	}
	b.para(fmt.Sprintf("đã tiến hành kiểm phiếu nội dung bỏ phiếu “%s”, kết quả như sau:", s.Title))
	b.sub("1. Hình thức và điều kiện")
	b.para(ballotForm(s))
	b.sub("2. Số " + paperWord(s))
	b.para(fmt.Sprintf("Tổng số đơn vị thành viên: %d; số đơn vị có mặt: %d.", r.Members, r.Present))
	for _, line := range paperCounts(s, r.Round) {
		b.item("- " + strings.ToUpper(line[:1]) + line[1:] + ";")
	}
	b.sub("3. Kết quả kiểm phiếu (xếp theo số phiếu từ cao xuống thấp)")
	b.para(baseLine(s, res))
	b.grid(roundTable(c, s, res))
	b.sub("4. Kết luận")
	for _, line := range roundVerdict(c, s, res, r.Before, tieBreaker{scores: r.Scores, chair: r.Chair}) {
		b.para(line)
	}
	end := "…… giờ …… phút"
	if !r.Round.ClosedAt.IsZero() {
		end = hourMinute(r.Round.ClosedAt.In(c.TimeZone()))
	}
	b.para("Biên bản kiểm phiếu được lập xong vào " + end + " cùng ngày và được công bố trước Hội nghị./.")
	return &document{
		head:    recordHead(c, date),
		kind:    "BIÊN BẢN KIỂM PHIẾU",
		summary: summary,
		blocks:  b.blocks,
		signers: boardSigners(board),
		title:   "Biên bản kiểm phiếu: " + s.Title,
		author:  c.Cluster.Name,
	}
}

// boardSigners are the ban kiểm phiếu's signature blocks, trưởng ban on
// the right of the first row as the one who answers for the count, the
// ủy viên beside and after; one blank trưởng ban when none is named.
func boardSigners(board []domain.Signer) []signer {
	if len(board) == 0 {
		return []signer{{role: "TRƯỞNG BAN KIỂM PHIẾU", note: "(Ký, ghi rõ họ tên)"}}
	}
	out := make([]signer, len(board))
	for i, p := range board {
		out[i] = signer{role: "ỦY VIÊN", note: "(Ký, ghi rõ họ tên)", name: signedName(p.Rank, p.Name)}
	}
	out[0].role = "TRƯỞNG BAN KIỂM PHIẾU"
	if len(out) > 1 {
		out[0], out[1] = out[1], out[0]
	}
	return out
}
