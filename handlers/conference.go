package handlers

import (
	"context"
	"errors"
	"strings"

	"github.com/confbot/confbot/domain"
)

// conferenceMoves maps `/conference WORD` to the state it moves to.
var conferenceMoves = map[string]domain.ConferenceState{
	"open":  domain.StateOpen,      // draft → open: registration and summaries
	"start": domain.StateInSession, // open → in_session: check-in and ballots
	"close": domain.StateClosed,    // in_session → closed: results final
}

// conference moves the conference through its states (`/conference
// open|start|close`) or, without an argument, says where it is.
func (r *Router) conference(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	arg := strings.ToLower(strings.TrimSpace(req.cmd.Args))
	if arg == "" {
		return r.reply(ctx, req, "conference.state", "conference", esc(c.Title),
			"state", r.Catalog.T(req.lang, "state."+string(c.State)))
	}
	to, known := conferenceMoves[arg]
	if !known {
		return r.reply(ctx, req, "conference.usage")
	}
	if to == domain.StateClosed {
		// A closed conference is read-only: a round still open would stay
		// open with nobody able to close it or cast on it.
		var open []string
		for _, spec := range c.Ballots {
			info, err := r.Ballots.BallotRound(ctx, c.Ref(), spec.ID)
			if err != nil {
				return err
			}
			if info.State == domain.BallotOpen {
				open = append(open, spec.ID)
			}
		}
		if len(open) > 0 {
			return r.reply(ctx, req, "conference.close_ballots_open", "ballots", strings.Join(open, ", "))
		}
	}
	_, _, err = r.moveConference(ctx, req, c, to)
	return err
}

// moveConference applies one transition and tells the person; ok is false
// when the domain refused it (the person is told why).
func (r *Router) moveConference(ctx context.Context, req *request, c *domain.Conference, to domain.ConferenceState) (*domain.Conference, bool, error) {
	from := c.State
	moved, err := r.att().UpdateConference(ctx, c.Ref(), func(cur *domain.Conference) error {
		from = cur.State
		if from == "" {
			from = domain.StateDraft
		}
		return cur.Transition(to)
	})
	if errors.Is(err, domain.ErrIllegalState) {
		return nil, false, r.reply(ctx, req, "conference.illegal",
			"from", r.Catalog.T(req.lang, "state."+string(from)), "to", r.Catalog.T(req.lang, "state."+string(to)))
	}
	if err != nil {
		return nil, false, err
	}
	logger(ctx).Info().Str("conference", c.Ref()).Str("from", string(from)).Str("to", string(to)).Msg("conference moved")
	r.audit(ctx, c.Ref(), req, "conference."+string(to), string(from)+" → "+string(to))
	if err := r.reply(ctx, req, "conference.moved", "conference", esc(moved.Title),
		"from", r.Catalog.T(req.lang, "state."+string(from)), "to", r.Catalog.T(req.lang, "state."+string(to))); err != nil {
		return nil, false, err
	}
	return moved, true, nil
}
