package handlers

import (
	"context"
	"errors"
	"strconv"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/setup"
)

// errSameChair: the handover names the unit already recorded.
var errSameChair = errors.New("next chair unchanged")

// handover is `/handover UNIT`: the secretary records next year's chair unit
// (overriding the election's, when there was one), with who and when in
// the audit log. Without a unit it shows the current one.
func (r *Router) handover(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	if c.State == domain.StateArchived {
		_, err := r.refuseReadOnly(ctx, req, c)
		return err
	}
	current := i18n.HTML(r.Catalog.T(req.lang, "handover.none"))
	if c.NextChairUnit != "" {
		current = esc(c.NextChairUnit) + " — " + esc(fullUnitName(c, c.NextChairUnit))
	}
	if len(req.cmd.Fields) != 1 {
		return r.reply(ctx, req, "handover.usage", "year", c.Year+1, "current", current)
	}
	unit := c.CodeOf(req.cmd.Fields[0])
	if !c.IsMember(unit) {
		return r.reply(ctx, req, "handover.unknown_unit", "unit", esc(unit))
	}
	previous := ""
	_, err = r.records().UpdateConference(ctx, c.Ref(), func(cur *domain.Conference) error {
		if cur.State == domain.StateArchived {
			return domain.ErrIllegalState
		}
		previous = cur.NextChairUnit
		if previous == unit {
			return errSameChair
		}
		cur.NextChairUnit = unit
		return nil
	})
	switch {
	case errors.Is(err, errSameChair):
		return r.reply(ctx, req, "handover.unchanged", "unit", unit, "year", c.Year+1)
	case errors.Is(err, domain.ErrIllegalState):
		return r.reply(ctx, req, "records.read_only", "conference", esc(c.Title), "state", r.Catalog.T(req.lang, "state."+string(domain.StateArchived)))
	case err != nil:
		return err
	}
	detail := unit
	if previous != "" {
		detail += " (was " + previous + ")"
	}
	r.audit(ctx, c.Ref(), req, "handover", detail)
	logger(ctx).Info().Str("conference", c.Ref()).Str("unit", unit).Msg("handover recorded")
	was := r.Catalog.T(req.lang, "handover.none")
	if previous != "" {
		was = previous
	}
	return r.reply(ctx, req, "handover.done", "unit", unit, "name", esc(fullUnitName(c, unit)), "year", c.Year+1, "previous", was)
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
	return r.reply(ctx, req, "newyear.done", "title", esc(n.Title), "conference", n.Ref(),
		"chair", esc(n.ChairUnit)+" — "+esc(fullUnitName(n, n.ChairUnit)), "starts", n.StartsAt.In(n.TimeZone()).Format("02/01/2006 15:04"))
}

// fullUnitName gives a unit's full name, or its code when unknown.
func fullUnitName(c *domain.Conference, code string) string {
	if u, ok := c.Unit(code); ok {
		return u.Name
	}
	return code
}
