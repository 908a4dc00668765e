package handlers

import (
	"context"

	"github.com/confbot/confbot/domain"
)

// ballotQuorum says whether ballots may open: quorum reached, or overridden
// by the secretary (recorded).
func (r *Router) ballotQuorum(ctx context.Context, ref string) (reached bool, present, eligible int, overridden bool, err error) {
	return r.quorumGate(ctx, ref)
}

// presentVoters counts the ballot's eligible voters who are present (the
// base of a threshold "of: present").
func (r *Router) presentVoters(ctx context.Context, c *domain.Conference, spec domain.BallotSpec) (int, error) {
	return r.attendancePresentVoters(ctx, c, spec)
}

// unitScores are the units' self-assessed scores (for tie: score).
func (r *Router) unitScores(ctx context.Context, c *domain.Conference) (map[string]float64, error) {
	return r.summaryScores(ctx, c)
}

// routerAttendance gives the ballot service the hall's facts from the
// attendance state the handlers keep.
type routerAttendance struct{ r *Router }

func (a routerAttendance) PresentVoters(ctx context.Context, c *domain.Conference, spec domain.BallotSpec) (int, error) {
	return a.r.presentVoters(ctx, c, spec)
}

func (a routerAttendance) Scores(ctx context.Context, c *domain.Conference) (map[string]float64, error) {
	return a.r.unitScores(ctx, c)
}

func (a routerAttendance) Quorum(ctx context.Context, c *domain.Conference) (domain.QuorumAtClose, error) {
	reached, present, eligible, overridden, err := a.r.ballotQuorum(ctx, c.Ref())
	return domain.QuorumAtClose{Reached: reached, Present: present, Eligible: eligible, Overridden: overridden}, err
}
