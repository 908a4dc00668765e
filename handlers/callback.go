package handlers

import (
	"context"
	"fmt"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// buttonFunc handles a button press; the text it returns is shown as the
// callback answer (a toast).
type buttonFunc func(ctx context.Context, req *request, arg string) (string, error)

// buttons maps a callback data prefix ("lang" in "lang:vi") to its handler.
// Callback data is untrusted: a handler re-checks everything it carries.
func (r *Router) buttons() map[string]buttonFunc {
	all := map[string]buttonFunc{"lang": r.langButton, "rm": r.remindButton, "use": r.useButton}
	for _, group := range []map[string]buttonFunc{r.attendanceButtons(), r.ballotButtons()} {
		for prefix, f := range group {
			all[prefix] = f
		}
	}
	return all
}

// ballotActions are the buttons of a ballot screen: they act only in the
// voter's private chat, on the screen sent to them.
var ballotActions = map[string]bool{"bv": true, "bc": true, "bs": true, "be": true}

// readActions change nothing, so they work on a closed conference too.
var readActions = map[string]bool{"lang": true, "qm": true, "sm": true, "use": true}

// handleCallback answers every query (Telegram shows a spinner until then)
// and dispatches by action. Data is untrusted: it must be one of the
// buttons of the message pressed (Telegram sends that message with the
// query, so a forged press on another message is caught), name a
// conference of the person's, and pass the read-only check; a ballot's
// buttons act only in the voter's own private chat. Whatever is refused
// changes nothing and gets a clear answer.
func (r *Router) handleCallback(ctx context.Context, q *models.CallbackQuery) error {
	chatID := q.From.ID
	private := true
	msgID := 0
	m := q.Message.Message
	if m != nil {
		chatID, private, msgID = m.Chat.ID, m.Chat.Type == models.ChatTypePrivate, m.ID
	}
	req, err := r.newRequest(ctx, &q.From, chatID, private)
	if err != nil {
		return err
	}
	req.callbackMessage = msgID
	answer, herr := r.pressed(ctx, req, q, m)
	if text, refused := r.userText(req.lang, herr); refused {
		answer, herr = text, nil // a refusal, worded like a command's
	} else if herr != nil {
		answer = r.Catalog.T(req.lang, "error.internal")
	}
	if err := r.Out.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: toast(answer)}); err != nil && herr == nil {
		herr = fmt.Errorf("answer callback: %w", err)
	}
	return herr
}

// pressed checks a press and runs its button's handler.
func (r *Router) pressed(ctx context.Context, req *request, q *models.CallbackQuery, m *models.Message) (string, error) {
	d, err := parseCallbackData(q.Data)
	if err != nil {
		return "", problem("error.bad_button")
	}
	handle, ok := r.buttons()[d.Action]
	if !ok || m == nil || !onMessage(m, q.Data) {
		return "", problem("error.bad_button")
	}
	if ballotActions[d.Action] && (!req.private || m.Chat.ID != q.From.ID) {
		return "", problem("error.bad_button")
	}
	if d.Conf != "" {
		ref, err := r.buttonConference(ctx, req, d.Conf)
		if err != nil {
			return "", err
		}
		if !readActions[d.Action] {
			c, err := r.Store.Conference(ctx, ref)
			if err != nil {
				return "", err
			}
			if readOnly(c) {
				return "", problem("records.read_only", "conference", esc(c.Title), "state", r.Catalog.T(req.lang, "state."+string(c.State)))
			}
		}
	}
	return handle(ctx, req, d.Arg)
}

// onMessage reports whether data is one of the buttons of message m.
func onMessage(m *models.Message, data string) bool {
	if m.ReplyMarkup == nil {
		return false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data {
				return true
			}
		}
	}
	return false
}

// buttonConference makes the conference a button names the one the
// request acts on: one of the person's (any, for an admin).
func (r *Router) buttonConference(ctx context.Context, req *request, token string) (string, error) {
	for i := range req.memberships {
		if confToken(req.memberships[i].Ref) == token {
			req.active, req.ref = &req.memberships[i], req.memberships[i].Ref
			return req.ref, nil
		}
	}
	if req.admin {
		if lister, ok := r.Store.(ConferenceLister); ok {
			refs, err := lister.Conferences(ctx)
			if err != nil {
				return "", err
			}
			for _, ref := range refs {
				if confToken(ref) == token {
					req.active, req.ref = nil, ref
					return ref, nil
				}
			}
		}
	}
	return "", problem("error.bad_button")
}

// maxToast is Telegram's limit on a callback answer's text, in characters.
const maxToast = 200

// toast fits an answer into a callback answer: a longer one would be
// refused, leaving the person with a spinner.
func toast(s string) string {
	if utf8.RuneCountInString(s) <= maxToast {
		return s
	}
	r := []rune(s)
	return string(r[:maxToast-1]) + "…"
}
