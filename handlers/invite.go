package handlers

import (
	"context"
	"errors"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/setup"
)

// invite returns a fresh deep link: `/invite UNIT [ROLE]`.
func (r *Router) invite(ctx context.Context, req *request) error {
	if len(req.cmd.Fields) < 1 || len(req.cmd.Fields) > 2 {
		return r.reply(ctx, req, "invite.usage")
	}
	ref, err := r.activeRef(ctx, req)
	if err != nil {
		return err
	}
	if ref == "" {
		return r.reply(ctx, req, "error.no_conference")
	}
	// A secretary invites into their own conference; an admin into any.
	if !req.admin && (req.active == nil || !req.active.HasRole(domain.RoleSecretary)) {
		return r.reply(ctx, req, "invite.not_allowed")
	}
	unit := req.cmd.Fields[0] // the set-up service resolves nd, ND or NĐ
	role := domain.RoleDelegate
	if len(req.cmd.Fields) == 2 {
		role = domain.Role(strings.ToLower(req.cmd.Fields[1]))
	}
	inv, err := r.Setup.Invite(ctx, ref, unit, role, 0, 0)
	switch {
	case errors.Is(err, setup.ErrUnknownUnit):
		return r.reply(ctx, req, "invite.unknown_unit", "unit", esc(strings.ToUpper(unit)))
	case errors.Is(err, setup.ErrBadRole):
		return r.reply(ctx, req, "invite.bad_role", "role", esc(string(role)))
	case err != nil:
		return err
	}
	c, err := r.Store.Conference(ctx, ref)
	if err != nil {
		return err
	}
	// The link is tappable in the text and, for forwarding to the invitee,
	// also a button (a forwarded message keeps its URL buttons).
	text := r.Catalog.T(req.lang, "invite.link", "unit", inv.Invite.Unit, "role", r.roleNames(req.lang, []domain.Role{role}),
		"link", esc(inv.Link), "expires", inv.Invite.ExpiresAt.In(c.TimeZone()).Format("02/01/2006 15:04"),
		"uses", inv.Invite.UsesLeft)
	button := models.InlineKeyboardButton{Text: r.Catalog.T(req.lang, "invite.button"), URL: inv.Link}
	return r.send(ctx, req.chatID, text, &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{button}}})
}

// activeRef is the conference the person's commands act on; admins without
// a membership act on the conference they imported last, and failing that
// on the latest conference of all.
func (r *Router) activeRef(ctx context.Context, req *request) (string, error) {
	if req.ref != "" {
		return req.ref, nil
	}
	p, err := r.Store.Profile(ctx, req.user.ID)
	if err != nil {
		return "", err
	}
	ref := p.Active
	if ref == "" && req.admin {
		if ref, err = r.latestConference(ctx); err != nil {
			return "", err
		}
	}
	req.ref = ref
	return ref, nil
}
