package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// maxCheckinFailures bounds wrong codes per person per code window: six
// digits cannot be guessed in five tries.
const maxCheckinFailures = 5

// checkin is `/checkin CODE` for everyone who attends, and `/checkin
// open|close` (or no argument: show the code again) for the secretary.
func (r *Router) checkin(ctx context.Context, req *request) error {
	arg := ""
	if len(req.cmd.Fields) > 0 {
		arg = strings.ToLower(req.cmd.Fields[0])
	}
	switch {
	case arg == "open" || arg == "close" || (arg == "" && r.isStaff(req)):
		if !r.isStaff(req) {
			return r.reply(ctx, req, "error.not_allowed")
		}
		c, ok, err := r.staffConference(ctx, req)
		if !ok {
			return err
		}
		switch arg {
		case "open":
			return r.openCheckin(ctx, req, c)
		case "close":
			if err := r.att().CloseCheckin(ctx, c.Ref()); err != nil {
				return err
			}
			r.audit(ctx, c.Ref(), req, "checkin.close", "")
			if err := r.reply(ctx, req, "checkin.closed_now"); err != nil {
				return err
			}
			r.refreshQuorum(ctx, c.Ref())
			return nil
		}
		return r.sendQuorumMessage(ctx, req, c)
	case arg == "" || len(req.cmd.Fields) != 1:
		return r.reply(ctx, req, "checkin.usage")
	}
	return r.checkinWithCode(ctx, req, arg)
}

// openCheckin starts the session when the conference is still open, opens
// check-in and shows the secretary the live code and quorum message.
func (r *Router) openCheckin(ctx context.Context, req *request, c *domain.Conference) error {
	if c.State != domain.StateInSession {
		moved, ok, err := r.moveConference(ctx, req, c, domain.StateInSession)
		if !ok {
			return err
		}
		c = moved
	}
	if _, err := r.att().OpenCheckin(ctx, c.Ref()); err != nil {
		return err
	}
	r.audit(ctx, c.Ref(), req, "checkin.open", "")
	return r.sendQuorumMessage(ctx, req, c)
}

// checkinWithCode marks the sender present when the code is the one shown.
func (r *Router) checkinWithCode(ctx context.Context, req *request, code string) error {
	c, m, ok, err := r.ownConference(ctx, req)
	if !ok {
		return err
	}
	if c.State != domain.StateInSession {
		return r.reply(ctx, req, "checkin.not_in_session", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	}
	open, seed, err := r.att().Checkin(ctx, c.Ref())
	if err != nil {
		return err
	}
	if !open || seed == nil {
		return r.reply(ctx, req, "checkin.not_open")
	}
	fails, err := r.att().CheckinFailures(ctx, c.Ref(), req.user.ID)
	if err != nil {
		return err
	}
	if fails >= maxCheckinFailures {
		return r.reply(ctx, req, "checkin.too_many")
	}
	if !domain.CheckinCodeValid(seed, code, r.Now()) {
		if _, err := r.att().CountCheckinFailure(ctx, c.Ref(), req.user.ID, domain.CheckinWindow); err != nil {
			return err
		}
		return r.reply(ctx, req, "checkin.bad_code")
	}
	// One step: the mark, its audit entry and the claim of the live
	// counters' refresh.
	first, refresh, err := r.att().CheckIn(ctx, c.Ref(), req.user.ID, domain.Presence{Unit: m.Unit, At: r.Now(), By: req.user.ID},
		r.auditEntry(req, c.Ref(), "checkin", m.Unit), quorumPendingTTL)
	if err != nil {
		return err
	}
	if !first {
		return r.reply(ctx, req, "checkin.already")
	}
	unit, _ := c.Unit(m.Unit)
	key := "checkin.ok"
	if unit.Guest {
		key = "checkin.ok_guest"
	}
	if err := r.reply(ctx, req, key, "unit", m.Unit, "unit_name", esc(unit.Name)); err != nil {
		return err
	}
	r.refreshClaimed(ctx, c.Ref(), refresh)
	return nil
}

// present is the secretary's mark: `/present UNIT|@user|ID [no]`, or the
// list of units with buttons.
func (r *Router) present(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	if c.State != domain.StateInSession {
		return r.reply(ctx, req, "checkin.not_in_session", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	}
	f := req.cmd.Fields
	if len(f) == 0 {
		return r.showPresence(ctx, req, c)
	}
	here := true
	if len(f) == 2 {
		switch strings.ToLower(f[1]) {
		case "no", "absent", "vắng", "vang":
			here = false
		case "yes":
		default:
			return r.reply(ctx, req, "present.usage")
		}
	}
	if len(f) > 2 {
		return r.reply(ctx, req, "present.usage")
	}
	target := f[0]
	if u, isUnit := c.LookupUnit(target); isUnit {
		key, err := r.markUnit(ctx, req, c, u.Code, here)
		if err != nil {
			return err
		}
		return r.reply(ctx, req, key, "unit", u.Code)
	}
	id, m, err := r.findPerson(ctx, c, target)
	if errors.Is(err, domain.ErrNotFound) {
		return r.reply(ctx, req, "present.unknown", "who", esc(target))
	}
	if err != nil {
		return err
	}
	if here {
		first, err := r.att().MarkPresent(ctx, c.Ref(), id, domain.Presence{Unit: m.Unit, At: r.Now(), By: req.user.ID})
		if err != nil {
			return err
		}
		if !first {
			return r.reply(ctx, req, "present.person_already", "name", esc(m.Name), "unit", m.Unit)
		}
	} else if _, err := r.att().MarkAbsent(ctx, c.Ref(), "", id); err != nil {
		return err
	}
	r.refreshQuorum(ctx, c.Ref())
	r.audit(ctx, c.Ref(), req, map[bool]string{true: "present", false: "absent"}[here], fmt.Sprintf("%s (%d, %s)", m.Name, id, m.Unit))
	key := "present.person_marked"
	if !here {
		key = "present.person_absent"
	}
	return r.reply(ctx, req, key, "name", esc(m.Name), "unit", m.Unit)
}

// markUnit marks a whole unit present, or absent (its people too), and
// returns the catalogue key that says what happened.
func (r *Router) markUnit(ctx context.Context, req *request, c *domain.Conference, unit string, here bool) (string, error) {
	if here {
		first, err := r.att().MarkUnitPresent(ctx, c.Ref(), unit, domain.Presence{Unit: unit, At: r.Now(), By: req.user.ID})
		if err != nil {
			return "", err
		}
		if !first {
			return "present.unit_already", nil
		}
		r.refreshQuorum(ctx, c.Ref())
		r.audit(ctx, c.Ref(), req, "present", unit)
		return "present.unit_marked", nil
	}
	members, err := r.att().Members(ctx, c.Ref())
	if err != nil {
		return "", err
	}
	var ids []int64
	for id, m := range members {
		if m.Unit == unit {
			ids = append(ids, id)
		}
	}
	if _, err := r.att().MarkAbsent(ctx, c.Ref(), unit, ids...); err != nil {
		return "", err
	}
	r.refreshQuorum(ctx, c.Ref())
	r.audit(ctx, c.Ref(), req, "absent", unit)
	return "present.unit_absent", nil
}

// findPerson resolves a Telegram user id, or an @username the file lists.
// Memberships keep no usernames, so people who joined by invite link are
// named by id.
func (r *Router) findPerson(ctx context.Context, c *domain.Conference, who string) (int64, domain.Membership, error) {
	members, err := r.att().Members(ctx, c.Ref())
	if err != nil {
		return 0, domain.Membership{}, err
	}
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		if m, ok := members[id]; ok {
			return id, m, nil
		}
		return 0, domain.Membership{}, domain.ErrNotFound
	}
	name := strings.ToLower(strings.TrimPrefix(who, "@"))
	for _, p := range c.People {
		if p.Username == "" || p.Username != name {
			continue
		}
		if m, ok := members[p.TelegramID]; ok && p.TelegramID != 0 {
			return p.TelegramID, m, nil
		}
		for id, m := range members { // claimed on first contact: same unit and name
			if m.Unit == p.Unit && m.Name == p.Name && m.Source == storage.SourceFile {
				return id, m, nil
			}
		}
	}
	return 0, domain.Membership{}, domain.ErrNotFound
}

// showPresence lists every unit with buttons to mark it present or absent.
func (r *Router) showPresence(ctx context.Context, req *request, c *domain.Conference) error {
	st, err := r.attendanceState(ctx, c)
	if err != nil {
		return err
	}
	var rows [][]models.InlineKeyboardButton
	var lines []string
	for _, u := range append(append([]domain.Unit(nil), c.Units...), c.Guests...) {
		here := st.UnitPresent(c, u.Code)
		lines = append(lines, r.Catalog.T(req.lang, "present.line", "unit", u.Code, "unit_name", esc(u.Name),
			"present", r.presentMark(req, here)))
		rows = append(rows, []models.InlineKeyboardButton{
			{Text: r.Catalog.Text(req.lang, "present.button_yes", "unit", u.Code), CallbackData: button("pr", c.Ref(), u.Code+":1")},
			{Text: r.Catalog.Text(req.lang, "present.button_no", "unit", u.Code), CallbackData: button("pr", c.Ref(), u.Code+":0")},
		})
	}
	text := r.Catalog.T(req.lang, "present.header") + "\n" + strings.Join(lines, "\n")
	return r.send(ctx, req.chatID, text, &models.InlineKeyboardMarkup{InlineKeyboard: rows})
}

func (r *Router) presentMark(req *request, here bool) string {
	if here {
		return r.Catalog.T(req.lang, "status.present_yes")
	}
	return r.Catalog.T(req.lang, "status.present_no")
}

// presentButton handles pr:UNIT:1|0. The target state travels in the data,
// so a double click sets the same state twice.
func (r *Router) presentButton(ctx context.Context, req *request, arg string) (string, error) {
	unit, flag, _ := strings.Cut(arg, ":")
	if flag != "1" && flag != "0" {
		return "", problem("error.bad_button")
	}
	if !r.isStaff(req) {
		return "", problem("error.not_allowed")
	}
	ref, err := r.activeRef(ctx, req)
	if err != nil || ref == "" {
		return r.Catalog.T(req.lang, "error.no_conference"), err
	}
	c, err := r.Store.Conference(ctx, ref)
	if err != nil {
		return "", err
	}
	if _, ok := c.Unit(unit); !ok {
		return "", problem("error.bad_button")
	}
	if c.State != domain.StateInSession {
		return r.Catalog.T(req.lang, "checkin.not_in_session", "state", r.Catalog.T(req.lang, "state."+string(c.State))), nil
	}
	key, err := r.markUnit(ctx, req, c, unit, flag == "1")
	if err != nil {
		return "", err
	}
	return r.Catalog.T(req.lang, key, "unit", unit), nil
}
