package handlers

import (
	"context"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// PresenceStore keeps registrations, check-ins and the live quorum counter.
type PresenceStore interface {
	Members(ctx context.Context, ref string) (map[int64]domain.Membership, error)
	UpdateConference(ctx context.Context, ref string, f func(*domain.Conference) error) (*domain.Conference, error)
	SetAttendance(ctx context.Context, ref string, userID int64, a domain.Attendance) error
	Attendance(ctx context.Context, ref string) (map[int64]domain.Attendance, error)
	MarkPresent(ctx context.Context, ref string, userID int64, p domain.Presence) (bool, error)
	CheckIn(ctx context.Context, ref string, userID int64, p domain.Presence, e domain.AuditEntry, pending time.Duration) (bool, storage.QuorumRefresh, error)
	MarkUnitPresent(ctx context.Context, ref, unit string, p domain.Presence) (bool, error)
	MarkAbsent(ctx context.Context, ref string, unit string, userIDs ...int64) (int, error)
	Presence(ctx context.Context, ref string) (map[int64]domain.Presence, map[string]domain.Presence, error)
	OpenCheckin(ctx context.Context, ref string) ([]byte, error)
	CloseCheckin(ctx context.Context, ref string) error
	Checkin(ctx context.Context, ref string) (bool, []byte, error)
	CountCheckinFailure(ctx context.Context, ref string, userID int64, window time.Duration) (int, error)
	CheckinFailures(ctx context.Context, ref string, userID int64) (int, error)
	SetQuorumMessage(ctx context.Context, ref string, chatID int64, msg storage.LiveMessage) error
	QuorumMessages(ctx context.Context, ref string) (map[int64]storage.LiveMessage, error)
	DropQuorumMessage(ctx context.Context, ref string, chatID int64) error
	ClaimQuorumRefresh(ctx context.Context, ref string, ttl time.Duration) (bool, time.Duration, error)
	StartQuorumRefresh(ctx context.Context, ref string, every time.Duration) error
	OverrideQuorum(ctx context.Context, ref string, o domain.QuorumOverride) (bool, error)
	QuorumOverride(ctx context.Context, ref string) (domain.QuorumOverride, bool, error)
}

// SummaryStore keeps summary versions and the conversations that collect them.
type SummaryStore interface {
	AddSummary(ctx context.Context, ref string, v domain.SummaryVersion) (domain.SummaryVersion, error)
	Summaries(ctx context.Context, ref, unit string) ([]domain.SummaryVersion, error)
	LatestSummaries(ctx context.Context, ref string, units []string) (map[string]domain.SummaryVersion, error)
	SaveConversation(ctx context.Context, userID int64, state []byte, ttl time.Duration) error
	Conversation(ctx context.Context, userID int64) ([]byte, error)
	EndConversation(ctx context.Context, userID int64) (bool, error)
	ClaimPress(ctx context.Context, userID int64, data string, ttl time.Duration) (bool, error)
}

// AttendanceStore is what attendance, check-in, quorum and summaries need.
type AttendanceStore interface {
	PresenceStore
	SummaryStore
}

var _ AttendanceStore = (*storage.Store)(nil)

// DocumentSender re-sends stored documents by file id (*bot.Sender).
type DocumentSender interface {
	SendDocument(ctx context.Context, prio bot.Priority, p *tgbot.SendDocumentParams) (*models.Message, error)
}

var _ DocumentSender = (*bot.Sender)(nil)

// att is the attendance store: Deps.Attendance, else the Store when it has
// those methods (it does in production: both are *storage.Store).
func (r *Router) att() AttendanceStore {
	if r.Attendance != nil {
		return r.Attendance
	}
	a, _ := r.Store.(AttendanceStore)
	return a
}

// attendees are the roles of people who attend: they register and check in.
var attendees = []domain.Role{domain.RoleHead, domain.RoleDelegate, domain.RoleObserver, domain.RoleSecretary}

// submitters may submit their unit's summary.
var submitters = []domain.Role{domain.RoleHead, domain.RoleDelegate}

// attendanceCommands are the attendance, check-in, quorum and summary commands.
func (r *Router) attendanceCommands() []*command {
	if r.att() == nil {
		return nil // a Router without the attendance store (unit tests of other features)
	}
	return []*command{
		{name: "attend", roles: attendees, run: r.attend},
		{name: "checkin", roles: append([]domain.Role{domain.RoleAdmin}, attendees...), run: r.checkin},
		{name: "present", roles: staff, run: r.present},
		{name: "status", roles: staff, run: r.status},
		{name: "summary", roles: submitters, run: r.summary},
		{name: "summaries", roles: staff, run: r.summaries},
		{name: "skip", run: r.skip},
		{name: "cancel", run: r.cancel},
		{name: "conference", roles: staff, run: r.conference},
		{name: "quorum", roles: staff, run: r.quorum},
	}
}

// attendanceButtons are their buttons, by callback data prefix.
func (r *Router) attendanceButtons() map[string]buttonFunc {
	if r.att() == nil {
		return nil
	}
	return map[string]buttonFunc{
		"at": r.attendButton,  // at:yes|no|substitute
		"pr": r.presentButton, // pr:UNIT:1|0
		"qm": r.quorumButton,  // qm:refresh
		"sm": r.summaryButton, // sm:UNIT
	}
}

// staffConference is the conference a secretary or admin acts on; ok is
// false (and the person told) when there is none.
func (r *Router) staffConference(ctx context.Context, req *request) (*domain.Conference, bool, error) {
	ref, err := r.activeRef(ctx, req)
	if err != nil {
		return nil, false, err
	}
	if ref == "" {
		return nil, false, r.reply(ctx, req, "error.no_conference")
	}
	if !req.admin && (req.active == nil || req.active.Ref != ref || !req.active.HasRole(domain.RoleSecretary)) {
		return nil, false, r.reply(ctx, req, "error.not_allowed")
	}
	c, err := r.Store.Conference(ctx, ref)
	if err != nil {
		return nil, false, err
	}
	return c, true, nil
}

// isStaff reports whether the person runs the active conference.
func (r *Router) isStaff(req *request) bool {
	return req.admin || (req.active != nil && req.active.HasRole(domain.RoleSecretary))
}

// attendanceState loads everything the quorum and the status board count.
func (r *Router) attendanceState(ctx context.Context, c *domain.Conference) (domain.AttendanceState, error) {
	ref := c.Ref()
	st := domain.AttendanceState{People: map[int64]domain.Attendee{}}
	members, err := r.att().Members(ctx, ref)
	if err != nil {
		return st, err
	}
	for id, m := range members {
		st.People[id] = domain.Attendee{Unit: m.Unit, Roles: m.Roles}
	}
	if st.Registered, err = r.att().Attendance(ctx, ref); err != nil {
		return st, err
	}
	if st.Present, st.UnitsPresent, err = r.att().Presence(ctx, ref); err != nil {
		return st, err
	}
	codes := c.MemberCodes()
	for _, g := range c.Guests {
		codes = append(codes, g.Code)
	}
	st.Summaries, err = r.att().LatestSummaries(ctx, ref, codes)
	return st, err
}

// when formats a time for people: day/month hour:minute in the cluster's zone.
func when(c *domain.Conference, t time.Time) string {
	return t.In(c.TimeZone()).Format("02/01 15:04")
}
