package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// statusLimit keeps the board in one Telegram message (4,096 UTF-16 units)
// with room for the closing line.
const statusLimit = 3900

// status is the secretary's board: quorum, then per unit one line with
// registrations, presence and the latest summary.
func (r *Router) status(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	st, err := r.attendanceState(ctx, c)
	if err != nil {
		return err
	}
	text := r.statusText(req.lang, c, st)
	return r.send(ctx, req.chatID, text, nil)
}

// statusText renders the board; units that would overflow one message are
// counted in a closing line instead of being split over several.
func (r *Router) statusText(lang i18n.Lang, c *domain.Conference, st domain.AttendanceState) string {
	var b strings.Builder
	b.WriteString(r.Catalog.T(lang, "status.header", "conference", esc(c.Title),
		"state", r.Catalog.T(lang, "state."+string(c.State))))
	b.WriteString("\n")
	b.WriteString(r.quorumLine(lang, st.Quorum(c)))
	if !c.SummaryDeadline.IsZero() {
		b.WriteString("\n")
		b.WriteString(r.Catalog.T(lang, "status.deadline", "deadline", when(c, c.SummaryDeadline)))
	}
	b.WriteString("\n")
	board := st.Status(c)
	for i, u := range board {
		line := r.statusLine(lang, c, u)
		if statusTextLen(b.String())+statusTextLen(line) > statusLimit {
			b.WriteString("\n")
			b.WriteString(r.Catalog.T(lang, "status.more", "count", len(board)-i))
			break
		}
		b.WriteString("\n")
		b.WriteString(line)
	}
	return b.String()
}

func (r *Router) statusLine(lang i18n.Lang, c *domain.Conference, u domain.UnitStatus) string {
	present := r.Catalog.T(lang, "status.present_no")
	if u.Present {
		present = r.Catalog.T(lang, "status.present_yes")
	}
	if u.Unit.Guest {
		return r.Catalog.T(lang, "status.guest", "unit", u.Unit.Code, "present", present)
	}
	summary := r.Catalog.T(lang, "status.summary_none")
	if v := u.Summary; v != nil {
		key := "status.summary_ok"
		if v.Late {
			key = "status.summary_late"
		}
		summary = r.Catalog.T(lang, key, "time", when(c, v.At), "score", v.Score, "version", v.Version)
	}
	return r.Catalog.T(lang, "status.unit", "unit", u.Unit.Code, "registered", u.Registered, "people", u.People,
		"yes", u.Yes, "no", u.No, "substitute", u.Substitute, "present", present, "summary", summary)
}

func statusTextLen(s string) int { return len(utf16.Encode([]rune(s))) }

// summaries lists the units' latest summaries with a button per document
// (`/summaries`), or re-sends one unit's latest document (`/summaries UNIT`).
func (r *Router) summaries(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	if len(req.cmd.Fields) > 0 {
		unit := c.CodeOf(req.cmd.Fields[0])
		if !c.IsMember(unit) {
			return r.reply(ctx, req, "invite.unknown_unit", "unit", esc(unit))
		}
		key, err := r.sendSummaryDocument(ctx, req, c, unit)
		if err != nil || key == "" {
			return err
		}
		return r.reply(ctx, req, key, "unit", unit)
	}
	latest, err := r.att().LatestSummaries(ctx, c.Ref(), c.MemberCodes())
	if err != nil {
		return err
	}
	var lines []string
	var row []models.InlineKeyboardButton
	var rows [][]models.InlineKeyboardButton
	for _, u := range c.Units {
		v, has := latest[u.Code]
		if !has {
			lines = append(lines, r.Catalog.T(req.lang, "summaries.line_missing", "unit", u.Code))
			continue
		}
		file := i18n.HTML(r.Catalog.T(req.lang, "summary.no_file"))
		if v.Document != nil {
			file = esc(v.Document.FileName)
			row = append(row, models.InlineKeyboardButton{
				Text: r.Catalog.Text(req.lang, "summaries.button", "unit", u.Code), CallbackData: button("sm", c.Ref(), u.Code)})
			if len(row) == 3 {
				rows, row = append(rows, row), nil
			}
		}
		key := "summaries.line"
		if v.Late {
			key = "summaries.line_late"
		}
		lines = append(lines, r.Catalog.T(req.lang, key, "unit", u.Code, "version", v.Version,
			"time", when(c, v.At), "score", v.Score, "file", file))
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	text := r.Catalog.T(req.lang, "summaries.header", "count", len(c.UnitsOwingSummary(latest))) + "\n" + strings.Join(lines, "\n")
	var markup models.ReplyMarkup
	if len(rows) > 0 {
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	return r.send(ctx, req.chatID, text, markup)
}

// summaryButton handles sm:UNIT: the latest document of that unit, re-sent
// by file id. A double click sends it once.
func (r *Router) summaryButton(ctx context.Context, req *request, arg string) (string, error) {
	if !r.isStaff(req) {
		return "", problem("error.not_allowed")
	}
	ref, err := r.activeRef(ctx, req)
	if err != nil || ref == "" {
		return r.Catalog.T(req.lang, "error.no_conference"), err
	}
	c, err := r.Store.Conference(ctx, ref)
	if err != nil {
		return "", err
	}
	if !c.IsMember(arg) {
		return "", problem("error.bad_button")
	}
	first, err := r.att().ClaimPress(ctx, req.user.ID, "sm:"+arg, 5*time.Second)
	if err != nil {
		return "", err
	}
	if !first {
		return "", problem("summaries.already_sent", "unit", arg)
	}
	key, err := r.sendSummaryDocument(ctx, req, c, arg)
	if err != nil {
		return "", err
	}
	if key != "" {
		return r.Catalog.T(req.lang, key, "unit", arg), nil
	}
	return "", nil
}

// sendSummaryDocument re-sends a unit's latest document by file id; it
// returns a catalogue key when there is nothing to send.
func (r *Router) sendSummaryDocument(ctx context.Context, req *request, c *domain.Conference, unit string) (string, error) {
	latest, err := r.att().LatestSummaries(ctx, c.Ref(), []string{unit})
	if err != nil {
		return "", err
	}
	v, ok := latest[unit]
	switch {
	case !ok:
		return "summaries.none_for", nil
	case v.Document == nil:
		return "summaries.no_document", nil
	case r.Documents == nil:
		return "", errors.New("no document sender configured")
	}
	key := "summaries.caption"
	if v.Late {
		key = "summaries.caption_late"
	}
	_, err = r.Documents.SendDocument(ctx, bot.Interactive, &tgbot.SendDocumentParams{
		ChatID: req.chatID, Document: &models.InputFileString{Data: v.Document.FileID}, ParseMode: models.ParseModeHTML,
		Caption: r.Catalog.T(req.lang, key, "unit", unit, "version", v.Version, "time", when(c, v.At), "score", v.Score,
			"sha", v.Document.SHA256[:12])})
	if err != nil {
		return "", fmt.Errorf("re-send summary of %s: %w", unit, err)
	}
	return "", nil
}
