package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/scheduler"
)

// PendingReminders lists what the scheduler will send (*storage.Store).
type PendingReminders interface {
	PendingReminders(ctx context.Context, ref string) ([]domain.Reminder, error)
}

// remindAudiences maps /remind's words to who still owes something.
var remindAudiences = map[string]domain.Audience{
	"summary": domain.ToUnitsWithoutSummary,
	"attend":  domain.ToDelegatesNotRegistered,
	"vote":    domain.ToVotersNotVoted,
}

// manualJob is the reminder /remind sends now.
func (r *Router) manualJob(ctx context.Context, req *request, args []string) (*domain.Conference, scheduler.Job, bool, error) {
	if len(args) < 1 {
		return nil, scheduler.Job{}, false, nil
	}
	what := strings.ToLower(args[0])
	audience, ok := remindAudiences[what]
	if !ok || (what == "vote") != (len(args) == 2) || len(args) > 2 {
		return nil, scheduler.Job{}, false, nil
	}
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return nil, scheduler.Job{}, false, err
	}
	job := scheduler.Job{ID: "manual/" + what, Conference: c.Ref(), Kind: scheduler.KindOffset, Audience: audience, DueAt: r.Now()}
	if what == "vote" {
		spec, found := c.Ballot(strings.ToLower(args[1]))
		if !found {
			return nil, scheduler.Job{}, false, nil
		}
		job.Ballot = spec.ID
		if info, err := r.Ballots.BallotRound(ctx, c.Ref(), spec.ID); err == nil && !info.ClosesAt.IsZero() {
			job.Offset = info.ClosesAt.Sub(job.DueAt)
		}
	}
	return c, job, true, nil
}

// remind is `/remind summary|attend|vote BALLOT`: a preview of who still
// owes it, and a button that sends it now.
func (r *Router) remind(ctx context.Context, req *request) error {
	_, job, ok, err := r.manualJob(ctx, req, req.cmd.Fields)
	if err != nil {
		return err
	}
	if !ok {
		return r.reply(ctx, req, "remind.usage")
	}
	to, err := r.Recipients(ctx, job.Conference, job)
	if err != nil {
		return err
	}
	what := r.Catalog.T(req.lang, "remind.what."+strings.ToLower(req.cmd.Fields[0]))
	if len(to) == 0 {
		return r.reply(ctx, req, "remind.none", "what", what)
	}
	names := make([]string, len(to))
	for i, p := range to {
		names[i] = "• " + string(esc(p.Name)+" ("+esc(p.Unit)+")")
	}
	arg := strings.Join(req.cmd.Fields, " ")
	if len("rm:"+confToken(req.ref)+":"+arg) > maxCallbackData {
		return r.reply(ctx, req, "remind.usage")
	}
	data := req.button("rm", arg)
	return r.send(ctx, req.chatID, r.Catalog.T(req.lang, "remind.preview", "what", what, "count", len(to), "names", i18n.HTML(strings.Join(names, "\n"))),
		&models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: r.Catalog.Text(req.lang, "remind.confirm"), CallbackData: data}}}})
}

// remindButton sends the previewed reminder, to whoever still owes it now;
// a double click sends it once.
func (r *Router) remindButton(ctx context.Context, req *request, arg string) (string, error) {
	if !req.has(staff...) {
		return "", problem("error.not_allowed")
	}
	_, job, ok, err := r.manualJob(ctx, req, strings.Fields(arg))
	if err != nil || !ok {
		return r.Catalog.T(req.lang, "error.bad_button"), err
	}
	if first, err := r.att().ClaimPress(ctx, req.user.ID, "rm:"+arg, 30*time.Second); err != nil || !first {
		return "", err
	}
	to, err := r.Recipients(ctx, job.Conference, job)
	if err != nil {
		return "", err
	}
	sent := 0
	for _, p := range to {
		err := r.Notify(ctx, p, job, false)
		switch {
		case err == nil:
			sent++
		case errors.Is(err, scheduler.ErrUnreachable):
			logger(ctx).Info().Int64("chat_id", p.ChatID).Msg("reminder recipient unreachable")
		default:
			logger(ctx).Warn().Err(err).Int64("chat_id", p.ChatID).Msg("reminder not delivered")
		}
	}
	return "", r.reply(ctx, req, "remind.sent", "sent", sent, "count", len(to))
}

// reminders is `/reminders`: what the scheduler will send next.
func (r *Router) reminders(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	pending, ok := r.Ballots.(PendingReminders)
	if !ok {
		return fmt.Errorf("store lists no reminders")
	}
	list, err := pending.PendingReminders(ctx, c.Ref())
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return r.reply(ctx, req, "reminders.none")
	}
	var b strings.Builder
	b.WriteString(r.Catalog.T(req.lang, "reminders.header"))
	for i, rem := range list {
		if i == 15 {
			break
		}
		b.WriteString("\n" + r.Catalog.T(req.lang, "reminders.line", "due", rem.Due.In(c.TimeZone()).Format("15:04 02/01/2006"),
			"what", esc(r.reminderName(req, rem))))
	}
	return r.send(ctx, req.chatID, b.String(), nil)
}

func (r *Router) reminderName(req *request, rem domain.Reminder) string {
	switch domain.Audience(rem.Audience) {
	case domain.ToUnitsWithoutSummary:
		return r.Catalog.T(req.lang, "remind.what.summary")
	case domain.ToDelegatesNotRegistered:
		return r.Catalog.T(req.lang, "remind.what.attend")
	case domain.ToVotersNotVoted:
		return r.Catalog.T(req.lang, "remind.what.vote") + " " + rem.Ballot
	}
	return r.Catalog.T(req.lang, "reminders.digest")
}

// reminderCommands are /remind and /reminders.
func (r *Router) reminderCommands() []*command {
	return []*command{
		{name: "remind", roles: staff, run: r.remind},
		{name: "reminders", roles: staff, run: r.reminders},
	}
}
