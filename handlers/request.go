package handlers

import (
	"context"
	"fmt"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// request is one person's command, with who they are.
type request struct {
	user            *models.User
	chatID          int64
	private         bool
	msg             *models.Message
	cmd             bot.Command
	lang            i18n.Lang
	admin           bool
	memberships     []domain.Membership
	active          *domain.Membership // the membership in the conference commands act on
	ref             string             // the conference the request acts on, once known
	nameConference  bool               // replies name the conference (the person has several)
	callbackMessage int                // the message whose button was pressed (0 for commands)
}

// memberFor is the person's membership in conference ref, if any.
func (req *request) memberFor(ref string) *domain.Membership {
	for i := range req.memberships {
		if req.memberships[i].Ref == ref {
			return &req.memberships[i]
		}
	}
	return nil
}

// newRequest identifies the person: their memberships (claiming those the
// files list by @username on first contact) and their language.
func (r *Router) newRequest(ctx context.Context, from *models.User, chatID int64, private bool) (*request, error) {
	req := &request{user: from, chatID: chatID, private: private, admin: r.IsAdmin(from.ID)}
	profile, err := r.Store.Profile(ctx, from.ID)
	if err != nil {
		return nil, fmt.Errorf("identify %d: %w: %w", from.ID, bot.ErrTransient, err)
	}
	ms, err := r.Store.Memberships(ctx, from.ID)
	if err != nil {
		return nil, fmt.Errorf("identify %d: %w: %w", from.ID, bot.ErrTransient, err)
	}
	if from.Username != "" {
		gained, contests, err := r.Store.ClaimUsername(ctx, from.ID, from.Username)
		if err != nil {
			return nil, fmt.Errorf("identify %d: %w: %w", from.ID, bot.ErrTransient, err)
		}
		r.tellContests(ctx, from, contests)
		if len(gained) > 0 {
			if ms, err = r.Store.Memberships(ctx, from.ID); err != nil {
				return nil, fmt.Errorf("identify %d: %w: %w", from.ID, bot.ErrTransient, err)
			}
			if profile.Active == "" {
				profile.Active = gained[0].Ref
			}
		}
	}
	req.memberships = ms
	for i := range ms {
		if ms[i].Ref == profile.Active {
			req.active = &ms[i]
		}
	}
	switch {
	case req.active != nil:
	case req.admin && profile.Active != "":
		req.ref = profile.Active // an admin's /use of a conference they are no member of
	case len(ms) > 0:
		req.active = &ms[len(ms)-1]
	}
	if req.active != nil {
		req.ref = req.active.Ref
	}
	req.lang = r.language(ctx, profile, req.active)
	return req, nil
}

// language: the person's choice, else their cluster's language, else Vietnamese.
func (r *Router) language(ctx context.Context, p domain.Profile, active *domain.Membership) i18n.Lang {
	if l, ok := i18n.ParseLang(p.Lang); ok {
		return l
	}
	if active != nil {
		if c, err := r.Store.Conference(ctx, active.Ref); err == nil {
			if l, ok := i18n.ParseLang(c.Cluster.Language); ok {
				return l
			}
		}
	}
	return i18n.VI
}

// button is the data of a button of action on the request's conference.
func (req *request) button(action, arg string) string { return button(action, req.ref, arg) }

// roles are everything the person is in the active conference, plus admin.
func (req *request) roles() []domain.Role {
	var out []domain.Role
	if req.admin {
		out = append(out, domain.RoleAdmin)
	}
	if req.active != nil {
		out = append(out, req.active.Roles...)
	}
	return out
}

// has reports whether the person holds any of rs (admins hold every role of setup).
func (req *request) has(rs ...domain.Role) bool {
	for _, want := range rs {
		for _, have := range req.roles() {
			if have == want {
				return true
			}
		}
	}
	return false
}
