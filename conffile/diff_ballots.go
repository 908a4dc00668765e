package conffile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/confbot/confbot/domain"
)

// ballots compares ballots by id, and their order, which is the order they open in.
func (d *differ) ballots(old, new []domain.BallotSpec) {
	oldByID := make(map[string]domain.BallotSpec, len(old))
	for _, b := range old {
		oldByID[b.ID] = b
	}
	inNew := make(map[string]bool, len(new))
	var kept []string
	for _, b := range new {
		inNew[b.ID] = true
		was, ok := oldByID[b.ID]
		if !ok {
			d.lines = append(d.lines, fmt.Sprintf("ballots: added %s (%s)", b.ID, b.Title))
			continue
		}
		kept = append(kept, b.ID)
		d.ballot("ballots["+b.ID+"]", was, b)
	}
	var keptBefore []string
	for _, b := range old {
		if !inNew[b.ID] {
			d.lines = append(d.lines, fmt.Sprintf("ballots: removed %s (%s)", b.ID, b.Title))
		} else {
			keptBefore = append(keptBefore, b.ID)
		}
	}
	d.order("ballots", keptBefore, kept)
}

// ballot compares one ballot's fields.
func (d *differ) ballot(path string, old, new domain.BallotSpec) {
	d.text(path+".title", old.Title, new.Title)
	d.plain(path+".kind", old.Kind, new.Kind)
	d.plain(path+".candidates", describeCandidates(old.Candidates), describeCandidates(new.Candidates))
	d.plain(path+".prerequisite", old.Prerequisite, new.Prerequisite)
	d.plain(path+".max_choices", old.MaxChoices, new.MaxChoices)
	d.plain(path+".voters", old.Voters, new.Voters)
	d.plain(path+".secret", old.Secret, new.Secret)
	d.plain(path+".self_vote", old.SelfVote, new.SelfVote)
	d.plain(path+".threshold", describeThreshold(old.Threshold), describeThreshold(new.Threshold))
	d.plain(path+".quota", old.Quota, new.Quota)
	d.plain(path+".tie", old.Tie, new.Tie)
	d.plain(path+".closes_after", old.ClosesAfter, new.ClosesAfter)
	d.text(path+".on_result", old.OnResult, new.OnResult)
	d.text(path+".proposal_to", old.ProposalTo, new.ProposalTo)
	d.text(path+".counting_board", describeBoard(old.CountingBoard), describeBoard(new.CountingBoard))
}

// describeCandidates prints candidates as the file writes them.
func describeCandidates(c domain.Candidates) string {
	if len(c.Codes) > 0 {
		terms := slices.Clone(c.Codes)
		for _, id := range c.NotAwardedOf {
			terms = append(terms, notAwardedPrefix+id)
		}
		return "[" + strings.Join(terms, ", ") + "]"
	}
	if terms := candidateTerms(c); len(terms) > 0 {
		return strings.Join(terms, ", ")
	}
	return "[]"
}

// describeThreshold prints a threshold as "> 50% of members".
func describeThreshold(t domain.Threshold) string {
	return fmt.Sprintf("%s %s%% of %s", t.Op, formatNumber(t.Percent), t.Of)
}

// reminders compares reminders by position: they have no ids.
func (d *differ) reminders(old, new []domain.ReminderSpec) {
	for i := range max(len(old), len(new)) {
		path := fmt.Sprintf("reminders[%d]", i)
		switch {
		case i >= len(old):
			d.lines = append(d.lines, path+": added "+describeReminder(new[i]))
		case i >= len(new):
			d.lines = append(d.lines, path+": removed "+describeReminder(old[i]))
		default:
			d.plain(path, describeReminder(old[i]), describeReminder(new[i]))
		}
	}
}

// describeReminder prints a reminder on one line, with every field that
// matters, so that comparing the descriptions compares the reminders.
func describeReminder(r domain.ReminderSpec) string {
	if r.Cron == "" {
		offsets := make([]string, len(r.Offsets))
		for i, o := range r.Offsets {
			offsets[i] = o.String()
		}
		return fmt.Sprintf("{before: %s, offsets: [%s], to: %s}", r.Before, strings.Join(offsets, ", "), r.To)
	}
	return fmt.Sprintf("{cron: %q, what: %s, to: %s, from: %s, until: %s}",
		r.Cron, r.What, r.To, formatMoment(r.From), formatMoment(r.Until))
}

// paperwork records what changed in the records' header and footer.
func (d *differ) paperwork(old, new domain.Paperwork) {
	d.text("paperwork.superior_body", old.SuperiorBody, new.SuperiorBody)
	d.text("paperwork.issuing_body", old.IssuingBody, new.IssuingBody)
	d.text("paperwork.number_suffix", old.NumberSuffix, new.NumberSuffix)
	d.text("paperwork.place", old.Place, new.Place)
	d.text("paperwork.proposal_to", old.ProposalTo, new.ProposalTo)
	d.text("paperwork.recipients", strings.Join(old.Recipients, "; "), strings.Join(new.Recipients, "; "))
	d.text("paperwork.counting_board", describeBoard(old.CountingBoard), describeBoard(new.CountingBoard))
}

// describeBoard prints a ban kiểm phiếu on one line.
func describeBoard(board []domain.Signer) string {
	parts := make([]string, len(board))
	for i, s := range board {
		parts[i] = strings.TrimSpace(strings.Join([]string{s.Rank, s.Name, s.Position}, " "))
	}
	return strings.Join(parts, "; ")
}
