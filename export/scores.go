package export

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/confbot/confbot/domain"
)

// scoreRow is one member unit's place by its self-assessed score.
type scoreRow struct {
	Unit   domain.Unit
	Rank   int     // 1 for the highest; equal scores share a rank (1, 2, 2, 4); 0 without a summary
	Score  float64 // of the summary that counts
	Scored bool    // a summary was submitted
	Late   bool
}

// scoreRanking ranks the member units by the score of the summary that
// counts, highest first, file order among equals; units without a summary
// come last, unranked.
func scoreRanking(d *Data) []scoreRow {
	var rows []scoreRow
	for _, u := range d.Conference.Units {
		r := scoreRow{Unit: u}
		if s, ok := d.Attendance.Summaries[u.Code]; ok {
			r.Score, r.Scored, r.Late = s.Score, true, s.Late
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b scoreRow) int {
		if a.Scored != b.Scored {
			if a.Scored {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Score, a.Score)
	})
	for i := range rows {
		switch {
		case !rows[i].Scored:
		case i > 0 && rows[i-1].Scored && rows[i-1].Score == rows[i].Score:
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = i + 1
		}
	}
	return rows
}

// scoresTable is the workbook's ranking sheet (scores.csv): Xếp hạng, Mã
// đơn vị, Tên đơn vị, Điểm tự chấm, Thang điểm, Ghi chú.
func scoresTable(d *Data) Table {
	t := Table{File: "scores.csv", Sheet: "Xếp hạng", Header: []string{
		"Xếp hạng", "Mã đơn vị", "Tên đơn vị", "Điểm tự chấm", "Thang điểm", "Ghi chú"}}
	for _, r := range scoreRanking(d) {
		rank, score := any(""), any("")
		if r.Scored {
			rank, score = r.Rank, r.Score
		}
		t.Rows = append(t.Rows, []any{rank, r.Unit.Code, r.Unit.Name, score, d.Conference.ScoreMax, scoreNote(r)})
	}
	return t
}

// scoreNote says what a ranking row needs said: a late or missing summary.
func scoreNote(r scoreRow) string {
	switch {
	case !r.Scored:
		return "chưa nộp báo cáo"
	case r.Late:
		return "nộp muộn"
	}
	return ""
}

// scores writes the minutes' table of units by self-assessed score.
func (m *minutes) scores() {
	m.sub("2. Điểm tự chấm và xếp hạng")
	m.para("Điểm tự chấm của các đơn vị thành viên (thang điểm " + number(m.c.ScoreMax) + "), xếp từ cao xuống thấp:")
	t := &table{header: []string{"Xếp hạng", "Đơn vị", "Điểm tự chấm", "Ghi chú"}, widths: []float64{12, 48, 16, 24}, align: "CLCC"}
	for _, r := range scoreRanking(m.d) {
		rank, score := "", "-"
		if r.Scored {
			rank, score = strconv.Itoa(r.Rank), number(r.Score)
		}
		t.rows = append(t.rows, []string{rank, r.Unit.Name, score, scoreNote(r)})
	}
	m.grid(t)
}
