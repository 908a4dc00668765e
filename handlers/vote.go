package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/ballots"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// A ballot being filled in lives in its buttons' callback data, not in
// Redis: "bv:<ballot>.<round>:<marks>:<candidate>" toggles a candidate,
// "bc:…:<marks>" shows the confirmation, "bs:…:<marks>" casts, "be:…" goes
// back to editing. <marks> has one character per candidate (approve: y, n,
// a; choose and elect: 1, 0). Everything in it is untrusted and checked
// again when the vote is cast.
const (
	markYes     = 'y'
	markNo      = 'n'
	markAbstain = 'a'
	markPicked  = '1'
	markBlank   = '0'
	// maxButtonCandidates keeps the callback data within Telegram's 64 bytes.
	maxButtonCandidates = 40
)

func initialMarks(kind domain.BallotKind, n int) string {
	if kind == domain.KindApprove {
		return strings.Repeat(string(markAbstain), n)
	}
	return strings.Repeat(string(markBlank), n)
}

// validMarks reports whether marks fit the ballot's kind and candidates.
func validMarks(kind domain.BallotKind, marks string, n int) bool {
	if len(marks) != n {
		return false
	}
	allowed := "10"
	if kind == domain.KindApprove {
		allowed = "yna"
	}
	for _, m := range marks {
		if !strings.ContainsRune(allowed, m) {
			return false
		}
	}
	return true
}

// marksToVote turns marks into a domain vote.
func marksToVote(kind domain.BallotKind, candidates []string, marks string) domain.Vote {
	if kind == domain.KindApprove {
		v := domain.Vote{Approve: map[string]domain.Choice{}}
		for i, c := range candidates {
			switch marks[i] {
			case markYes:
				v.Approve[c] = domain.ChoiceYes
			case markNo:
				v.Approve[c] = domain.ChoiceNo
			}
		}
		return v
	}
	var v domain.Vote
	for i, c := range candidates {
		if marks[i] == markPicked {
			v.Picks = append(v.Picks, c)
		}
	}
	return v
}

// toggle changes one candidate's mark: approve cycles yes → no → abstain;
// choose flips; elect picks exactly one.
func toggle(kind domain.BallotKind, marks string, i int) string {
	b := []byte(marks)
	switch kind {
	case domain.KindApprove:
		next := map[byte]byte{markAbstain: markYes, markYes: markNo, markNo: markAbstain}
		b[i] = next[b[i]]
	case domain.KindChoose:
		if b[i] == markPicked {
			b[i] = markBlank
		} else {
			b[i] = markPicked
		}
	default:
		for j := range b {
			b[j] = markBlank
		}
		b[i] = markPicked
	}
	return string(b)
}

func (b *ballotCtx) key() string { return fmt.Sprintf("%d.%d", b.index, b.round.Round) }

// ballotScreen is the ballot as a voter sees it while filling it in.
func (r *Router) ballotScreen(lang i18n.Lang, b *ballotCtx, marks string) (string, models.ReplyMarkup) {
	spec, cands := b.spec, b.round.Candidates
	text := r.Catalog.T(lang, "vote.screen", "title", esc(spec.Title), "round", b.round.Round,
		"how", r.Catalog.T(lang, "vote.how."+string(spec.Kind), "max", domain.MaxPicks(spec)),
		"closes", r.closesText(lang, b.conf, b.round), "typed", typedExample(spec, cands))
	if len(cands) > maxButtonCandidates {
		return text, nil
	}
	var rows [][]models.InlineKeyboardButton
	for i, c := range cands {
		rows = append(rows, []models.InlineKeyboardButton{{
			Text:         r.markLabel(lang, spec.Kind, c, b.conf, marks[i]),
			CallbackData: button("bv", b.conf.Ref(), fmt.Sprintf("%s:%s:%d", b.key(), marks, i)),
		}})
	}
	rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.T(lang, "vote.review"), CallbackData: button("bc", b.conf.Ref(), b.key()+":"+marks)}})
	return text, &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func (r *Router) markLabel(lang i18n.Lang, kind domain.BallotKind, code string, c *domain.Conference, mark byte) string {
	u, _ := c.Unit(code)
	name := code + " — " + u.Name
	switch kind {
	case domain.KindApprove:
		choice := map[byte]string{markYes: "yes", markNo: "no", markAbstain: "abstain"}[mark]
		return r.Catalog.Text(lang, "vote.mark."+choice, "unit", name) // a button's label: plain text
	default:
		if mark == markPicked {
			return "☑ " + name
		}
		return "☐ " + name
	}
}

func typedExample(spec domain.BallotSpec, cands []string) string {
	if len(cands) == 0 {
		return "/vote " + spec.ID
	}
	if spec.Kind == domain.KindApprove {
		ex := "/vote " + spec.ID + " " + cands[0] + ":yes"
		if len(cands) > 1 {
			ex += " " + cands[1] + ":no"
		}
		return ex
	}
	return "/vote " + spec.ID + " " + cands[0]
}

// voteButton handles bv, bc, bs and be presses.
func (r *Router) voteButton(action string) buttonFunc {
	return func(ctx context.Context, req *request, arg string) (string, error) {
		parts := strings.Split(arg, ":")
		if len(parts) < 2 {
			return "", problem("error.bad_button")
		}
		bi, round, ok := strings.Cut(parts[0], ".")
		if !ok {
			return "", problem("error.bad_button")
		}
		b, err := r.loadBallot(ctx, req, bi)
		if err != nil {
			return "", problem("error.bad_button")
		}
		marks := parts[1]
		if strconv.Itoa(b.round.Round) != round || !validMarks(b.spec.Kind, marks, len(b.round.Candidates)) {
			return "", problem("error.bad_button")
		}
		if b.round.State != domain.BallotOpen {
			return "", problem("vote.closed", "ballot", b.spec.ID)
		}
		msgID := req.callbackMessage
		switch action {
		case "bv":
			i, err := strconv.Atoi(lastPart(parts))
			if err != nil || i < 0 || i >= len(marks) || len(parts) != 3 {
				return "", problem("error.bad_button")
			}
			next := toggle(b.spec.Kind, marks, i)
			if b.spec.Kind == domain.KindChoose && strings.Count(next, string(markPicked)) > domain.MaxPicks(b.spec) {
				return r.Catalog.T(req.lang, "vote.too_many", "max", domain.MaxPicks(b.spec)), nil
			}
			text, markup := r.ballotScreen(req.lang, b, next)
			return "", r.edit(ctx, req.chatID, msgID, text, markup)
		case "be":
			text, markup := r.ballotScreen(req.lang, b, marks)
			return "", r.edit(ctx, req.chatID, msgID, text, markup)
		case "bc":
			if msg := r.voteProblem(ctx, req, b, marks); msg != "" {
				return msg, nil
			}
			return "", r.edit(ctx, req.chatID, msgID, r.confirmText(req.lang, b, marks), &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
				{Text: r.Catalog.T(req.lang, "vote.submit"), CallbackData: button("bs", b.conf.Ref(), b.key()+":"+marks)},
				{Text: r.Catalog.T(req.lang, "vote.change"), CallbackData: button("be", b.conf.Ref(), b.key()+":"+marks)},
			}}})
		case "bs":
			res, msg, err := r.cast(ctx, req, b, marksToVote(b.spec.Kind, b.round.Candidates, marks))
			if err != nil || msg != "" {
				return msg, err
			}
			return r.Catalog.T(req.lang, "vote.cast_toast"), r.edit(ctx, req.chatID, msgID, r.receiptText(req.lang, b, res),
				&models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
					{Text: r.Catalog.T(req.lang, "vote.change"), CallbackData: button("be", b.conf.Ref(), b.key()+":"+marks)}}}})
		}
		return "", problem("error.bad_button")
	}
}

func lastPart(parts []string) string { return parts[len(parts)-1] }

// voteProblem checks, before the confirmation screen, what casting would refuse.
func (r *Router) voteProblem(ctx context.Context, req *request, b *ballotCtx, marks string) string {
	o, err := r.svc.Check(ctx, b.conf, b.spec, b.round, req.user.ID, req.memberFor(b.conf.Ref()), marksToVote(b.spec.Kind, b.round.Candidates, marks))
	if err != nil {
		return r.Catalog.T(req.lang, "error.internal")
	}
	return r.refusalText(req.lang, b, o)
}

// cast validates and stores a vote; msg is what to tell the voter when refused.
func (r *Router) cast(ctx context.Context, req *request, b *ballotCtx, v domain.Vote) (domain.CastResult, string, error) {
	o, err := r.svc.Cast(ctx, b.conf, b.spec, b.round, req.user.ID, req.memberFor(b.conf.Ref()), v)
	if err != nil {
		return domain.CastResult{}, "", err
	}
	return o.Result, r.refusalText(req.lang, b, o), nil
}

// refusalText words why a vote was refused ("" when it was not).
func (r *Router) refusalText(lang i18n.Lang, b *ballotCtx, o ballots.Cast) string {
	switch o.Refusal {
	case "":
		return ""
	case ballots.NotEligible:
		return r.Catalog.T(lang, "vote.not_eligible")
	case ballots.NotOpen:
		return r.Catalog.T(lang, "vote.closed", "ballot", b.spec.ID)
	}
	return r.voteErrorText(lang, o.Problem)
}

func (r *Router) voteErrorText(lang i18n.Lang, err error) string {
	var ve *domain.VoteError
	if errors.As(err, &ve) {
		return r.Catalog.T(lang, "vote.error."+strings.ReplaceAll(ve.Code, "-", "_"), "unit", ve.Candidate, "max", ve.Max)
	}
	return r.Catalog.T(lang, "vote.error.wrong_form", "unit", "", "max", 0)
}

func (r *Router) confirmText(lang i18n.Lang, b *ballotCtx, marks string) string {
	var lines []string
	for i, c := range b.round.Candidates {
		switch {
		case b.spec.Kind == domain.KindApprove:
			lines = append(lines, string(esc(r.markLabel(lang, b.spec.Kind, c, b.conf, marks[i]))))
		case marks[i] == markPicked:
			u, _ := b.conf.Unit(c)
			lines = append(lines, string(esc("☑ "+c+" — "+u.Name)))
		}
	}
	if len(lines) == 0 {
		lines = append(lines, r.Catalog.T(lang, "vote.blank"))
	}
	return r.Catalog.T(lang, "vote.confirm", "title", esc(b.spec.Title), "choices", i18n.HTML(strings.Join(lines, "\n")))
}

func (r *Router) receiptText(lang i18n.Lang, b *ballotCtx, res domain.CastResult) string {
	return r.Catalog.T(lang, "vote.receipt", "title", esc(b.spec.Title), "receipt", res.Receipt,
		"voted", res.Voted, "eligible", res.Eligible)
}

func (r *Router) edit(ctx context.Context, chatID int64, msgID int, text string, markup models.ReplyMarkup) error {
	if msgID == 0 {
		return r.send(ctx, chatID, text, markup)
	}
	_, err := r.Out.EditMessageText(ctx, bot.Interactive, &tgbot.EditMessageTextParams{
		ChatID: chatID, MessageID: msgID, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
	if errors.Is(err, bot.ErrNotModified) {
		return nil // a double click: the screen already shows this
	}
	if err != nil {
		return fmt.Errorf("edit message %d: %w", msgID, err)
	}
	return nil
}

// vote is the typed form: `/vote ID CNTT:yes KHTC:no` (approve) or
// `/vote ID CNTT KHTC` (choose, elect). Private chat only.
func (r *Router) vote(ctx context.Context, req *request) error {
	if !req.private {
		return r.reply(ctx, req, "error.private_only", "link", "https://t.me/"+r.BotUsername)
	}
	if len(req.cmd.Fields) < 1 {
		return r.reply(ctx, req, "vote.usage")
	}
	b, ok, err := r.ballotArg(ctx, req, req.cmd.Fields[0])
	if !ok {
		return err
	}
	if b.round.State != domain.BallotOpen {
		return r.send(ctx, req.chatID, r.Catalog.T(req.lang, "vote.closed", "ballot", b.spec.ID), nil)
	}
	if len(req.cmd.Fields) == 1 {
		text, markup := r.ballotScreen(req.lang, b, initialMarks(b.spec.Kind, len(b.round.Candidates)))
		return r.send(ctx, req.chatID, text, markup)
	}
	v, bad := parseTypedVote(b.spec.Kind, req.cmd.Fields[1:])
	v = b.conf.ResolveCodes(v) // nd, ND and NĐ all name Nam Định
	if bad != "" {
		return r.reply(ctx, req, "vote.bad_typed", "part", esc(bad))
	}
	res, msg, err := r.cast(ctx, req, b, v)
	if err != nil {
		return err
	}
	if msg != "" {
		return r.send(ctx, req.chatID, msg, nil)
	}
	return r.send(ctx, req.chatID, r.about(req)+r.receiptText(req.lang, b, res), nil)
}

// parseTypedVote reads "CNTT:yes KHTC:no" or "CNTT KHTC"; bad is the first
// part it could not read.
func parseTypedVote(kind domain.BallotKind, parts []string) (v domain.Vote, bad string) {
	if kind == domain.KindApprove {
		v.Approve = map[string]domain.Choice{}
		words := map[string]domain.Choice{
			"yes": domain.ChoiceYes, "y": domain.ChoiceYes, "đồng-ý": domain.ChoiceYes, "dongy": domain.ChoiceYes,
			"no": domain.ChoiceNo, "n": domain.ChoiceNo, "không": domain.ChoiceNo, "khong": domain.ChoiceNo,
			"abstain": domain.ChoiceAbstain, "a": domain.ChoiceAbstain,
		}
		for _, p := range parts {
			unit, word, ok := strings.Cut(p, ":")
			choice, known := words[strings.ToLower(word)]
			if !ok || !known || unit == "" {
				return v, p
			}
			v.Approve[strings.ToUpper(unit)] = choice
		}
		return v, ""
	}
	for _, p := range parts {
		v.Picks = append(v.Picks, strings.ToUpper(strings.Trim(p, ",")))
	}
	return v, ""
}
