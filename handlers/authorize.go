package handlers

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
)

// authorize is `/authorize [ID [off]]`: a unit's head lets one of the
// unit's delegates cast the unit's ballot (voters: unit), or takes it back.
// Without arguments it lists the unit's delegates with buttons.
func (r *Router) authorize(ctx context.Context, req *request) error {
	m := req.active
	if m == nil || !m.HasRole(domain.RoleHead) {
		return r.reply(ctx, req, "error.not_allowed")
	}
	f := req.cmd.Fields
	if len(f) == 0 {
		return r.authorizeList(ctx, req)
	}
	id, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || len(f) > 2 || (len(f) == 2 && strings.ToLower(f[1]) != "off") {
		return r.reply(ctx, req, "authorize.usage")
	}
	return r.setAuthorized(ctx, req, id, len(f) == 1)
}

func (r *Router) setAuthorized(ctx context.Context, req *request, id int64, on bool) error {
	m := req.active
	members, err := r.Ballots.Members(ctx, m.Ref)
	if err != nil {
		return err
	}
	target, ok := members[id]
	if !ok || target.Unit != m.Unit || !target.HasRole(domain.RoleDelegate) {
		return r.reply(ctx, req, "authorize.not_delegate", "who", strconv.FormatInt(id, 10), "unit", m.Unit)
	}
	if err := r.Ballots.SetAuthorized(ctx, m.Ref, m.Unit, id, on); err != nil {
		return err
	}
	action, key := "authorize", "authorize.done"
	if !on {
		action, key = "authorize.revoke", "authorize.revoked"
	}
	r.audit(ctx, m.Ref, req, action, fmt.Sprintf("%s (%d, %s)", target.Name, id, m.Unit))
	return r.reply(ctx, req, key, "name", esc(target.Name), "unit", m.Unit)
}

// authorizeList shows the unit's delegates, each with a button that
// switches their authorisation.
func (r *Router) authorizeList(ctx context.Context, req *request) error {
	m := req.active
	members, err := r.Ballots.Members(ctx, m.Ref)
	if err != nil {
		return err
	}
	auth, err := r.Ballots.Authorized(ctx, m.Ref)
	if err != nil {
		return err
	}
	var ids []int64
	for id, d := range members {
		if d.Unit == m.Unit && d.HasRole(domain.RoleDelegate) && !d.HasRole(domain.RoleHead) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return r.reply(ctx, req, "authorize.none", "unit", m.Unit)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var rows [][]models.InlineKeyboardButton
	for _, id := range ids {
		name := members[id].Name
		if auth[id] == m.Unit {
			rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.Text(req.lang, "authorize.button_off", "name", name), CallbackData: req.button("au", fmt.Sprintf("%d:0", id))}})
		} else {
			rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.Text(req.lang, "authorize.button_on", "name", name), CallbackData: req.button("au", fmt.Sprintf("%d:1", id))}})
		}
	}
	return r.send(ctx, req.chatID, r.Catalog.T(req.lang, "authorize.header", "unit", m.Unit), &models.InlineKeyboardMarkup{InlineKeyboard: rows})
}

// authorizeButton handles au:<id>:<1|0>; the head's role is checked again.
func (r *Router) authorizeButton(ctx context.Context, req *request, arg string) (string, error) {
	if req.active == nil || !req.active.HasRole(domain.RoleHead) {
		return "", problem("error.not_allowed")
	}
	idText, on, ok := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || (on != "1" && on != "0") {
		return "", problem("error.bad_button")
	}
	return "", r.setAuthorized(ctx, req, id, on == "1")
}
