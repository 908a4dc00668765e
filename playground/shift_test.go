package playground_test

import (
	"testing"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/playground"
)

func TestShiftMovesEveryPointInTime(t *testing.T) {
	at := time.Date(2022, 11, 24, 8, 0, 0, 0, time.UTC)
	c := &domain.Conference{
		StartsAt: at, EndsAt: at.Add(time.Hour), SummaryDeadline: at.Add(-7 * 24 * time.Hour), CheckinOpens: at.Add(-time.Hour),
		Reminders: []domain.ReminderSpec{
			{Before: domain.AnchorConference, Offsets: []time.Duration{time.Hour}},
			{Cron: "0 17 * * MON-FRI", From: at.Add(-20 * 24 * time.Hour), Until: at},
		},
	}
	d := 3 * 24 * time.Hour
	playground.Shift(c, d)
	checks := []struct {
		name      string
		got, want time.Time
	}{
		{"start", c.StartsAt, at.Add(d)},
		{"end", c.EndsAt, at.Add(time.Hour + d)},
		{"summary deadline", c.SummaryDeadline, at.Add(-7*24*time.Hour + d)},
		{"check-in", c.CheckinOpens, at.Add(-time.Hour + d)},
		{"digest from", c.Reminders[1].From, at.Add(-20*24*time.Hour + d)},
		{"digest until", c.Reminders[1].Until, at.Add(d)},
		{"no bound stays no bound", c.Reminders[0].From, time.Time{}},
	}
	for _, ch := range checks {
		if !ch.got.Equal(ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if c.Reminders[0].Offsets[0] != time.Hour {
		t.Errorf("offsets are durations and must not move: %v", c.Reminders[0].Offsets)
	}
}

func TestMoveDatesOfTheReferenceConference(t *testing.T) {
	c, err := conffile.Parse(examples.Cum8)
	if err != nil {
		t.Fatal(err)
	}
	loc := c.TimeZone()
	cases := []struct {
		name      string
		now       time.Time
		start     time.Time
		deadline  time.Time
		checkinAt time.Time
	}{
		{"morning", time.Date(2026, 3, 2, 9, 0, 0, 0, loc),
			time.Date(2026, 3, 4, 8, 0, 0, 0, loc), time.Date(2026, 3, 3, 17, 0, 0, 0, loc), time.Date(2026, 3, 4, 7, 0, 0, 0, loc)},
		{"late evening UTC is already the next day in Hà Nội", time.Date(2026, 12, 30, 20, 0, 0, 0, time.UTC),
			time.Date(2027, 1, 2, 8, 0, 0, 0, loc), time.Date(2027, 1, 1, 17, 0, 0, 0, loc), time.Date(2027, 1, 2, 7, 0, 0, 0, loc)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := conffile.Parse(examples.Cum8)
			playground.MoveDates(c, tc.now)
			if !c.StartsAt.Equal(tc.start) || !c.SummaryDeadline.Equal(tc.deadline) || !c.CheckinOpens.Equal(tc.checkinAt) {
				t.Errorf("start %v deadline %v check-in %v; want %v %v %v", c.StartsAt, c.SummaryDeadline, c.CheckinOpens, tc.start, tc.deadline, tc.checkinAt)
			}
		})
	}
}
