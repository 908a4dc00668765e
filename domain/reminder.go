package domain

import (
	"strings"
	"time"
)

// ReminderAnchor is the deadline a reminder counts back from.
type ReminderAnchor string

// Reminder anchors.
const (
	AnchorSummaryDeadline ReminderAnchor = "summary_deadline"
	AnchorConference      ReminderAnchor = "conference"
	AnchorBallotClose     ReminderAnchor = "ballot_close"
)

// Audience is who a reminder goes to, decided at sending time.
type Audience string

// Audiences.
const (
	ToUnitsWithoutSummary    Audience = "units_without_summary"
	ToDelegatesNotRegistered Audience = "delegates_not_registered"
	ToVotersNotVoted         Audience = "voters_not_voted"
	ToSecretaries            Audience = "secretaries"
)

// ReminderSpec is one reminders entry of the conference file: either offsets
// before an anchor, or a cron schedule (a digest) between From and Until.
type ReminderSpec struct {
	Before  ReminderAnchor
	Offsets []time.Duration
	Cron    string // five-field cron expression, in the cluster's time zone
	What    string // "status_digest" for cron entries
	To      Audience
	From    time.Time // zero: no lower bound
	Until   time.Time // zero: no upper bound
}

// FormatDuration writes d as a conference file does: 168h and 2h30m rather
// than Go's 168h0m0s and 2h30m0s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
