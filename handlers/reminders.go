package handlers

import (
	"context"
	"fmt"
	"sort"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/scheduler"
)

var (
	_ scheduler.RecipientResolver = (*Router)(nil)
	_ scheduler.Notifier          = (*Router)(nil)
)

// Recipients says who a reminder goes to at sending time: only those who
// still owe something, or the secretaries for a digest (scheduler.RecipientResolver).
func (r *Router) Recipients(ctx context.Context, ref string, job scheduler.Job) ([]scheduler.Recipient, error) {
	switch job.Kind {
	case scheduler.KindEffect:
		return r.effectDeliveries(ctx, ref, job)
	case scheduler.KindClose:
		return nil, r.closeDueBallot(ctx, ref, job.Ballot)
	}
	c, err := r.Ballots.Conference(ctx, ref)
	if err != nil {
		return nil, err
	}
	members, err := r.Ballots.Members(ctx, ref)
	if err != nil {
		return nil, err
	}
	st, err := r.attendanceState(ctx, c)
	if err != nil {
		return nil, err
	}
	var owes func(id int64, m domain.Membership) bool
	switch job.Audience {
	case domain.ToUnitsWithoutSummary:
		owes = func(_ int64, m domain.Membership) bool {
			_, submitted := st.Summaries[m.Unit]
			return domain.MayVote(c, m) && !submitted
		}
	case domain.ToDelegatesNotRegistered:
		owes = func(id int64, m domain.Membership) bool {
			_, registered := st.Registered[id]
			return domain.MayVote(c, m) && !registered
		}
	case domain.ToVotersNotVoted:
		spec, ok := c.Ballot(job.Ballot)
		if !ok {
			return nil, nil
		}
		info, err := r.Ballots.BallotRound(ctx, ref, spec.ID)
		if err != nil || info.State != domain.BallotOpen {
			return nil, err
		}
		voted, err := r.Ballots.Voted(ctx, ref, spec.ID, info.Round)
		if err != nil {
			return nil, err
		}
		done := map[string]bool{}
		for _, k := range voted {
			done[k] = true
		}
		rights, err := r.svc.Rights(ctx, c, members)
		if err != nil {
			return nil, err
		}
		owes = func(id int64, m domain.Membership) bool {
			key, ok := rights.VoterKey(spec, id, &m)
			return ok && !done[key]
		}
	case domain.ToSecretaries:
		owes = func(_ int64, m domain.Membership) bool { return m.HasRole(domain.RoleSecretary) }
	default:
		return nil, fmt.Errorf("reminder %s: unknown audience %q: %w", job.ID, job.Audience, domain.ErrInvalid)
	}
	var out []scheduler.Recipient
	for id, m := range members {
		if owes(id, m) {
			out = append(out, scheduler.Recipient{ChatID: id, Name: m.Name, Unit: m.Unit})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ChatID < out[j].ChatID })
	return out, nil
}

// Notify words one reminder for one person and sends it at bulk priority,
// behind every interactive reply (scheduler.Notifier).
func (r *Router) Notify(ctx context.Context, to scheduler.Recipient, job scheduler.Job, late bool) error {
	if job.Kind == scheduler.KindEffect {
		return r.deliverEffect(ctx, to, job)
	}
	c, err := r.Ballots.Conference(ctx, job.Conference)
	if err != nil {
		return err
	}
	lang := r.personLang(ctx, to.ChatID, c)
	var text string
	switch job.Audience {
	case domain.ToSecretaries:
		st, err := r.attendanceState(ctx, c)
		if err != nil {
			return err
		}
		text = r.Catalog.T(lang, "remind.digest") + "\n" + r.statusText(lang, c, st)
	case domain.ToVotersNotVoted:
		spec, _ := c.Ballot(job.Ballot)
		text = r.Catalog.T(lang, "remind.vote", "title", esc(spec.Title), "ballot", spec.ID,
			"closes", job.DueAt.Add(job.Offset).In(c.TimeZone()).Format("15:04 02/01/2006"))
	case domain.ToUnitsWithoutSummary:
		text = r.Catalog.T(lang, "remind.summary", "unit", to.Unit, "deadline", c.SummaryDeadline.In(c.TimeZone()).Format("15:04 02/01/2006"))
	case domain.ToDelegatesNotRegistered:
		text = r.Catalog.T(lang, "remind.attend", "conference", esc(c.Title), "starts", c.StartsAt.In(c.TimeZone()).Format("15:04 02/01/2006"),
			"location", esc(c.Location))
	}
	if late {
		text = r.Catalog.T(lang, "remind.late", "due", job.DueAt.In(c.TimeZone()).Format("15:04 02/01/2006")) + "\n" + text
	}
	_, err = r.Out.SendMessage(ctx, bot.Bulk, &tgbot.SendMessageParams{ChatID: to.ChatID, Text: text, ParseMode: models.ParseModeHTML})
	return notifyErr(to.ChatID, err)
}

// ballotDeadline tells the scheduler when a ballot round closes (zero:
// closed, cancel), so its "voters who have not voted" reminders go out in time.
func (r *Router) ballotDeadline(ctx context.Context, c *domain.Conference, ballot string, closesAt time.Time) {
	if r.ScheduleBallot == nil {
		return
	}
	if err := r.ScheduleBallot(ctx, c, ballot, closesAt); err != nil {
		logger(ctx).Warn().Err(err).Str("conference", c.Ref()).Str("ballot", ballot).Msg("ballot reminders not scheduled")
	}
}
