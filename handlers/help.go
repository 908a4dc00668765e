package handlers

import (
	"context"
	"strings"
)

// help lists only the commands the caller's roles allow, each with its typed form.
func (r *Router) help(ctx context.Context, req *request) error {
	var b strings.Builder
	roles := r.roleNames(req.lang, req.roles())
	if roles == "" {
		roles = "—"
	}
	b.WriteString(r.Catalog.T(req.lang, "help.header", "roles", roles))
	for _, c := range r.order {
		if c.allowed(req) {
			b.WriteString("\n")
			b.WriteString(r.Catalog.T(req.lang, c.helpKey()))
		}
	}
	return r.send(ctx, req.chatID, b.String(), nil)
}

// whoami shows the person their clusters, units and roles.
func (r *Router) whoami(ctx context.Context, req *request) error {
	if len(req.memberships) == 0 {
		if req.admin {
			return r.reply(ctx, req, "whoami.admin_only")
		}
		return r.reply(ctx, req, "whoami.none")
	}
	var b strings.Builder
	b.WriteString(r.Catalog.T(req.lang, "whoami.header"))
	for _, m := range req.memberships {
		c, err := r.Store.Conference(ctx, m.Ref)
		if err != nil {
			return err
		}
		unit, _ := c.Unit(m.Unit)
		roles := m.Roles
		b.WriteString("\n")
		b.WriteString(r.Catalog.T(req.lang, "whoami.line",
			"cluster", esc(c.Cluster.Name), "conference", esc(c.Title), "unit", m.Unit,
			"unit_name", esc(unit.Name), "roles", r.roleNames(req.lang, roles)))
	}
	if req.admin {
		b.WriteString("\n")
		b.WriteString(r.Catalog.T(req.lang, "whoami.admin"))
	}
	return r.send(ctx, req.chatID, b.String(), nil)
}
