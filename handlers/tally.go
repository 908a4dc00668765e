package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/ballots"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
)

// closeRound closes a round (the service records the tally job with the
// close) and tells the person who asked that the tally is on its way. req
// is nil for a close by the clock.
func (r *Router) closeRound(ctx context.Context, req *request, c *domain.Conference, spec domain.BallotSpec, round int) error {
	closed, err := r.svc.Close(ctx, c, spec, round)
	if err != nil {
		return err
	}
	if closed {
		r.audit(ctx, c.Ref(), req, "ballot.close", fmt.Sprintf("%s round %d", spec.ID, round))
	}
	if req == nil {
		return nil
	}
	// Closed now or a moment ago by someone else: either way its tally is on its way.
	return r.reply(ctx, req, "ballot.closed_tally_coming", "ballot", spec.ID, "title", esc(spec.Title), "round", round)
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
	info, err := r.Ballots.BallotRoundAt(ctx, c.Ref(), spec.ID, res.Round)
	if err != nil {
		return "", err
	}
	spec, err = r.svc.RoundSpec(ctx, c, spec, info)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(r.Catalog.T(lang, "tally.header", "title", esc(spec.Title), "round", res.Round))
	b.WriteString("\n" + r.Catalog.T(lang, "tally.turnout", "voted", res.Turnout, "eligible", roundEligible(res, spec, c),
		"base", res.Base, "base_name", r.Catalog.T(lang, "tally.base."+string(spec.Threshold.Of)),
		"threshold", r.thresholdWords(lang, spec.Threshold)))
	for _, row := range res.Rows {
		u, _ := c.Unit(row.Candidate)
		verdict := r.Catalog.T(lang, "tally.failed")
		switch {
		case row.Awarded && spec.Elects():
			verdict = r.Catalog.T(lang, "tally.elected") // the chair or deputy election: trúng cử, not a proposal
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
	if spec.Elects() {
		b.WriteString("\n" + r.Catalog.T(lang, "tally.elected_list", "units", awarded))
	} else {
		b.WriteString("\n" + r.Catalog.T(lang, "tally.awarded_list", "quota", spec.Quota, "units", awarded))
	}
	switch {
	case res.NeedsRevote:
		b.WriteString("\n" + r.Catalog.T(lang, "tally.needs_revote", "units", strings.Join(res.Tied, ", "), "seats", res.Seats, "ballot", spec.ID))
	case res.NeedsChair:
		b.WriteString("\n" + r.Catalog.T(lang, "tally.needs_chair", "units", strings.Join(res.Tied, ", "), "seats", res.Seats, "chair", c.ChairUnit, "ballot", spec.ID))
	}
	if spec.Elects() && res.Winner != "" && !res.NeedsRevote && !res.NeedsChair {
		u, _ := c.Unit(res.Winner)
		key := "tally.next_chair"
		if domain.OfficeOf(spec) == domain.OfficeDeputy {
			key = "tally.next_deputy"
		}
		b.WriteString("\n" + r.Catalog.T(lang, key, "unit", res.Winner, "name", esc(u.Name), "year", c.Year+1))
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
	q, err := r.svc.QuorumOf(ctx, c, info)
	if err != nil {
		return "", err
	}
	reached, present, eligible, overridden := q.Reached, q.Present, q.Eligible, q.Overridden
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
	if code, found, err := r.svc.OwnReceipt(ctx, b.conf, b.spec, b.round.Round, req.user.ID, req.memberFor(b.conf.Ref())); err == nil && found {
		own = "\n" + r.Catalog.T(req.lang, "receipts.yours", "receipt", code)
	}
	return r.send(ctx, req.chatID, r.Catalog.T(req.lang, "tally.receipts", "title", esc(b.spec.Title), "round", b.round.Round,
		"count", len(codes), "receipts", strings.Join(codes, " "))+own, nil)
}

// decideTie is `/ballot decide ID UNIT…`: the chair unit's head settles a tie
// at the quota's edge when the ballot's tie rule is "chair".
func (r *Router) decideTie(ctx context.Context, req *request, b *ballotCtx, picks []string) error {
	d, err := r.svc.Decide(ctx, b.conf, b.spec, req.memberFor(b.conf.Ref()), picks)
	if err != nil {
		return err
	}
	switch d.Refusal {
	case "":
	case ballots.NotChair:
		return r.reply(ctx, req, "ballot.decide_not_chair", "chair", d.Chair)
	case ballots.NothingToDecide:
		return r.reply(ctx, req, "ballot.decide_nothing", "ballot", b.spec.ID)
	case ballots.InvalidDecision:
		return r.reply(ctx, req, "ballot.decide_invalid", "units", strings.Join(d.Tied, ", "), "seats", d.Seats)
	case ballots.AlreadySending:
		return r.reply(ctx, req, "effect.already_sending")
	default:
		return fmt.Errorf("decide %s: unexpected refusal %q", b.spec.ID, d.Refusal)
	}
	r.audit(ctx, b.conf.Ref(), req, "ballot.decide", b.spec.ID+": "+strings.Join(d.Picks, ", "))
	return r.reply(ctx, req, "ballot.decided_tally_coming", "ballot", b.spec.ID, "title", esc(b.spec.Title))
}

// closeDueBallot closes ballot's open round of ref if it is due: the
// scheduler's close job calls it at the closing time.
func (r *Router) closeDueBallot(ctx context.Context, ref, ballot string) error {
	c, err := r.Ballots.Conference(ctx, ref)
	if err != nil {
		return err
	}
	return r.svc.CloseDue(ctx, c, ballot)
}

// CloseDueBallots closes every round past its closes_after: a safety net
// under the close jobs, run at every tick. Safe on several replicas: only
// one close wins.
func (r *Router) CloseDueBallots(ctx context.Context) error {
	refs, err := r.Ballots.Conferences(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, ref := range refs {
		c, err := r.Ballots.Conference(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if c.State == domain.StateInSession {
			errs = append(errs, r.svc.CloseAllDue(ctx, c))
		}
	}
	return errors.Join(errs...)
}
