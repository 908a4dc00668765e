package handlers

import (
	"context"
	"fmt"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// buttonFunc handles a button press; the text it returns is shown as the
// callback answer (a toast).
type buttonFunc func(ctx context.Context, req *request, arg string) (string, error)

// buttons maps a callback data prefix ("lang" in "lang:vi") to its handler.
// Callback data is untrusted: a handler re-checks everything it carries.
func (r *Router) buttons() map[string]buttonFunc {
	all := map[string]buttonFunc{"lang": r.langButton, "rm": r.remindButton}
	for _, group := range []map[string]buttonFunc{r.attendanceButtons(), r.ballotButtons()} {
		for prefix, f := range group {
			all[prefix] = f
		}
	}
	return all
}

// handleCallback answers every query (Telegram shows a spinner until then)
// and dispatches by prefix; unknown or forged data changes nothing.
func (r *Router) handleCallback(ctx context.Context, q *models.CallbackQuery) error {
	chatID := q.From.ID
	private := true
	msgID := 0
	if m := q.Message.Message; m != nil {
		chatID, private, msgID = m.Chat.ID, m.Chat.Type == models.ChatTypePrivate, m.ID
	}
	req, err := r.newRequest(ctx, &q.From, chatID, private)
	if err != nil {
		return err
	}
	req.callbackMessage = msgID
	prefix, arg, _ := strings.Cut(q.Data, ":")
	handle, ok := r.buttons()[prefix]
	answer := ""
	var herr error
	if !ok {
		answer = r.Catalog.T(req.lang, "error.bad_button")
	} else {
		answer, herr = handle(ctx, req, arg)
		if text, refused := r.userText(req.lang, herr); refused {
			answer, herr = text, nil // a refusal, worded like a command's
		} else if herr != nil {
			answer = r.Catalog.T(req.lang, "error.internal")
		}
	}
	if err := r.Out.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: answer}); err != nil && herr == nil {
		herr = fmt.Errorf("answer callback: %w", err)
	}
	return herr
}
