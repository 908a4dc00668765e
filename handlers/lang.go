package handlers

import (
	"context"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/i18n"
)

// lang sets the person's language: `/lang vi|en`, or buttons when no argument.
func (r *Router) lang(ctx context.Context, req *request) error {
	arg := strings.ToLower(strings.TrimSpace(req.cmd.Args))
	if arg == "" {
		var row []models.InlineKeyboardButton
		for _, l := range i18n.Languages() {
			row = append(row, models.InlineKeyboardButton{
				Text: r.Catalog.Text(l, "lang.name."+string(l)), CallbackData: button("lang", "", string(l))})
		}
		return r.send(ctx, req.chatID, r.Catalog.T(req.lang, "lang.usage"),
			&models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{row}})
	}
	l, ok := i18n.ParseLang(arg)
	if !ok {
		return r.reply(ctx, req, "lang.usage")
	}
	return r.setLang(ctx, req, l)
}

func (r *Router) setLang(ctx context.Context, req *request, l i18n.Lang) error {
	if err := r.Store.SetLang(ctx, req.user.ID, string(l)); err != nil {
		return err
	}
	req.lang = l
	return r.reply(ctx, req, "lang.set", "lang_name", r.Catalog.T(l, "lang.name."+string(l)))
}

// langButton handles the lang:XX buttons.
func (r *Router) langButton(ctx context.Context, req *request, arg string) (string, error) {
	l, ok := i18n.ParseLang(arg)
	if !ok {
		return "", problem("error.bad_button")
	}
	return "", r.setLang(ctx, req, l)
}
