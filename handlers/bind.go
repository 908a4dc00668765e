package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// BindingStore is what /bind needs of storage: who holds a username the
// file lists, and moving it to another Telegram id.
type BindingStore interface {
	Binding(ctx context.Context, ref, name string) (holder, contender int64, err error)
	Rebind(ctx context.Context, ref, name string, to int64) (int64, domain.Membership, error)
}

var _ BindingStore = (*storage.Store)(nil)

// bind is `/bind @username [ID]` (secretaries). A username the file lists
// binds to the first Telegram id that writes with it, and stays bound
// across re-imports: someone else who takes the name later gains nothing.
// Without ID it shows who holds the name and who else asked for it; with ID
// the secretary confirms that the file means that account (a new phone, a
// renamed account): the file's unit and roles move to it. Audited.
func (r *Router) bind(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	bs, _ := r.Store.(BindingStore)
	f := req.cmd.Fields
	if bs == nil || len(f) < 1 || len(f) > 2 || !strings.HasPrefix(f[0], "@") {
		return r.reply(ctx, req, "bind.usage")
	}
	name := strings.ToLower(strings.TrimPrefix(f[0], "@"))
	listed := false
	for _, p := range c.People {
		listed = listed || (p.TelegramID == 0 && p.Username == name)
	}
	if !listed {
		return r.reply(ctx, req, "bind.not_listed", "username", esc(name))
	}
	if len(f) == 1 {
		holder, contender, err := bs.Binding(ctx, c.Ref(), name)
		if err != nil {
			return err
		}
		return r.reply(ctx, req, "bind.status", "username", esc(name),
			"holder", idOrDash(holder), "contender", idOrDash(contender))
	}
	to, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || to <= 0 {
		return r.reply(ctx, req, "bind.usage")
	}
	old, m, err := bs.Rebind(ctx, c.Ref(), name, to)
	if err != nil {
		return err
	}
	r.audit(ctx, c.Ref(), req, "bind.confirmed", fmt.Sprintf("@%s: %d → %d (%s)", name, old, to, m.Unit))
	return r.reply(ctx, req, "bind.done", "username", esc(name), "id", to, "unit", m.Unit,
		"role", r.roleNames(req.lang, m.Roles))
}

func idOrDash(id int64) string {
	if id == 0 {
		return "—"
	}
	return strconv.FormatInt(id, 10)
}

// tellContests tells each secretary of the conference that someone else
// now writes with a username the file lists, and how to confirm them.
func (r *Router) tellContests(ctx context.Context, from *models.User, contests []storage.Contest) {
	if r.att() == nil {
		return
	}
	for _, c := range contests {
		members, err := r.att().Members(ctx, c.Ref)
		if err != nil {
			logger(ctx).Warn().Err(err).Str("conference", c.Ref).Msg("contest notice not sent")
			continue
		}
		for id, m := range members {
			if !m.HasRole(domain.RoleSecretary) {
				continue
			}
			lang := r.chatLanguage(ctx, id, c.Ref)
			text := r.Catalog.T(lang, "bind.contest_notice", "username", c.Username, "holder", c.Holder,
				"contender", c.Contender, "name", strings.TrimSpace(from.FirstName+" "+from.LastName))
			if err := r.send(ctx, id, text, nil); err != nil {
				logger(ctx).Warn().Err(err).Int64("secretary", id).Msg("contest notice not sent")
			}
		}
	}
}
