package playground

import (
	"time"

	"github.com/confbot/confbot/domain"
)

// Shift moves every point in time of the conference by d: its start and end,
// the summary deadline, the opening of check-in and the bounds of the
// reminders. Durations (offsets, grace) stay as they are.
func Shift(c *domain.Conference, d time.Duration) {
	move := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.Add(d)
		}
	}
	move(&c.StartsAt)
	move(&c.EndsAt)
	move(&c.SummaryDeadline)
	move(&c.CheckinOpens)
	for i := range c.Reminders {
		move(&c.Reminders[i].From)
		move(&c.Reminders[i].Until)
	}
}

// MoveDates brings a conference file's dates next to now, so everything can
// be tried at once: the conference starts in two days at its own time of
// day, and the summary deadline is tomorrow at its own time of day (both in
// the cluster's time zone). The reference file has the deadline a week before
// the conference, so the deadline is set on its own after the shift.
func MoveDates(c *domain.Conference, now time.Time) {
	loc := c.TimeZone()
	local := now.In(loc)
	if !c.StartsAt.IsZero() {
		s := c.StartsAt.In(loc)
		start := time.Date(local.Year(), local.Month(), local.Day()+2, s.Hour(), s.Minute(), s.Second(), 0, loc)
		Shift(c, start.Sub(c.StartsAt))
	}
	if !c.SummaryDeadline.IsZero() {
		d := c.SummaryDeadline.In(loc)
		c.SummaryDeadline = time.Date(local.Year(), local.Month(), local.Day()+1, d.Hour(), d.Minute(), d.Second(), 0, loc)
	}
}
