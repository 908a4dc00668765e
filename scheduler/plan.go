// Package scheduler sends confbot's reminders and digests (SPEC F7). Plan
// turns a conference's reminder entries into dated jobs; the Scheduler keeps
// them in Redis, where an atomic claim decides which replica sends a job and a
// per-recipient record makes sure nobody gets it twice. robfig/cron is only the
// clock that wakes the Scheduler; nothing about the schedule lives in memory.
//
// The package knows neither Telegram nor the handlers: who still owes
// something (RecipientResolver) and how a reminder is worded and sent
// (Notifier) come in through small interfaces declared here.
package scheduler

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// Kind tells a deadline reminder from a recurring digest.
type Kind string

// Job kinds.
const (
	KindOffset Kind = "offset"           // an offset before a deadline
	KindDigest Kind = "digest"           // one occurrence of a cron digest
	KindEffect Kind = storage.EffectKind // what follows a state change: a tally, ballot notices, an export
	KindClose  Kind = "close"            // a ballot round's closing time: the resolver closes it
)

// Job is one dated occurrence of a reminder entry of a conference.
type Job struct {
	// ID is stable across re-imports: "summary_deadline/168h",
	// "ballot_close/co-bca/5m", "digest/secretaries/2022-11-07T17:00" (the
	// wall clock in the cluster's zone). A moved deadline keeps the ID of
	// its reminders and changes their DueAt.
	ID         string
	Conference string // the conference's Ref
	Kind       Kind
	Anchor     domain.ReminderAnchor // offset jobs
	Offset     time.Duration         // offset jobs
	Ballot     string                // ballot_close jobs
	What       string                // digests: "status_digest"
	Audience   domain.Audience
	DueAt      time.Time     // in the cluster's zone
	Grace      time.Duration // how late it may still go out; 0: the scheduler's default
	Round      int           // effects: the ballot round
	Chat       int64         // effects: the chat that asked
	Picks      []string      // effects: the chair's choice among the tied
}

// Job ID prefixes; the Scheduler replaces jobs by prefix, so a re-import
// leaves the closing reminders of an open ballot alone.
const (
	prefixBallotClose = string(domain.AnchorBallotClose) + "/"
	prefixDigest      = "digest/"
)

// wallLayout formats a digest occurrence's wall-clock time in its ID.
const wallLayout = "2006-01-02T15:04"

// Plan lists the jobs of c: every offset reminder (its anchor minus the
// offset) and every digest occurrence between since and until. ballotCloses
// holds the closing time of each ballot whose close is known (open ballots
// with closes_after, or a time the secretary set); other ballots have no
// closing reminders. Jobs come sorted by due time, then ID.
//
// Offsets that are whole days count back calendar days in the cluster's zone,
// so "168h before 17:00" is 17:00 a week earlier even across a DST change, as
// a secretary would read it; other offsets are exact durations.
func Plan(c *domain.Conference, ballotCloses map[string]time.Time, since, until time.Time) ([]Job, error) {
	digests, err := PlanDigests(c, since, until)
	if err != nil {
		return nil, err
	}
	return sortJobs(dedupe(append(planOffsets(c, ballotCloses), digests...))), nil
}

// planOffsets lists c's offset reminders.
func planOffsets(c *domain.Conference, ballotCloses map[string]time.Time) []Job {
	loc := c.TimeZone()
	var jobs []Job
	for _, spec := range c.Reminders {
		if spec.Cron != "" {
			continue
		}
		for _, anchor := range anchors(c, spec.Before, ballotCloses) {
			for _, off := range spec.Offsets {
				jobs = append(jobs, Job{
					ID:         offsetID(spec.Before, anchor.ballot, off),
					Conference: c.Ref(),
					Kind:       KindOffset,
					Anchor:     spec.Before,
					Offset:     off,
					Ballot:     anchor.ballot,
					Audience:   spec.To,
					DueAt:      countBack(anchor.at.In(loc), off),
					Grace:      c.Grace,
				})
			}
		}
	}
	return sortJobs(dedupe(jobs))
}

// PlanDigests lists the digest occurrences of c due in [since, until],
// within each entry's from (the start of that day) and until (the end of
// that day when it is a date, else that very minute).
//
// Cron expressions are evaluated on the cluster's wall clock, so a daily
// 02:30 digest fires once a day whatever DST does: once on the night clocks go
// back (the first 02:30), and at 03:30 on the night 02:30 does not exist.
// robfig/cron alone would fire twice on the first and skip the second.
func PlanDigests(c *domain.Conference, since, until time.Time) ([]Job, error) {
	loc := c.TimeZone()
	var jobs []Job
	for _, spec := range c.Reminders {
		if spec.Cron == "" {
			continue
		}
		schedule, err := parseCron(spec.Cron)
		if err != nil {
			return nil, fmt.Errorf("plan digest %q of %s: %w", spec.Cron, c.Ref(), err)
		}
		from, to := since, until
		if !spec.From.IsZero() && spec.From.After(from) {
			from = spec.From
		}
		if end := untilEnd(spec.Until, loc); !end.IsZero() && end.Before(to) {
			to = end
		}
		for _, wall := range wallTimes(schedule, asWall(from, loc), asWall(to, loc)) {
			at := fromWall(wall, loc)
			if at.Before(from) || at.After(to) {
				continue
			}
			jobs = append(jobs, Job{
				ID:         prefixDigest + string(spec.To) + "/" + wall.Format(wallLayout),
				Conference: c.Ref(),
				Kind:       KindDigest,
				What:       spec.What,
				Audience:   spec.To,
				DueAt:      at,
				Grace:      c.Grace,
			})
		}
	}
	return sortJobs(dedupe(jobs)), nil
}

type anchor struct {
	ballot string
	at     time.Time
}

// anchors lists the deadlines an offset entry counts back from.
func anchors(c *domain.Conference, before domain.ReminderAnchor, ballotCloses map[string]time.Time) []anchor {
	switch before {
	case domain.AnchorSummaryDeadline:
		if !c.SummaryDeadline.IsZero() {
			return []anchor{{at: c.SummaryDeadline}}
		}
	case domain.AnchorConference:
		if !c.StartsAt.IsZero() {
			return []anchor{{at: c.StartsAt}}
		}
	case domain.AnchorBallotClose:
		var out []anchor
		for _, b := range c.Ballots {
			if at, ok := ballotCloses[b.ID]; ok && !at.IsZero() {
				out = append(out, anchor{ballot: b.ID, at: at})
			}
		}
		return out
	}
	return nil
}

func offsetID(before domain.ReminderAnchor, ballot string, off time.Duration) string {
	if ballot != "" {
		return string(before) + "/" + ballot + "/" + formatOffset(off)
	}
	return string(before) + "/" + formatOffset(off)
}

// formatOffset writes 168h rather than Go's 168h0m0s, so IDs read like the file.
func formatOffset(d time.Duration) string { return domain.FormatDuration(d) }

// countBack subtracts off from at: whole days on the calendar, the rest exactly.
func countBack(at time.Time, off time.Duration) time.Time {
	const day = 24 * time.Hour
	if off%day == 0 {
		return at.AddDate(0, 0, -int(off/day))
	}
	return at.Add(-off)
}

// untilEnd turns a digest's until into the last instant it covers: a date
// (local midnight) covers that whole day.
func untilEnd(until time.Time, loc *time.Location) time.Time {
	if until.IsZero() {
		return until
	}
	local := until.In(loc)
	if local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0 {
		return time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
	}
	return until
}

// wallTimes lists the wall-clock times in [from, to] at which schedule
// fires. @every schedules are aligned on multiples of their delay since the
// Unix epoch rather than on the planning time, so that planning again later
// yields the same occurrences (and IDs).
func wallTimes(schedule cron.Schedule, from, to time.Time) []time.Time {
	var out []time.Time
	if every, ok := schedule.(cron.ConstantDelaySchedule); ok {
		step := int64(every.Delay / time.Second)
		if step <= 0 {
			return nil
		}
		first := (from.Unix() + step - 1) / step * step
		for t := first; t <= to.Unix(); t += step {
			out = append(out, time.Unix(t, 0).UTC())
		}
		return out
	}
	// Next(t) returns the first time strictly after t, truncated to the
	// second: starting a nanosecond early includes from itself.
	for wall := schedule.Next(from.Add(-time.Nanosecond)); !wall.IsZero() && !wall.After(to); wall = schedule.Next(wall) {
		out = append(out, wall)
	}
	return out
}

// asWall moves t's wall clock in loc onto UTC, where every minute exists
// exactly once, so cron can walk it without DST surprises.
func asWall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// fromWall is the instant at which loc's clocks show wall. A time skipped
// when clocks go forward comes out shifted by the gap (Go's normalisation);
// a time shown twice when they go back is taken the first time.
func fromWall(wall time.Time, loc *time.Location) time.Time {
	t := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc)
	_, offset := t.Zone()
	_, before := t.Add(-3 * time.Hour).Zone()
	if before > offset {
		if earlier := t.Add(-time.Duration(before-offset) * time.Second); asWall(earlier, loc).Equal(wall) {
			return earlier
		}
	}
	return t
}

// parseCron reads a five-field spec or descriptor. The file parser has
// validated it already; robfig/cron panics on some malformed specs, so the
// panic is turned into an error here too rather than trusted away.
func parseCron(spec string) (schedule cron.Schedule, err error) {
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return nil, fmt.Errorf("a time zone prefix is not allowed: the cluster's time zone applies")
	}
	defer func() {
		if r := recover(); r != nil {
			schedule, err = nil, fmt.Errorf("not a cron spec")
		}
	}()
	schedule, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("not a cron spec: %w", err)
	}
	return schedule, nil
}

// dedupe keeps the first job of each ID (two entries planning the same
// digest minute for the same audience would be one message anyway).
func dedupe(jobs []Job) []Job {
	seen := make(map[string]bool, len(jobs))
	out := jobs[:0]
	for _, j := range jobs {
		if !seen[j.ID] {
			seen[j.ID] = true
			out = append(out, j)
		}
	}
	return out
}

func sortJobs(jobs []Job) []Job {
	sort.SliceStable(jobs, func(i, k int) bool {
		if !jobs[i].DueAt.Equal(jobs[k].DueAt) {
			return jobs[i].DueAt.Before(jobs[k].DueAt)
		}
		return jobs[i].ID < jobs[k].ID
	})
	return jobs
}
