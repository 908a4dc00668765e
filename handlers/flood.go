package handlers

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Flooded answers the first update a person sent past the flood limit: one
// polite message (or an alert on a button) saying the rest is ignored for a
// while. The bot.Inbox calls it in the update's place; it is a bot.Handler.
func (r *Router) Flooded(ctx context.Context, u *models.Update) error {
	var from *models.User
	var chat int64
	switch {
	case u.Message != nil && u.Message.From != nil:
		from, chat = u.Message.From, u.Message.Chat.ID
	case u.CallbackQuery != nil:
		from = &u.CallbackQuery.From
	default:
		return nil
	}
	req, err := r.newRequest(ctx, from, chat, chat == from.ID)
	if err != nil {
		return err
	}
	text := r.Catalog.T(req.lang, "flood.too_many")
	if u.CallbackQuery != nil {
		return r.Out.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
			CallbackQueryID: u.CallbackQuery.ID, Text: text, ShowAlert: true})
	}
	return r.send(ctx, chat, text, nil)
}
