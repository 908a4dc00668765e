package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
)

// Live quorum messages are edited at most once per quorumEditEvery; a
// refresh waiting for the throttle gives up its claim after quorumPendingTTL
// should its replica die.
const (
	quorumEditEvery  = 3 * time.Second
	quorumPendingTTL = 10 * time.Second
)

// quorumGate says whether ballots may open: quorum is reached, or a
// secretary overrode it (recorded with who and when). Ballot handlers call it.
func (r *Router) quorumGate(ctx context.Context, ref string) (reached bool, present, eligible int, overridden bool, err error) {
	c, err := r.Store.Conference(ctx, ref)
	if err != nil {
		return false, 0, 0, false, err
	}
	st, err := r.attendanceState(ctx, c)
	if err != nil {
		return false, 0, 0, false, err
	}
	q := st.Quorum(c)
	_, overridden, err = r.att().QuorumOverride(ctx, ref)
	if err != nil {
		return false, 0, 0, false, err
	}
	return q.Reached, q.Present, q.Eligible, overridden, nil
}

// quorum shows the live counter (`/quorum`) or records an override
// (`/quorum override`) that lets ballots open before quorum.
func (r *Router) quorum(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(req.cmd.Args)) {
	case "":
		return r.sendQuorumMessage(ctx, req, c)
	case "override":
	default:
		return r.reply(ctx, req, "quorum.usage")
	}
	reached, _, _, _, err := r.quorumGate(ctx, c.Ref())
	if err != nil {
		return err
	}
	if reached {
		return r.reply(ctx, req, "quorum.override_not_needed")
	}
	o := domain.QuorumOverride{By: req.user.ID, Name: fullName(req), At: r.Now()}
	first, err := r.att().OverrideQuorum(ctx, c.Ref(), o)
	if err != nil {
		return err
	}
	if !first {
		if o, _, err = r.att().QuorumOverride(ctx, c.Ref()); err != nil {
			return err
		}
	}
	logger(ctx).Info().Str("conference", c.Ref()).Int64("by", o.By).Msg("quorum overridden")
	if first {
		r.audit(ctx, c.Ref(), req, "quorum.override", "")
	}
	if err := r.reply(ctx, req, "quorum.overridden", "name", esc(o.Name), "time", when(c, o.At)); err != nil {
		return err
	}
	r.refreshQuorum(ctx, c.Ref())
	return nil
}

// sendQuorumMessage sends the secretary a new live counter and remembers it
// as the one to edit in this chat.
func (r *Router) sendQuorumMessage(ctx context.Context, req *request, c *domain.Conference) error {
	text, err := r.quorumText(ctx, req.lang, c)
	if err != nil {
		return err
	}
	msg, err := r.Out.SendMessage(ctx, bot.Interactive, &tgbot.SendMessageParams{
		ChatID: req.chatID, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: r.quorumMarkup(req.lang, c.Ref())})
	if err != nil {
		return fmt.Errorf("send quorum message: %w", err)
	}
	return r.att().SetQuorumMessage(ctx, c.Ref(), req.chatID, storage.LiveMessage{MessageID: msg.ID, Shown: digest(text)})
}

func (r *Router) quorumMarkup(lang i18n.Lang, ref string) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: r.Catalog.Text(lang, "quorum.button_refresh"), CallbackData: button("qm", ref, "refresh")}}}}
}

// quorumButton handles qm:refresh: the code on the hall's screen changes
// every few minutes, and a press shows the current one.
func (r *Router) quorumButton(ctx context.Context, req *request, arg string) (string, error) {
	if arg != "refresh" {
		return "", problem("error.bad_button")
	}
	if !r.isStaff(req) {
		return "", problem("error.not_allowed")
	}
	ref, err := r.activeRef(ctx, req)
	if err != nil || ref == "" {
		return r.Catalog.T(req.lang, "error.no_conference"), err
	}
	r.refreshQuorum(ctx, ref)
	return "", nil
}

// quorumText renders the live counter in lang: the check-in code while
// check-in is open, present against eligible, guests, any override.
func (r *Router) quorumText(ctx context.Context, lang i18n.Lang, c *domain.Conference) (string, error) {
	st, err := r.attendanceState(ctx, c)
	if err != nil {
		return "", err
	}
	open, seed, err := r.att().Checkin(ctx, c.Ref())
	if err != nil {
		return "", err
	}
	override, overridden, err := r.att().QuorumOverride(ctx, c.Ref())
	if err != nil {
		return "", err
	}
	now := r.Now()
	lines := []string{r.Catalog.T(lang, "quorum.header", "conference", esc(c.Title))}
	if open && seed != nil {
		lines = append(lines, r.Catalog.T(lang, "quorum.code", "code", domain.CheckinCode(seed, now),
			"changes", domain.CheckinCodeChanges(now).In(c.TimeZone()).Format("15:04")))
	} else {
		lines = append(lines, r.Catalog.T(lang, "quorum.code_closed"))
	}
	lines = append(lines, r.quorumLine(lang, st.Quorum(c)))
	if overridden {
		lines = append(lines, r.Catalog.T(lang, "quorum.override_line", "name", esc(override.Name), "time", when(c, override.At)))
	}
	return strings.Join(lines, "\n"), nil
}

// quorumLine is "5/6 units present — quorum reached" and its variants.
func (r *Router) quorumLine(lang i18n.Lang, q domain.QuorumCount) string {
	key := "quorum.members_"
	if q.Of == domain.QuorumOfDelegates {
		key = "quorum.delegates_"
	}
	if q.Reached {
		key += "reached"
	} else {
		key += "short"
	}
	line := r.Catalog.T(lang, key, "present", q.Present, "eligible", q.Eligible, "need", q.Need)
	if q.Guests > 0 {
		line += "\n" + r.Catalog.T(lang, "quorum.guests", "count", q.Guests)
	}
	return line
}

// refreshQuorum brings every live counter of the conference up to date,
// coalescing bursts: the first change edits at once, changes within the
// throttle leave one refresh waiting, which then shows the latest state. It
// never fails the request that caused it; problems are logged.
func (r *Router) refreshQuorum(ctx context.Context, ref string) {
	ok, wait, err := r.att().ClaimQuorumRefresh(ctx, ref, quorumPendingTTL)
	if err != nil {
		logger(ctx).Warn().Err(err).Str("conference", ref).Msg("quorum refresh not claimed")
		return
	}
	r.refreshClaimed(ctx, ref, storage.QuorumRefresh{Claimed: ok, Wait: wait})
}

// refreshClaimed edits the live counters once the claim's wait is over, on
// its own: the edits (group messages at 20 a minute) must not hold up this
// person's chat, and they are the conference's work, not this update's.
func (r *Router) refreshClaimed(ctx context.Context, ref string, claim storage.QuorumRefresh) {
	if !claim.Claimed {
		return // a refresh is already waiting; it reads the state after this change
	}
	ctx, cancel := context.WithTimeout(logger(ctx).WithContext(context.Background()), quorumPendingTTL+claim.Wait)
	go func() {
		defer cancel()
		timer := time.NewTimer(claim.Wait)
		defer timer.Stop()
		select {
		case <-timer.C:
			r.editQuorumMessages(ctx, ref)
		case <-ctx.Done():
		}
	}()
}

// editQuorumMessages edits each live counter whose text changed.
func (r *Router) editQuorumMessages(ctx context.Context, ref string) {
	log := logger(ctx).With().Str("conference", ref).Logger()
	if err := r.att().StartQuorumRefresh(ctx, ref, quorumEditEvery); err != nil {
		log.Warn().Err(err).Msg("quorum refresh")
		return
	}
	msgs, err := r.att().QuorumMessages(ctx, ref)
	if err != nil || len(msgs) == 0 {
		return
	}
	c, err := r.Store.Conference(ctx, ref)
	if err != nil {
		log.Warn().Err(err).Msg("quorum refresh")
		return
	}
	for chatID, live := range msgs {
		lang := r.chatLanguage(ctx, chatID, ref)
		text, err := r.quorumText(ctx, lang, c)
		if err != nil {
			log.Warn().Err(err).Msg("quorum refresh")
			return
		}
		if digest(text) == live.Shown {
			continue
		}
		_, err = r.Out.EditMessageText(ctx, bot.Interactive, &tgbot.EditMessageTextParams{
			ChatID: chatID, MessageID: live.MessageID, Text: text, ParseMode: models.ParseModeHTML,
			ReplyMarkup: r.quorumMarkup(lang, ref)})
		switch {
		case errors.Is(err, tgbot.ErrorBadRequest) || errors.Is(err, tgbot.ErrorForbidden):
			// Deleted, too old to edit, or the secretary blocked the bot.
			_ = r.att().DropQuorumMessage(ctx, ref, chatID)
		case err != nil:
			log.Warn().Err(err).Int64("chat_id", chatID).Msg("quorum message not edited")
		default:
			live.Shown = digest(text)
			_ = r.att().SetQuorumMessage(ctx, ref, chatID, live)
		}
	}
}

// chatLanguage is the language of a private chat's person in a conference.
func (r *Router) chatLanguage(ctx context.Context, userID int64, ref string) i18n.Lang {
	p, err := r.Store.Profile(ctx, userID)
	if err != nil {
		return i18n.VI
	}
	return r.language(ctx, p, &domain.Membership{Ref: ref})
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// attendancePresentVoters counts a ballot's present eligible voters (the
// base of a threshold "of: present"); ballot handlers call it.
func (r *Router) attendancePresentVoters(ctx context.Context, c *domain.Conference, spec domain.BallotSpec) (int, error) {
	st, err := r.attendanceState(ctx, c)
	if err != nil {
		return 0, err
	}
	return st.PresentVoters(c, spec.Voters), nil
}

// RefreshCheckinCodes keeps the hall's screen current: while check-in is
// open, the live messages are re-rendered on every tick and edited only
// when their text changed — that is, when the code rolled over to a new
// window (or someone checked in). Every replica may call it; the refresh
// claim and the "shown" digest keep edits single and rare.
func (r *Router) RefreshCheckinCodes(ctx context.Context) error {
	refs, err := r.Ballots.Conferences(ctx)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		c, err := r.Ballots.Conference(ctx, ref)
		if err != nil || c.State != domain.StateInSession {
			continue
		}
		if open, _, err := r.att().Checkin(ctx, ref); err == nil && open {
			r.refreshQuorum(ctx, ref)
		}
	}
	return nil
}
