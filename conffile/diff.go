package conffile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// Diff lists, in the file's own field names, what changed from old to new:
// "conference.starts_at: 2022-11-24 08:00 +07:00 → 2022-11-25 08:00 +07:00",
// "units: added KHCN (Viện …)", "ballots[co-bca].quota: 2 → 3". It is empty
// when both describe the same file content. State is not compared: it is
// not part of the file.
func Diff(old, new *domain.Conference) []string {
	switch {
	case old == nil && new == nil:
		return nil
	case old == nil:
		return []string{"conference: added " + new.Ref()}
	case new == nil:
		return []string{"conference: removed " + old.Ref()}
	}
	var d differ
	d.text("cluster.id", old.Cluster.ID, new.Cluster.ID)
	d.text("cluster.name", old.Cluster.Name, new.Cluster.Name)
	d.text("cluster.movement", old.Cluster.Movement, new.Cluster.Movement)
	d.text("cluster.timezone", old.Cluster.Timezone, new.Cluster.Timezone)
	d.text("cluster.language", old.Cluster.Language, new.Cluster.Language)
	d.plain("cluster.group_chat", old.Cluster.GroupChat, new.Cluster.GroupChat)
	d.units("units", old.Units, new.Units)
	d.units("guests", old.Guests, new.Guests)
	d.text("conference.id", old.ID, new.ID)
	d.text("conference.title", old.Title, new.Title)
	d.plain("conference.year", old.Year, new.Year)
	d.moment("conference.starts_at", old.StartsAt, new.StartsAt)
	d.moment("conference.ends_at", old.EndsAt, new.EndsAt)
	d.text("conference.location", old.Location, new.Location)
	d.text("conference.chair_unit", old.ChairUnit, new.ChairUnit)
	d.text("conference.deputy_unit", old.DeputyUnit, new.DeputyUnit)
	d.plain("conference.quorum", describeQuorum(old.Quorum), describeQuorum(new.Quorum))
	d.moment("conference.summary_deadline", old.SummaryDeadline, new.SummaryDeadline)
	d.moment("conference.checkin_opens", old.CheckinOpens, new.CheckinOpens)
	d.plain("conference.score_max", formatNumber(old.ScoreMax), formatNumber(new.ScoreMax))
	d.people(old.People, new.People)
	d.ballots(old.Ballots, new.Ballots)
	d.reminders(old.Reminders, new.Reminders)
	d.plain("grace", old.Grace, new.Grace)
	d.paperwork(old.Paperwork, new.Paperwork)
	return d.lines
}

// Equal reports whether a and b hold the same file content (Diff is empty).
func Equal(a, b *domain.Conference) bool { return len(Diff(a, b)) == 0 }

// differ collects the lines of a Diff.
type differ struct{ lines []string }

// text records a changed text field, quoted so that spaces and "" show.
func (d *differ) text(path, old, new string) {
	if old != new {
		d.lines = append(d.lines, fmt.Sprintf("%s: %q → %q", path, old, new))
	}
}

// plain records a changed value that prints as it is; values are of
// comparable types (strings, numbers, durations, named strings).
func (d *differ) plain(path string, old, new any) {
	if old != new {
		d.lines = append(d.lines, fmt.Sprintf("%s: %s → %s", path, orNone(old), orNone(new)))
	}
}

// orNone prints a value, or (none) for an empty one so that a line never
// ends in a bare arrow.
func orNone(v any) string {
	if s := fmt.Sprint(v); s != "" {
		return s
	}
	return "(none)"
}

// moment records a changed time; the same instant in another zone is no change.
func (d *differ) moment(path string, old, new time.Time) {
	if !old.Equal(new) {
		d.lines = append(d.lines, fmt.Sprintf("%s: %s → %s", path, formatMoment(old), formatMoment(new)))
	}
}

// formatMoment prints a time as the file writes it, with its offset.
func formatMoment(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.Format("2006-01-02 15:04 -07:00")
}

// order records a changed order among the keys both sides keep: old and new
// hold the same keys, each in its side's order.
func (d *differ) order(path string, old, new []string) {
	if !slices.Equal(old, new) {
		d.lines = append(d.lines, fmt.Sprintf("%s: order %s → %s", path, strings.Join(old, ", "), strings.Join(new, ", ")))
	}
}

// units compares member units or guests by code.
func (d *differ) units(path string, old, new []domain.Unit) {
	oldByCode := make(map[string]domain.Unit, len(old))
	for _, u := range old {
		oldByCode[u.Code] = u
	}
	inNew := make(map[string]bool, len(new))
	var kept []string
	for _, u := range new {
		inNew[u.Code] = true
		was, ok := oldByCode[u.Code]
		if !ok {
			d.lines = append(d.lines, fmt.Sprintf("%s: added %s (%s)", path, u.Code, u.Name))
			continue
		}
		kept = append(kept, u.Code)
		d.text(fmt.Sprintf("%s[%s].name", path, u.Code), was.Name, u.Name)
	}
	var keptBefore []string
	for _, u := range old {
		if !inNew[u.Code] {
			d.lines = append(d.lines, fmt.Sprintf("%s: removed %s (%s)", path, u.Code, u.Name))
		} else {
			keptBefore = append(keptBefore, u.Code)
		}
	}
	d.order(path, keptBefore, kept)
}

// describeQuorum prints a quorum as "66.67% of members".
func describeQuorum(q domain.Quorum) string {
	return formatNumber(q.Percent) + "% of " + string(q.Of)
}

// personKey names a person in a Diff: the Telegram id, or the @username.
func personKey(p domain.Person) string {
	if p.TelegramID != 0 {
		return strconv.FormatInt(p.TelegramID, 10)
	}
	return "@" + p.Username
}

// people compares people by Telegram id (or username when there is no id).
func (d *differ) people(old, new []domain.Person) {
	oldByKey := map[string]domain.Person{}
	for _, p := range old {
		oldByKey[personKey(p)] = p
	}
	newKeys := map[string]bool{}
	for _, p := range new {
		key := personKey(p)
		newKeys[key] = true
		was, ok := oldByKey[key]
		if !ok {
			d.lines = append(d.lines, fmt.Sprintf("people: added %s (%s, %s)", key, p.Name, p.Unit))
			continue
		}
		path := "people[" + key + "]"
		d.text(path+".name", was.Name, p.Name)
		d.text(path+".username", was.Username, p.Username)
		d.text(path+".unit", was.Unit, p.Unit)
		d.text(path+".rank", was.Rank, p.Rank)
		d.text(path+".position", was.Position, p.Position)
		d.plain(path+".roles", strings.Join(rolesText(was.Roles), ", "), strings.Join(rolesText(p.Roles), ", "))
	}
	for _, p := range old {
		if key := personKey(p); !newKeys[key] {
			d.lines = append(d.lines, fmt.Sprintf("people: removed %s (%s, %s)", key, p.Name, p.Unit))
		}
	}
}
