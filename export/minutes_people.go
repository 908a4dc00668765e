package export

import (
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// delegatesOf says who came for a unit: the people checked in, by rank,
// name and position; for a unit the secretary marked present as a whole,
// that mark and any substitute registered for it.
func (d *Data) delegatesOf(code string) string {
	st := d.Attendance
	var who []string
	for _, p := range d.People {
		if p.Unit != code {
			continue
		}
		if _, ok := st.Present[p.ID]; ok {
			rank, position := d.rankAndPosition(p.ID)
			who = append(who, "đồng chí "+personWords(rank, p.Name, position))
		}
	}
	if len(who) > 0 {
		return strings.Join(who, "; ")
	}
	if _, ok := st.UnitsPresent[code]; !ok {
		return ""
	}
	mark := "thư ký ghi nhận đơn vị có mặt"
	for _, p := range d.People {
		if a, ok := st.Registered[p.ID]; ok && p.Unit == code && a.Answer == domain.AttendSubstitute && a.Substitute != "" {
			mark += "; người dự thay: " + a.Substitute
		}
	}
	return mark
}

// rankAndPosition are a known person's rank and position, as the file
// gives them.
func (d *Data) rankAndPosition(id int64) (rank, position string) {
	for _, p := range d.Conference.People {
		if p.TelegramID == id && id != 0 {
			return p.Rank, p.Position
		}
	}
	return "", ""
}

// clock is "08:00 ngày 24/11/2022" in the cluster's zone.
func clock(c *domain.Conference, t time.Time) string {
	t = t.In(c.TimeZone())
	return t.Format("15:04") + " ngày " + t.Format("02/01/2006")
}
