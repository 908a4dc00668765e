// Package conffiletest helps tests compare conferences read from files.
package conffiletest

import (
	"reflect"
	"testing"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
)

// AssertSame fails the test unless got is want, field by field and times by
// their instant (a time read back may carry another *time.Location).
func AssertSame(t testing.TB, want, got *domain.Conference) {
	t.Helper()
	if d := conffile.Diff(want, got); len(d) > 0 {
		t.Errorf("conferences differ: %v", d)
	}
	if w, g := inUTC(want), inUTC(got); !reflect.DeepEqual(w, g) {
		t.Errorf("conferences differ:\nwant %+v\ngot  %+v", w, g)
	}
}

// inUTC copies c with every time in UTC.
func inUTC(c *domain.Conference) domain.Conference {
	n := *c
	n.StartsAt, n.EndsAt = n.StartsAt.UTC(), n.EndsAt.UTC()
	n.SummaryDeadline, n.CheckinOpens = n.SummaryDeadline.UTC(), n.CheckinOpens.UTC()
	n.Reminders = append([]domain.ReminderSpec(nil), c.Reminders...)
	for i := range n.Reminders {
		n.Reminders[i].From, n.Reminders[i].Until = n.Reminders[i].From.UTC(), n.Reminders[i].Until.UTC()
	}
	return n
}
