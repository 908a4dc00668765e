package handlers

import (
	"context"
	"strings"

	"github.com/go-telegram/bot/models"
)

// use is `/use` and `/use CONF`: which conference the person's commands act
// on. A person in several conferences (a secretary of two clusters, the same
// head in two years) chooses one; the choice is kept per person, and every
// button names its own conference, so old screens still act on theirs.
// Without an argument it lists the choices, the current one marked, with a
// button each; CONF is a ref ("cum8-bt/tk-2022") or a conference id unique
// among them. Admins may choose any conference the bot knows.
func (r *Router) use(ctx context.Context, req *request) error {
	refs, err := r.choosable(ctx, req)
	if err != nil {
		return err
	}
	if len(refs) == 0 {
		return r.reply(ctx, req, "error.no_conference")
	}
	current, err := r.activeRef(ctx, req)
	if err != nil {
		return err
	}
	arg := strings.TrimSpace(req.cmd.Args)
	if arg == "" {
		var lines []string
		var rows [][]models.InlineKeyboardButton
		for _, ref := range refs {
			c, err := r.Store.Conference(ctx, ref)
			if err != nil {
				return err
			}
			key := "use.line"
			if ref == current {
				key = "use.line_current"
			}
			lines = append(lines, r.Catalog.T(req.lang, key, "ref", ref, "conference", esc(c.Title)))
			rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.Text(req.lang, "use.button", "ref", ref), CallbackData: button("use", ref, "")}})
		}
		return r.send(ctx, req.chatID, r.Catalog.T(req.lang, "use.list")+"\n"+strings.Join(lines, "\n"), &models.InlineKeyboardMarkup{InlineKeyboard: rows})
	}
	var matches []string
	for _, ref := range refs {
		if ref == arg || strings.HasSuffix(ref, "/"+arg) {
			matches = append(matches, ref)
		}
	}
	switch len(matches) {
	case 0:
		return r.reply(ctx, req, "use.unknown", "conference", esc(arg), "choices", strings.Join(refs, ", "))
	case 1:
		return r.choose(ctx, req, matches[0])
	}
	return r.reply(ctx, req, "use.ambiguous", "conference", esc(arg), "choices", strings.Join(matches, ", "))
}

// useButton is the button of /use: its data names the conference chosen,
// which the callback dispatch has checked is one of the person's.
func (r *Router) useButton(ctx context.Context, req *request, _ string) (string, error) {
	return "", r.choose(ctx, req, req.ref)
}

// choose makes ref the conference the person's commands act on.
func (r *Router) choose(ctx context.Context, req *request, ref string) error {
	c, err := r.Store.Conference(ctx, ref)
	if err != nil {
		return err
	}
	if err := r.Store.SetActive(ctx, req.user.ID, ref); err != nil {
		return err
	}
	return r.reply(ctx, req, "use.chosen", "ref", ref, "conference", esc(c.Title))
}

// choosable are the conferences a person may choose: theirs, or for an
// admin every one the bot knows.
func (r *Router) choosable(ctx context.Context, req *request) ([]string, error) {
	var refs []string
	for _, m := range req.memberships {
		refs = append(refs, m.Ref)
	}
	if req.admin {
		if lister, ok := r.Store.(ConferenceLister); ok {
			all, err := lister.Conferences(ctx)
			if err != nil {
				return nil, err
			}
			refs = append(refs, all...)
		}
	}
	seen := map[string]bool{}
	out := refs[:0]
	for _, ref := range refs {
		if !seen[ref] {
			seen[ref] = true
			out = append(out, ref)
		}
	}
	return out, nil
}
