package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/setup"
)

// handover is `/handover UNIT` and `/handover deputy UNIT`: the secretary
// records next year's chair unit, or deputy chair unit (overriding the
// election's, when there was one), with who and when in the audit log.
// Without a unit it shows the one recorded. Like the chair's form, the
// deputy's is typed only: a unit code is one word the secretary knows.
func (r *Router) handover(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	if c.State == domain.StateArchived {
		_, err := r.refuseReadOnly(ctx, req, c)
		return err
	}
	office, fields := domain.OfficeChair, req.cmd.Fields
	// "deputy" is the form's word unless a member unit has that code.
	if len(fields) > 0 && strings.EqualFold(fields[0], string(domain.OfficeDeputy)) && !c.IsMember(c.CodeOf(fields[0])) {
		office, fields = domain.OfficeDeputy, fields[1:]
	}
	keys := handoverKeys[office]
	current := i18n.HTML(r.Catalog.T(req.lang, "handover.none"))
	if unit := c.Next(office); unit != "" {
		current = esc(unit) + " — " + esc(fullUnitName(c, unit))
	}
	if len(fields) != 1 {
		return r.reply(ctx, req, keys.usage, "year", c.Year+1, "current", current)
	}
	unit := c.CodeOf(fields[0])
	if !c.IsMember(unit) {
		return r.reply(ctx, req, "handover.unknown_unit", "unit", esc(unit))
	}
	previous := ""
	_, err = r.records().UpdateConference(ctx, c.Ref(), func(cur *domain.Conference) error {
		if cur.State == domain.StateArchived {
			return domain.ErrIllegalState
		}
		was, err := cur.RecordNext(office, unit)
		previous = was
		return err
	})
	switch {
	case errors.Is(err, domain.ErrNextUnchanged):
		return r.reply(ctx, req, keys.unchanged, "unit", unit, "year", c.Year+1)
	case errors.Is(err, domain.ErrChairIsDeputy):
		// One unit cannot hold both offices: say which one it holds.
		return r.reply(ctx, req, keys.other, "unit", unit, "year", c.Year+1)
	case errors.Is(err, domain.ErrIllegalState):
		return r.reply(ctx, req, "records.read_only", "conference", esc(c.Title), "state", r.Catalog.T(req.lang, "state."+string(domain.StateArchived)))
	case err != nil:
		return err
	}
	detail := unit
	if previous != "" {
		detail += " (was " + previous + ")"
	}
	r.audit(ctx, c.Ref(), req, keys.action, detail)
	logger(ctx).Info().Str("conference", c.Ref()).Str("office", string(office)).Str("unit", unit).Msg("handover recorded")
	was := r.Catalog.T(req.lang, "handover.none")
	if previous != "" {
		was = previous
	}
	return r.reply(ctx, req, keys.done, "unit", unit, "name", esc(fullUnitName(c, unit)), "year", c.Year+1, "previous", was)
}

// handoverWords are the catalogue keys and the audit action of each
// office's form.
type handoverWords struct{ usage, unchanged, other, done, action string }

var handoverKeys = map[domain.Office]handoverWords{
	domain.OfficeChair: {usage: "handover.usage", unchanged: "handover.unchanged", other: "handover.is_deputy",
		done: "handover.done", action: "handover"},
	domain.OfficeDeputy: {usage: "handover.deputy_usage", unchanged: "handover.deputy_unchanged", other: "handover.is_chair",
		done: "handover.deputy_done", action: "handover.deputy"},
}

// newYear is `/newyear [YEAR]`: next year's draft conference from this one,
// once it is closed and its next chair is known (setup.NextYear says what
// is carried over). The closed conference stays as it is, read-only.
func (r *Router) newYear(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	year := c.Year + 1
	switch len(req.cmd.Fields) {
	case 0:
	case 1:
		if year, err = strconv.Atoi(req.cmd.Fields[0]); err != nil {
			return r.reply(ctx, req, "newyear.usage")
		}
	default:
		return r.reply(ctx, req, "newyear.usage")
	}
	// Who leads next year, as this conference decided: said in the reply,
	// with the chair marked as proposed when nobody was elected to it.
	next, nextErr := domain.SuccessorsOf(c)
	n, err := r.Setup.NewYear(ctx, c.Ref(), year)
	switch {
	case errors.Is(err, setup.ErrNotClosed):
		return r.reply(ctx, req, "newyear.not_closed", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	case errors.Is(err, setup.ErrNoNextChair):
		return r.reply(ctx, req, "newyear.no_chair", "year", c.Year+1)
	case errors.Is(err, setup.ErrBadYear):
		return r.reply(ctx, req, "newyear.bad_year", "year", year, "current", c.Year)
	case errors.Is(err, setup.ErrAlreadyExists):
		return r.reply(ctx, req, "newyear.exists", "conference", n.Ref())
	case err != nil:
		return err
	}
	// The person stays on this year's conference: without a choice of their
	// own, the newest membership would silently become the one their next
	// command acts on.
	if err := r.Store.SetActive(ctx, req.user.ID, c.Ref()); err != nil {
		return err
	}
	r.audit(ctx, c.Ref(), req, "newyear", n.Ref())
	r.audit(ctx, n.Ref(), req, "newyear", "from "+c.Ref())
	logger(ctx).Info().Str("conference", c.Ref()).Str("next", n.Ref()).Msg("next year's conference created")
	chair := esc(n.ChairUnit) + " — " + esc(fullUnitName(n, n.ChairUnit))
	if nextErr == nil && next.ChairProposed {
		chair += i18n.HTML(r.Catalog.T(req.lang, "newyear.chair_proposed", "year", c.Year))
	}
	deputy := i18n.HTML(r.Catalog.T(req.lang, "handover.none"))
	if n.DeputyUnit != "" {
		deputy = esc(n.DeputyUnit) + " — " + esc(fullUnitName(n, n.DeputyUnit))
	}
	return r.reply(ctx, req, "newyear.done", "title", esc(n.Title), "conference", n.Ref(),
		"chair", chair, "deputy", deputy, "starts", n.StartsAt.In(n.TimeZone()).Format("02/01/2006 15:04"))
}

// fullUnitName gives a unit's full name, or its code when unknown.
func fullUnitName(c *domain.Conference, code string) string {
	if u, ok := c.Unit(code); ok {
		return u.Name
	}
	return code
}
