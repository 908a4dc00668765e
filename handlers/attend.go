package handlers

import (
	"context"
	"sort"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// ownConference is the conference the person attends, through their unit;
// ok is false (and the person told) when they have none.
func (r *Router) ownConference(ctx context.Context, req *request) (*domain.Conference, *domain.Membership, bool, error) {
	if req.active == nil || req.active.Unit == "" {
		return nil, nil, false, r.reply(ctx, req, "error.no_conference")
	}
	c, err := r.Store.Conference(ctx, req.active.Ref)
	if err != nil {
		return nil, nil, false, err
	}
	return c, req.active, true, nil
}

// attendOpen: registration runs from opening to the end of the session.
func attendOpen(c *domain.Conference) bool {
	return c.State == domain.StateOpen || c.State == domain.StateInSession
}

// attend registers whether the person comes: `/attend yes|no|substitute
// [name]`, or, without an argument, shows the unit's registrations and buttons.
func (r *Router) attend(ctx context.Context, req *request) error {
	c, m, ok, err := r.ownConference(ctx, req)
	if !ok {
		return err
	}
	if !attendOpen(c) {
		return r.reply(ctx, req, "attend.not_open", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	}
	if len(req.cmd.Fields) == 0 {
		return r.showAttendance(ctx, req, c, m)
	}
	answer, ok := domain.ParseAttendAnswer(req.cmd.Fields[0])
	if !ok {
		return r.reply(ctx, req, "attend.usage")
	}
	rest := strings.TrimSpace(strings.TrimPrefix(req.cmd.Args, req.cmd.Fields[0]))
	if answer != domain.AttendSubstitute && rest != "" {
		return r.reply(ctx, req, "attend.usage")
	}
	name, err := domain.CleanName(rest)
	if err != nil {
		return r.reply(ctx, req, "attend.bad_name", "max", domain.MaxNameLength)
	}
	if err := r.att().SetAttendance(ctx, c.Ref(), req.user.ID, domain.Attendance{
		Answer: answer, Substitute: name, Unit: m.Unit, At: r.Now()}); err != nil {
		return err
	}
	if answer == domain.AttendSubstitute && name != "" {
		return r.reply(ctx, req, "attend.recorded_substitute_named", "name", esc(name))
	}
	return r.reply(ctx, req, "attend.recorded_"+string(answer))
}

// showAttendance lists the registrations of the person's own unit: a unit's
// registration is visible to its people, and only to them.
func (r *Router) showAttendance(ctx context.Context, req *request, c *domain.Conference, m *domain.Membership) error {
	members, err := r.att().Members(ctx, c.Ref())
	if err != nil {
		return err
	}
	regs, err := r.att().Attendance(ctx, c.Ref())
	if err != nil {
		return err
	}
	unit, _ := c.Unit(m.Unit)
	var lines []string
	for id, p := range members {
		if p.Unit != m.Unit {
			continue
		}
		answer := i18n.HTML(r.Catalog.T(req.lang, "attend.answer_none"))
		if reg, ok := regs[id]; ok {
			answer = i18n.HTML(r.Catalog.T(req.lang, "attend.answer_"+string(reg.Answer)))
			if reg.Substitute != "" {
				answer += " (" + esc(reg.Substitute) + ")"
			}
		}
		lines = append(lines, r.Catalog.T(req.lang, "attend.line", "name", esc(p.Name), "answer", answer))
	}
	sort.Strings(lines)
	text := r.Catalog.T(req.lang, "attend.unit_header", "unit", m.Unit, "unit_name", esc(unit.Name)) +
		"\n" + strings.Join(lines, "\n") + "\n\n" + r.Catalog.T(req.lang, "attend.choose")
	row := []models.InlineKeyboardButton{}
	for _, a := range []domain.AttendAnswer{domain.AttendYes, domain.AttendNo, domain.AttendSubstitute} {
		row = append(row, models.InlineKeyboardButton{
			Text: r.Catalog.Text(req.lang, "attend.button_"+string(a)), CallbackData: req.button("at", string(a))})
	}
	return r.send(ctx, req.chatID, text, &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{row}})
}

// attendButton handles at:yes|no|substitute. Storing the same answer twice
// is the same write, so a double click answers twice and changes nothing.
func (r *Router) attendButton(ctx context.Context, req *request, arg string) (string, error) {
	answer, ok := domain.ParseAttendAnswer(arg)
	if !ok || string(answer) != arg {
		return "", problem("error.bad_button")
	}
	if req.active == nil || req.active.Unit == "" || !req.has(attendees...) {
		return "", problem("error.not_allowed")
	}
	c, err := r.Store.Conference(ctx, req.active.Ref)
	if err != nil {
		return "", err
	}
	if !attendOpen(c) {
		return r.Catalog.T(req.lang, "attend.not_open", "state", r.Catalog.T(req.lang, "state."+string(c.State))), nil
	}
	if err := r.att().SetAttendance(ctx, c.Ref(), req.user.ID, domain.Attendance{
		Answer: answer, Unit: req.active.Unit, At: r.Now()}); err != nil {
		return "", err
	}
	return r.Catalog.T(req.lang, "attend.recorded_"+string(answer)), nil
}
