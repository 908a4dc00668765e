package scheduler

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// process sends one due job, if this replica wins its claim.
//
// Exactly once, and where it cannot be: each recipient is marked
// "sending:<replica>" atomically (and only while the replica holds the
// claim) before the Notifier is called, and "sent" or "unreachable" after.
// A recipient with any mark is never sent the job again, so replicas racing
// on one job, or a replica taking over from one whose lease lapsed, never
// send a person the job twice; recipients without a mark are sent by
// whoever holds the claim next, so none is skipped. The one window left is a
// process that dies between the mark and the Notifier's answer: Telegram
// cannot be asked whether the message arrived, so a resend could be a
// duplicate and no resend could be a miss. We choose at most once for that
// one person, and the replica that finds the orphaned mark logs it. A
// Notifier error (including a cancelled context at shutdown) says the message
// was not delivered, so that mark is removed and the recipient retried.
func (s *Scheduler) process(ctx context.Context, ref string, r domain.Reminder) error {
	owner := s.cfg.Owner
	won, err := s.cfg.Store.ClaimReminder(ctx, ref, r, owner, s.cfg.Lease)
	if err != nil || !won {
		return err
	}
	job := fromStored(ref, r)
	log := s.log.With().Str("conference", ref).Str("job", job.ID).Time("due", job.DueAt).Logger()
	lateBy := s.cfg.Now().Sub(job.DueAt)
	// Effects and closes are never dropped as too late: a round must close
	// and its tally go out, however long the outage was.
	effect := job.Kind == KindEffect || job.Kind == KindClose
	if !effect && lateBy > s.grace(job.Grace) {
		// Missed while no replica ran, beyond the grace: a reminder this late
		// would mislead more than help.
		log.Warn().Dur("late_by", lateBy).Msg("reminder dropped: missed beyond the grace period")
		s.cfg.Metrics.ReminderDropped()
		return s.complete(ctx, ref, r)
	}
	recipients, err := s.cfg.Recipients.Recipients(ctx, ref, job)
	if err != nil {
		s.release(ctx, ref, r, log)
		return fmt.Errorf("recipients of %s/%s: %w", ref, job.ID, err)
	}
	// An effect is the consequence of something just done, never "late";
	// a reminder is, when it goes out well after its time (an outage).
	late := !effect && lateBy > s.cfg.LateAfter
	retry, lost := s.fanOut(ctx, ref, r, job, recipients, late, log)
	switch {
	case lost:
		return nil // another replica holds the job now and finishes it
	case retry:
		s.release(ctx, ref, r, log)
		return nil
	}
	if err := s.complete(ctx, ref, r); err != nil {
		return err
	}
	log.Debug().Int("recipients", len(recipients)).Bool("late", late).Msg("reminder done")
	return nil
}

// fanOut sends job to each recipient without a mark, one by one at the
// outbound sender's pace. retry reports recipients left unsent; lost, that
// the claim went to another replica. An effect's deliveries are in order (a
// tally's text before its chart, an export's files before its "done"), so
// its fan-out stops at the first delivery that must be retried.
func (s *Scheduler) fanOut(ctx context.Context, ref string, r domain.Reminder, job Job, recipients []Recipient, late bool, log zerolog.Logger) (retry, lost bool) {
	owner := s.cfg.Owner
	for _, p := range recipients {
		if ctx.Err() != nil || s.draining.Load() {
			return true, false
		}
		plog := log.With().Int64("chat_id", p.ChatID).Str("part", p.Part).Logger()
		began, state, err := s.cfg.Store.BeginReminderSend(ctx, ref, r, p.Key(), owner, s.cfg.Lease)
		switch {
		case errors.Is(err, storage.ErrClaimLost):
			plog.Info().Msg("reminder claim lost to another replica; it finishes the fan-out")
			return false, true
		case err != nil:
			plog.Error().Err(err).Msg("cannot mark reminder recipient")
			return true, false
		case !began:
			if other, ok := storage.IsSending(state); ok {
				plog.Warn().Str("other_replica", other).
					Msg("reminder may not have reached this person: a replica stopped while sending it; not resent, to never send twice")
			}
			continue
		}
		err = s.cfg.Notifier.Notify(ctx, p, job, late)
		outcome := storage.ReminderSent
		switch {
		case err == nil:
			s.cfg.Metrics.ReminderSent(late)
		case errors.Is(err, ErrUnreachable):
			outcome = storage.ReminderUnreachable
			plog.Info().Err(err).Msg("reminder recipient unreachable; recorded, not retried")
		default:
			outcome = "" // not delivered: remove the mark so it is retried
			retry = true
			plog.Warn().Err(err).Msg("reminder not delivered; will retry")
		}
		dctx, cancel := detached(ctx)
		err = s.cfg.Store.FinishReminderSend(dctx, ref, r, p.Key(), owner, outcome)
		cancel()
		if err != nil {
			plog.Error().Err(err).Msg("cannot record reminder send")
			return true, false
		}
		if retry && job.Kind == KindEffect {
			return true, false
		}
	}
	return retry, false
}

// release gives the claim back so that the next tick, on any replica, retries.
func (s *Scheduler) release(ctx context.Context, ref string, r domain.Reminder, log zerolog.Logger) {
	dctx, cancel := detached(ctx)
	defer cancel()
	if err := s.cfg.Store.ReleaseReminder(dctx, ref, r, s.cfg.Owner); err != nil {
		log.Warn().Err(err).Msg("cannot release reminder claim; it lapses with its lease")
	}
}

// detached outlives ctx's cancellation, briefly: the outcome of a send that
// happened must be recorded even during shutdown.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

// complete records the job done, even when ctx was cancelled after the last send.
func (s *Scheduler) complete(ctx context.Context, ref string, r domain.Reminder) error {
	dctx, cancel := detached(ctx)
	defer cancel()
	return s.cfg.Store.CompleteReminder(dctx, ref, r, s.cfg.Owner)
}

func toStored(jobs []Job, c *domain.Conference) []domain.Reminder {
	out := make([]domain.Reminder, len(jobs))
	for i, j := range jobs {
		out[i] = domain.Reminder{
			ID: j.ID, Kind: string(j.Kind), Anchor: string(j.Anchor), Offset: j.Offset, Ballot: j.Ballot,
			What: j.What, Audience: string(j.Audience), Grace: j.Grace, Zone: c.Cluster.Timezone, Due: j.DueAt,
			Round: j.Round, Chat: j.Chat, Picks: j.Picks,
		}
	}
	return out
}

func fromStored(ref string, r domain.Reminder) Job {
	return Job{
		ID: r.ID, Conference: ref, Kind: Kind(r.Kind), Anchor: domain.ReminderAnchor(r.Anchor), Offset: r.Offset,
		Ballot: r.Ballot, What: r.What, Audience: domain.Audience(r.Audience), DueAt: r.Due, Grace: r.Grace,
		Round: r.Round, Chat: r.Chat, Picks: r.Picks,
	}
}
