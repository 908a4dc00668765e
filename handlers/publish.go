package handlers

import (
	"context"
	"fmt"
	"slices"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// CommandPublisher registers command lists with Telegram (*tgbot.Bot).
type CommandPublisher interface {
	SetMyCommands(ctx context.Context, params *tgbot.SetMyCommandsParams) (bool, error)
}

// PublishCommands registers the command menu per language and scope: what
// anyone may use for every private chat, and the whole list for each admin.
// The default (untranslated) list is Vietnamese, the bot's default language.
func (r *Router) PublishCommands(ctx context.Context, api CommandPublisher, admins []int64) error {
	// Most people are heads and delegates: their commands are in everyone's
	// menu too (the menu is a hint; /help and each command check the roles).
	everyone := func(c *command) bool {
		return len(c.roles) == 0 || slices.Contains(c.roles, domain.RoleDelegate) || slices.Contains(c.roles, domain.RoleHead)
	}
	all := func(*command) bool { return true }
	type scoped struct {
		scope models.BotCommandScope
		keep  func(*command) bool
	}
	scopes := []scoped{{&models.BotCommandScopeDefault{}, everyone}}
	for _, id := range admins {
		scopes = append(scopes, scoped{&models.BotCommandScopeChat{ChatID: id}, all})
	}
	for _, s := range scopes {
		for _, lang := range append([]i18n.Lang{""}, i18n.Languages()...) {
			shown := lang
			if shown == "" {
				shown = i18n.VI
			}
			var cmds []models.BotCommand
			for _, c := range r.order {
				if s.keep(c) {
					cmds = append(cmds, models.BotCommand{Command: c.name, Description: r.Catalog.T(shown, c.descKey())})
				}
			}
			if _, err := api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds, Scope: s.scope, LanguageCode: string(lang)}); err != nil {
				return fmt.Errorf("setMyCommands (%s): %w", shown, err)
			}
		}
	}
	return nil
}

// CommandRoles lists which roles each command needs (for docs and tests).
func (r *Router) CommandRoles() map[string][]domain.Role {
	out := map[string][]domain.Role{}
	for _, c := range r.order {
		out[c.name] = c.roles
	}
	return out
}
