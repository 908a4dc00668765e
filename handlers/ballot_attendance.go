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
