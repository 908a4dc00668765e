package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
)

// closeRound closes a round once (the replica whose close wins publishes),
// tallies it from the counters, records the result and sends it out.
func (r *Router) closeRound(ctx context.Context, req *request, c *domain.Conference, spec domain.BallotSpec, round int) error {
	closed, err := r.Ballots.CloseBallot(ctx, c.Ref(), spec.ID, round)
	if err != nil {
		return err
	}
	if !closed {
		return nil // another request or replica closed it and publishes
	}
	logger(ctx).Info().Str("conference", c.Ref()).Str("ballot", spec.ID).Int("round", round).Msg("ballot closed")
	r.ballotDeadline(ctx, c, spec.ID, time.Time{})
	r.audit(ctx, c.Ref(), req, "ballot.close", fmt.Sprintf("%s round %d", spec.ID, round))
	res, err := r.tallyRound(ctx, c, spec, round, nil)
	if err != nil {
		return err
	}
	if err := r.recordResult(ctx, c, spec, res); err != nil {
		return err
	}
	return r.publishTally(ctx, c, spec, res)
}

// tallyRound counts a closed round from its counters (never the ballots).
func (r *Router) tallyRound(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, round int, chairPicks []string) (domain.Result, error) {
	b := &ballotCtx{conf: c, spec: spec}
	info, err := r.Ballots.BallotRoundAt(ctx, c.Ref(), spec.ID, round)
	if err != nil {
		return domain.Result{}, err
	}
	b.round = info
	rspec, err := r.roundSpec(ctx, b)
	if err != nil {
		return domain.Result{}, err
	}
	counters, err := r.Ballots.Counters(ctx, c.Ref(), spec.ID, round)
	if err != nil {
		return domain.Result{}, err
	}
	present, err := r.presentVoters(ctx, c, spec)
	if err != nil {
		return domain.Result{}, err
	}
	scores, err := r.unitScores(ctx, c)
	if err != nil {
		return domain.Result{}, err
	}
	return domain.Tally(domain.TallyInput{Ballot: rspec, Round: round, Candidates: info.Candidates, Counters: counters,
		Members: info.Eligible, Present: present, Scores: scores, ChairPicks: chairPicks})
}

// recordResult saves a round's result and, when an on_result: handover
// ballot is decided, records next year's chair unit.
func (r *Router) recordResult(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, res domain.Result) error {
	if err := r.Ballots.SaveResult(ctx, c.Ref(), res); err != nil {
		return err
	}
	if spec.OnResult != "handover" {
		return nil
	}
	rounds, err := r.Ballots.Results(ctx, c.Ref(), spec.ID)
	if err != nil {
		return err
	}
	o := domain.OutcomeOf(rounds)
	if !o.Decided || len(o.Awarded) == 0 {
		return nil
	}
	_, err = r.Ballots.UpdateConference(ctx, c.Ref(), func(c *domain.Conference) error {
		c.NextChairUnit = o.Awarded[0]
		return nil
	})
	return err
}

// publishTally sends the tally, as text and as a chart, to every secretary and
// the cluster's group chat, and the counted receipts to every voter.
func (r *Router) publishTally(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, res domain.Result) error {
	members, err := r.Ballots.Members(ctx, c.Ref())
	if err != nil {
		return err
	}
	receipts, err := r.Ballots.Receipts(ctx, c.Ref(), spec.ID, res.Round)
	if err != nil {
		return err
	}
	type target struct {
		chat int64
		lang i18n.Lang
	}
	var staffChats, voterChats []target
	for id, m := range members {
		switch {
		case m.HasRole(domain.RoleSecretary):
			staffChats = append(staffChats, target{id, r.personLang(ctx, id, c)})
		case mayVote(c, m):
			voterChats = append(voterChats, target{id, r.personLang(ctx, id, c)})
		}
	}
	if c.Cluster.GroupChat != 0 {
		staffChats = append(staffChats, target{c.Cluster.GroupChat, clusterLang(c)})
	}
	sort.Slice(staffChats, func(i, j int) bool { return staffChats[i].chat < staffChats[j].chat })
	for _, t := range staffChats {
		if err := r.sendTally(ctx, t.chat, t.lang, c, spec, res, bot.Bulk); err != nil {
			logger(ctx).Warn().Err(err).Int64("chat_id", t.chat).Str("ballot", spec.ID).Msg("tally not delivered")
		}
	}
	for _, t := range voterChats {
		text := r.Catalog.T(t.lang, "tally.receipts", "title", esc(spec.Title), "round", res.Round, "count", len(receipts), "receipts", strings.Join(receipts, " "))
		if _, err := r.Out.SendMessage(ctx, bot.Bulk, &tgbot.SendMessageParams{ChatID: t.chat, Text: text, ParseMode: models.ParseModeHTML}); err != nil {
			logger(ctx).Warn().Err(err).Int64("chat_id", t.chat).Str("ballot", spec.ID).Msg("receipts not delivered")
		}
	}
	return nil
}

// sendTally sends one chat the tally text and its chart.
func (r *Router) sendTally(ctx context.Context, chat int64, lang i18n.Lang, c *domain.Conference, spec domain.BallotSpec, res domain.Result, prio bot.Priority) error {
	text, err := r.tallyText(ctx, lang, c, spec, res)
	if err != nil {
		return err
	}
	if _, err := r.Out.SendMessage(ctx, prio, &tgbot.SendMessageParams{ChatID: chat, Text: text, ParseMode: models.ParseModeHTML}); err != nil {
		return err
	}
	png, err := r.tallyChart(lang, c, spec, res)
	if err != nil {
		return fmt.Errorf("chart of %s: %w", spec.ID, err)
	}
	_, err = r.Out.SendPhoto(ctx, prio, &tgbot.SendPhotoParams{ChatID: chat,
		Photo:   &models.InputFileUpload{Filename: spec.ID + ".png", Data: bytes.NewReader(png)},
		Caption: r.Catalog.T(lang, "tally.chart_caption", "title", esc(spec.Title), "round", res.Round), ParseMode: models.ParseModeHTML})
	return err
}

// tallyText renders a result: per candidate the counts, the percentage of
// the base, pass or fail; the awarded list; ties; turnout and quorum.
func (r *Router) tallyText(ctx context.Context, lang i18n.Lang, c *domain.Conference, spec domain.BallotSpec, res domain.Result) (string, error) {
	// A revote round ranks the tied under its own threshold and quota.
	spec, err := r.roundSpec(ctx, &ballotCtx{conf: c, spec: spec, round: storage.RoundInfo{Round: res.Round}})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(r.Catalog.T(lang, "tally.header", "title", esc(spec.Title), "round", res.Round))
	b.WriteString("\n" + r.Catalog.T(lang, "tally.turnout", "voted", res.Turnout, "eligible", roundEligible(res, spec, c),
		"base", res.Base, "base_name", r.Catalog.T(lang, "tally.base."+string(spec.Threshold.Of)),
		"op", esc(spec.Threshold.Op), "percent", spec.Threshold.Percent))
	for _, row := range res.Rows {
		u, _ := c.Unit(row.Candidate)
		verdict := r.Catalog.T(lang, "tally.failed")
		switch {
		case row.Awarded:
			verdict = r.Catalog.T(lang, "tally.awarded")
		case row.Tied:
			verdict = r.Catalog.T(lang, "tally.tied")
		case row.Passed:
			verdict = r.Catalog.T(lang, "tally.passed")
		}
		key := "tally.row_picks"
		if spec.Kind == domain.KindApprove {
			key = "tally.row_approve"
		}
		b.WriteString("\n" + r.Catalog.T(lang, key, "unit", row.Candidate, "name", esc(u.Name), "yes", row.Yes, "no", row.No,
			"abstain", row.Abstain, "votes", row.Votes, "percent", row.Percent, "verdict", verdict))
	}
	awarded := strings.Join(res.Awarded, ", ")
	if awarded == "" {
		awarded = "—"
	}
	b.WriteString("\n" + r.Catalog.T(lang, "tally.awarded_list", "quota", spec.Quota, "units", awarded))
	switch {
	case res.NeedsRevote:
		b.WriteString("\n" + r.Catalog.T(lang, "tally.needs_revote", "units", strings.Join(res.Tied, ", "), "seats", res.Seats, "ballot", spec.ID))
	case res.NeedsChair:
		b.WriteString("\n" + r.Catalog.T(lang, "tally.needs_chair", "units", strings.Join(res.Tied, ", "), "seats", res.Seats, "chair", c.ChairUnit, "ballot", spec.ID))
	}
	if spec.OnResult == "handover" && res.Winner != "" && !res.NeedsRevote && !res.NeedsChair {
		u, _ := c.Unit(res.Winner)
		b.WriteString("\n" + r.Catalog.T(lang, "tally.next_chair", "unit", res.Winner, "name", esc(u.Name), "year", c.Year+1))
	}
	if !spec.Secret {
		named, err := r.Ballots.NamedVotes(ctx, c.Ref(), spec.ID, res.Round)
		if err != nil && !errors.Is(err, storage.ErrSecretBallot) {
			return "", err
		}
		voters := make([]string, 0, len(named))
		for k := range named {
			voters = append(voters, k)
		}
		sort.Strings(voters)
		b.WriteString("\n" + r.Catalog.T(lang, "tally.named_header"))
		for _, k := range voters {
			b.WriteString(string("\n" + esc(k) + ": " + esc(describeVote(named[k]))))
		}
	}
	reached, present, eligible, overridden, err := r.ballotQuorum(ctx, c.Ref())
	if err != nil {
		return "", err
	}
	key := "tally.quorum_reached"
	switch {
	case overridden && !reached:
		key = "tally.quorum_overridden"
	case !reached:
		key = "tally.quorum_missing"
	}
	b.WriteString("\n" + r.Catalog.T(lang, key, "present", present, "eligible", eligible))
	return b.String(), nil
}

func roundEligible(res domain.Result, spec domain.BallotSpec, c *domain.Conference) int {
	if spec.Threshold.Of == domain.BaseMembers {
		return res.Base
	}
	if spec.Voters == domain.VotersUnit {
		return len(c.Units)
	}
	return res.Base
}

// describeVote renders a named ballot's vote, e.g. "KHTC, QLXD" or "CNTT: yes".
func describeVote(v domain.Vote) string {
	if v.Approve == nil {
		if len(v.Picks) == 0 {
			return "—"
		}
		return strings.Join(v.Picks, ", ")
	}
	keys := make([]string, 0, len(v.Approve))
	for k := range v.Approve {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ":" + string(v.Approve[k])
	}
	return strings.Join(parts, " ")
}

// tally is `/tally ID`: turnout only while open (a secret ballot shows
// nothing more), the result once closed.
func (r *Router) tally(ctx context.Context, req *request) error {
	if len(req.cmd.Fields) != 1 {
		return r.reply(ctx, req, "tally.usage")
	}
	b, ok, err := r.ballotArg(ctx, req, req.cmd.Fields[0])
	if !ok {
		return err
	}
	switch b.round.State {
	case domain.BallotDraft:
		return r.reply(ctx, req, "ballot.not_open", "ballot", b.spec.ID)
	case domain.BallotOpen:
		voted, eligible, err := r.Ballots.Turnout(ctx, b.conf.Ref(), b.spec.ID, b.round.Round)
		if err != nil {
			return err
		}
		return r.reply(ctx, req, "tally.turnout_only", "title", esc(b.spec.Title), "round", b.round.Round, "voted", voted, "eligible", eligible)
	}
	results, err := r.Ballots.Results(ctx, b.conf.Ref(), b.spec.ID)
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return r.reply(ctx, req, "ballot.not_open", "ballot", b.spec.ID)
	}
	return r.sendTally(ctx, req.chatID, req.lang, b.conf, b.spec, results[len(results)-1], bot.Interactive)
}

// receipts is `/receipts ID`: the counted receipt codes, once closed.
func (r *Router) receipts(ctx context.Context, req *request) error {
	if len(req.cmd.Fields) != 1 {
		return r.reply(ctx, req, "receipts.usage")
	}
	b, ok, err := r.ballotArg(ctx, req, req.cmd.Fields[0])
	if !ok {
		return err
	}
	if b.round.State != domain.BallotClosed {
		return r.reply(ctx, req, "receipts.not_closed", "ballot", b.spec.ID)
	}
	codes, err := r.Ballots.Receipts(ctx, b.conf.Ref(), b.spec.ID, b.round.Round)
	if err != nil {
		return err
	}
	own := ""
	if key, ok := ownVoterKey(b.conf, b.spec, req.user.ID, req.memberFor(b.conf.Ref())); ok {
		if code, found, err := r.Ballots.VoterReceipt(ctx, b.conf.Ref(), b.spec.ID, b.round.Round, key, r.BallotSecret); err == nil && found {
			own = "\n" + r.Catalog.T(req.lang, "receipts.yours", "receipt", code)
		}
	}
	return r.send(ctx, req.chatID, r.Catalog.T(req.lang, "tally.receipts", "title", esc(b.spec.Title), "round", b.round.Round,
		"count", len(codes), "receipts", strings.Join(codes, " "))+own, nil)
}

// decideTie is `/ballot decide ID UNIT…`: the chair unit's head settles a tie
// at the quota's edge when the ballot's tie rule is "chair".
func (r *Router) decideTie(ctx context.Context, req *request, b *ballotCtx, picks []string) error {
	m := req.memberFor(b.conf.Ref())
	if m == nil || m.Unit != b.conf.ChairUnit || !m.HasRole(domain.RoleHead) {
		return r.reply(ctx, req, "ballot.decide_not_chair", "chair", b.conf.ChairUnit)
	}
	results, err := r.Ballots.Results(ctx, b.conf.Ref(), b.spec.ID)
	if err != nil {
		return err
	}
	if len(results) == 0 || !results[len(results)-1].NeedsChair || len(picks) == 0 {
		return r.reply(ctx, req, "ballot.decide_nothing", "ballot", b.spec.ID)
	}
	for i := range picks {
		picks[i] = strings.ToUpper(strings.Trim(picks[i], ","))
	}
	last := results[len(results)-1]
	res, err := r.tallyRound(ctx, b.conf, b.spec, last.Round, picks)
	if errors.Is(err, domain.ErrInvalid) {
		return r.reply(ctx, req, "ballot.decide_invalid", "units", strings.Join(last.Tied, ", "), "seats", last.Seats)
	}
	if err != nil {
		return err
	}
	if err := r.recordResult(ctx, b.conf, b.spec, res); err != nil {
		return err
	}
	logger(ctx).Info().Str("conference", b.conf.Ref()).Str("ballot", b.spec.ID).Msg("tie decided by the chair")
	r.audit(ctx, b.conf.Ref(), req, "ballot.decide", b.spec.ID+": "+strings.Join(picks, ", "))
	return r.publishTally(ctx, b.conf, b.spec, res)
}

// CloseDueBallots closes every round past its closes_after; the scheduler's
// clock calls it. Safe on several replicas: only one close wins.
func (r *Router) CloseDueBallots(ctx context.Context) error {
	refs, err := r.Ballots.Conferences(ctx)
	if err != nil {
		return err
	}
	now := r.Now()
	var errs []error
	for _, ref := range refs {
		c, err := r.Ballots.Conference(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if c.State != domain.StateInSession {
			continue
		}
		for _, spec := range c.Ballots {
			info, err := r.Ballots.BallotRound(ctx, ref, spec.ID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if info.Due(now) {
				if err := r.closeRound(ctx, nil, c, spec, info.Round); err != nil {
					errs = append(errs, fmt.Errorf("close %s/%s: %w", ref, spec.ID, err))
				}
			}
		}
	}
	return errors.Join(errs...)
}
