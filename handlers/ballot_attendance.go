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

// routerAttendance gives the ballot service the hall's facts from the
// attendance state the handlers keep.
type routerAttendance struct{ r *Router }

// ClosingFacts reads the attendance state once for all three facts.
func (a routerAttendance) ClosingFacts(ctx context.Context, c *domain.Conference, spec domain.BallotSpec) (domain.ClosingFacts, error) {
	st, err := a.r.attendanceState(ctx, c)
	if err != nil {
		return domain.ClosingFacts{}, err
	}
	_, overridden, err := a.r.att().QuorumOverride(ctx, c.Ref())
	if err != nil {
		return domain.ClosingFacts{}, err
	}
	q := st.Quorum(c)
	scores := map[string]float64{}
	for _, code := range c.MemberCodes() {
		if v, ok := st.Summaries[code]; ok {
			scores[code] = v.Score
		}
	}
	return domain.ClosingFacts{Present: st.PresentVoters(c, spec.Voters), Scores: scores,
		Quorum: domain.QuorumAtClose{Reached: q.Reached, Present: q.Present, Eligible: q.Eligible, Overridden: overridden}}, nil
}

func (a routerAttendance) Quorum(ctx context.Context, c *domain.Conference) (domain.QuorumAtClose, error) {
	reached, present, eligible, overridden, err := a.r.ballotQuorum(ctx, c.Ref())
	return domain.QuorumAtClose{Reached: reached, Present: present, Eligible: eligible, Overridden: overridden}, err
}
