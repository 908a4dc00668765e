package handlers

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage"
)

// deep-link payloads are at most 64 characters of A-Za-z0-9_- (Telegram's rule).
var payloadRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// start greets, or binds the person to a unit with an invite token.
func (r *Router) start(ctx context.Context, req *request) error {
	token := strings.TrimSpace(req.cmd.Args)
	if token == "" {
		if len(req.memberships) == 0 && !req.admin {
			return r.reply(ctx, req, "start.unknown", "name", esc(req.user.FirstName))
		}
		return r.reply(ctx, req, "start.welcome", "name", esc(req.user.FirstName))
	}
	if !payloadRe.MatchString(token) {
		return r.reply(ctx, req, "start.token_invalid")
	}
	m, c, err := r.Setup.Join(ctx, req.user.ID, fullName(req), token)
	switch {
	case errors.Is(err, storage.ErrInviteExpired):
		return r.reply(ctx, req, "start.token_expired")
	case errors.Is(err, storage.ErrInviteUsed):
		return r.reply(ctx, req, "start.token_used")
	case errors.Is(err, setup.ErrUnitGone):
		return r.reply(ctx, req, "start.token_unit_gone")
	case errors.Is(err, setup.ErrClosed):
		return r.reply(ctx, req, "start.token_closed")
	case errors.Is(err, domain.ErrNotFound):
		return r.reply(ctx, req, "start.token_invalid")
	case err != nil:
		return err
	}
	unit, _ := c.Unit(m.Unit)
	return r.reply(ctx, req, "start.joined",
		"name", esc(req.user.FirstName), "unit", m.Unit, "unit_name", esc(unit.Name),
		"role", r.roleNames(req.lang, m.Roles), "cluster", esc(c.Cluster.Name))
}

func fullName(req *request) string {
	return strings.TrimSpace(req.user.FirstName + " " + req.user.LastName)
}

// roleNames renders roles in the person's language, comma-separated.
func (r *Router) roleNames(lang i18n.Lang, roles []domain.Role) string {
	names := make([]string, len(roles))
	for i, role := range roles {
		names[i] = r.Catalog.T(lang, "role."+string(role))
	}
	return strings.Join(names, ", ")
}
