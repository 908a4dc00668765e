package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// What the formal records share: their header from the conference file's
// paperwork section, the administrative way of writing dates and times,
// people named by rank, name and position.

// recordHead is the two-column header of a record of c dated date.
func recordHead(c *domain.Conference, date time.Time) documentHead {
	w := c.Paperwork
	issuer := w.IssuingBody
	if issuer == "" {
		issuer = c.Cluster.Name
	}
	suffix := w.NumberSuffix
	if suffix == "" {
		suffix = "BB"
	}
	return documentHead{
		superior:  upper(w.SuperiorBody),
		issuer:    upper(issuer),
		number:    "Số:        /" + suffix,
		placeDate: recordPlace(c) + ", " + longDate(date),
	}
}

// recordPlace is the place a record is made: the file's paperwork.place,
// else the conference's location.
func recordPlace(c *domain.Conference) string {
	switch {
	case c.Paperwork.Place != "":
		return c.Paperwork.Place
	case c.Location != "":
		return c.Location
	}
	return "……"
}

// upper is the capitals of a body's name: "Cụm thi đua số 8" → "CỤM THI ĐUA SỐ 8".
func upper(s string) string { return strings.ToUpper(s) }

// longDate is the administrative date, "ngày 24 tháng 11 năm 2022", with a
// zero only before days 1–9 and months 1–2 ("ngày 05 tháng 02").
func longDate(t time.Time) string {
	month := fmt.Sprint(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
}

// hourMinute is "08 giờ 00 phút".
func hourMinute(t time.Time) string {
	return fmt.Sprintf("%02d giờ %02d phút", t.Hour(), t.Minute())
}

// twoDigits writes a count of units as a record does: "02", "12".
func twoDigits(n int) string { return fmt.Sprintf("%02d", n) }

// personWords names a person as a record does: "Thiếu tướng Dương Văn
// Tính, Cục trưởng Cục Công nghệ thông tin".
func personWords(rank, name, position string) string {
	s := strings.TrimSpace(rank + " " + name)
	if position != "" {
		s += ", " + position
	}
	return s
}

// signedName is the name typed under a signature: rank and name.
func signedName(rank, name string) string { return strings.TrimSpace(rank + " " + name) }

// chairPerson is who chairs: the head of the chair unit named in the file
// (the first listed), or false when the file names none.
func chairPerson(c *domain.Conference) (domain.Person, bool) {
	for _, p := range c.People {
		if p.Unit == c.ChairUnit && p.Has(domain.RoleHead) {
			return p, true
		}
	}
	return domain.Person{}, false
}

// secretaries are the file's secretaries other than the chair, in file
// order: who keeps the minutes and, by default, counts the votes.
func secretaries(c *domain.Conference) []domain.Person {
	chair, _ := chairPerson(c)
	var out []domain.Person
	for _, p := range c.People {
		if p.Has(domain.RoleSecretary) && !(p.TelegramID == chair.TelegramID && p.Name == chair.Name) {
			out = append(out, p)
		}
	}
	return out
}

// countingBoard is a ballot's ban kiểm phiếu: the ballot's own, else the
// conference's, else the secretaries; the first is trưởng ban.
func countingBoard(c *domain.Conference, spec domain.BallotSpec) []domain.Signer {
	switch {
	case len(spec.CountingBoard) > 0:
		return spec.CountingBoard
	case len(c.Paperwork.CountingBoard) > 0:
		return c.Paperwork.CountingBoard
	}
	var board []domain.Signer
	for _, p := range secretaries(c) {
		board = append(board, domain.Signer{Name: p.Name, Rank: p.Rank, Position: p.Position})
	}
	return board
}

// proposalTo is who a ballot's passed units are proposed to.
func proposalTo(c *domain.Conference, spec domain.BallotSpec) string {
	switch {
	case spec.ProposalTo != "":
		return spec.ProposalTo
	case c.Paperwork.ProposalTo != "":
		return c.Paperwork.ProposalTo
	}
	return "cấp có thẩm quyền"
}

// closed reports whether the conference is over, its records final.
func closed(c *domain.Conference) bool {
	return c.State == domain.StateClosed || c.State == domain.StateArchived
}

// unitNames lists units by name: "Cục Công nghệ thông tin, Cục Kế hoạch và tài chính".
func unitNames(c *domain.Conference, codes []string) string {
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = unitName(c, code)
	}
	return strings.Join(names, ", ")
}
