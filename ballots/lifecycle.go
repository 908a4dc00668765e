package ballots

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// Opened is the outcome of Open.
type Opened struct {
	Refusal      Refusal
	Round        int
	Info         domain.RoundInfo     // the round as opened
	Quorum       domain.QuorumAtClose // NoQuorum: the count that fell short
	State        domain.BallotState   // AlreadyOpened: where the ballot is
	Prerequisite string               // PrerequisitePending: the ballot whose result is awaited
}

// Open opens round 1 of spec (or, with revote, a round among the tied of
// the latest, closed round). The round's rules and its notices job are
// recorded with the opening, in one step: the ballots reach every voter even
// if this process dies right after.
func (s *Service) Open(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, current domain.RoundInfo, revote bool) (Opened, error) {
	if c.State != domain.StateInSession {
		return Opened{Refusal: NotInSession}, nil
	}
	q, err := s.cfg.Attendance.Quorum(ctx, c)
	if err != nil {
		return Opened{}, err
	}
	if !q.Reached && !q.Overridden {
		return Opened{Refusal: NoQuorum, Quorum: q}, nil
	}
	round, rules := 1, spec
	var candidates []string
	switch {
	case revote:
		last, ok, err := s.LatestResult(ctx, c, spec.ID)
		if err != nil {
			return Opened{}, err
		}
		if current.State != domain.BallotClosed || !ok || !last.NeedsRevote {
			return Opened{Refusal: NoRevote}, nil
		}
		round = current.Round + 1
		candidates = domain.RevoteCandidates(last)
		rules = domain.RevoteSpec(spec, last)
	case current.State != domain.BallotDraft:
		return Opened{Refusal: AlreadyOpened, State: current.State}, nil
	default:
		results, err := s.cfg.Store.AllResults(ctx, c.Ref(), ballotIDs(c))
		if err != nil {
			return Opened{}, err
		}
		awarded := domain.AwardedMap(results)
		candidates, err = c.CandidatesOf(spec, awarded)
		if errors.Is(err, domain.ErrIllegalState) {
			// Name the ballot awaited: the prerequisite, or one whose
			// winners are left out (not-awarded).
			pending := spec.PendingReference(awarded)
			if pending == "" {
				pending = spec.Prerequisite
			}
			return Opened{Refusal: PrerequisitePending, Prerequisite: pending}, nil
		}
		if err != nil {
			return Opened{}, err
		}
	}
	members, err := s.cfg.Store.Members(ctx, c.Ref())
	if err != nil {
		return Opened{}, err
	}
	var closesAt time.Time
	if spec.ClosesAfter > 0 {
		closesAt = s.cfg.Now().Add(spec.ClosesAfter)
	}
	notices := s.NewEffect(EffectNotices, spec.ID, round, 0, nil)
	err = s.cfg.Store.OpenBallot(ctx, c.Ref(), spec, round, candidates, domain.EligibleKeys(c, spec, members), closesAt, s.cfg.Secret,
		storage.WithRules(rules), storage.WithEffect(notices))
	if errors.Is(err, domain.ErrIllegalState) {
		return Opened{Refusal: AlreadyOpened}, nil // another request opened it a moment ago
	}
	if err != nil {
		return Opened{}, err
	}
	s.kick()
	zerolog.Ctx(ctx).Info().Str("conference", c.Ref()).Str("ballot", spec.ID).Int("round", round).Msg("ballot opened")
	s.schedule(ctx, c, spec.ID, closesAt)
	info, err := s.cfg.Store.BallotRoundAt(ctx, c.Ref(), spec.ID, round)
	if err != nil {
		return Opened{}, err
	}
	return Opened{Round: round, Info: info}, nil
}

func ballotIDs(c *domain.Conference) []string {
	ids := make([]string, len(c.Ballots))
	for i, b := range c.Ballots {
		ids[i] = b.ID
	}
	return ids
}

// Close closes a round once. The close script stores the facts the tally
// needs (present voters, scores, quorum, as they stand now) and enqueues the
// tally job in the same step, so whatever fails afterwards the tally is
// saved and published, once, by some replica. closed is true only for the
// call that closed it.
func (s *Service) Close(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, round int) (closed bool, err error) {
	facts, err := s.cfg.Attendance.ClosingFacts(ctx, c, spec)
	if err != nil {
		return false, err
	}
	tally := s.NewEffect(EffectTally, spec.ID, round, 0, nil)
	closed, err = s.cfg.Store.CloseBallot(ctx, c.Ref(), spec.ID, round, storage.WithClosingFacts(facts), storage.WithEffect(tally))
	if err != nil || !closed {
		return false, err
	}
	log := zerolog.Ctx(ctx)
	log.Info().Str("conference", c.Ref()).Str("ballot", spec.ID).Int("round", round).Msg("ballot closed")
	// Save the result now, so the next step (a ballot that needs this one's
	// winners) can follow at once; the job does it if this fails.
	if _, err := s.EnsureResult(ctx, c, spec, round, nil, true); err != nil {
		log.Warn().Err(err).Str("ballot", spec.ID).Msg("result not saved yet; the tally job saves it")
	}
	s.kick()
	s.schedule(ctx, c, spec.ID, time.Time{})
	return true, nil
}

// QuorumOf is the quorum a round's tally reports: as stored at its close,
// or (rounds closed before that was stored) as it stands.
func (s *Service) QuorumOf(ctx context.Context, c *domain.Conference, info domain.RoundInfo) (domain.QuorumAtClose, error) {
	if info.Closing != nil {
		return info.Closing.Quorum, nil
	}
	return s.cfg.Attendance.Quorum(ctx, c)
}

// Tally counts a closed round from its counters (never the ballots), under
// the rules stored when it opened and the facts stored when it closed: the
// same result whenever and wherever it runs. chairPicks settle a tie the
// chair decides.
func (s *Service) Tally(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, round int, chairPicks []string) (domain.Result, error) {
	info, err := s.cfg.Store.BallotRoundAt(ctx, c.Ref(), spec.ID, round)
	if err != nil {
		return domain.Result{}, err
	}
	rules, err := s.RoundSpec(ctx, c, spec, info)
	if err != nil {
		return domain.Result{}, err
	}
	counters, err := s.cfg.Store.Counters(ctx, c.Ref(), spec.ID, round)
	if err != nil {
		return domain.Result{}, err
	}
	facts := info.Closing
	if facts == nil { // closed before closing facts were stored
		f, err := s.cfg.Attendance.ClosingFacts(ctx, c, spec)
		if err != nil {
			return domain.Result{}, err
		}
		facts = &f
	}
	return domain.Tally(domain.TallyInput{Ballot: rules, Round: round, Candidates: info.Candidates, Counters: counters,
		Members: info.Eligible, Present: facts.Present, Scores: facts.Scores, ChairPicks: chairPicks})
}

// EnsureResult saves a round's result. With keepSaved (the tally job) a
// result already saved is kept: a retried tally must not overwrite the
// chair's later decision. Without it (a decision) the picks are applied.
func (s *Service) EnsureResult(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, round int, picks []string, keepSaved bool) (domain.Result, error) {
	if keepSaved {
		if res, ok, err := s.SavedResult(ctx, c, spec.ID, round); err != nil || ok {
			return res, err
		}
	}
	res, err := s.Tally(ctx, c, spec, round, picks)
	if err != nil {
		return domain.Result{}, err
	}
	return res, s.recordResult(ctx, c, spec, res)
}

// recordResult saves a round's result and, when an on_result: handover
// (or deputy) ballot is decided, records next year's chair (or deputy
// chair) unit. Both writes are idempotent, so a retry repeats them
// harmlessly.
func (s *Service) recordResult(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, res domain.Result) error {
	if err := s.cfg.Store.SaveResult(ctx, c.Ref(), res); err != nil {
		return err
	}
	office := domain.OfficeOf(spec)
	if office == "" {
		return nil
	}
	rounds, err := s.cfg.Store.Results(ctx, c.Ref(), spec.ID)
	if err != nil {
		return err
	}
	o := domain.OutcomeOf(rounds)
	if !o.Decided || len(o.Awarded) == 0 {
		return nil
	}
	_, err = s.cfg.Store.UpdateConference(ctx, c.Ref(), func(c *domain.Conference) error {
		_, err := c.RecordNext(office, o.Awarded[0])
		return err
	})
	switch {
	case errors.Is(err, domain.ErrNextUnchanged):
		return nil // a retry, or the secretary recorded the same unit
	case errors.Is(err, domain.ErrChairIsDeputy):
		// The unit elected holds the other office (a secretary's /handover
		// since): the election's result stands in the tally and the
		// minutes, and the secretary settles the office with /handover.
		zerolog.Ctx(ctx).Warn().Str("conference", c.Ref()).Str("ballot", spec.ID).Str("unit", o.Awarded[0]).
			Msg("elected unit holds next year's other office; not recorded")
		return nil
	}
	return err
}

// Decided is the outcome of Decide.
type Decided struct {
	Refusal Refusal
	Chair   string   // NotChair: the chair unit
	Tied    []string // InvalidDecision: among whom to choose
	Seats   int      // InvalidDecision: how many
	Picks   []string // the units chosen
}

// Decide records the chair unit head's choice among the tied at the quota's
// edge (tie: chair), saves the result and enqueues its publication.
func (s *Service) Decide(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, by *domain.Membership, picks []string) (Decided, error) {
	if by == nil || by.Unit != c.ChairUnit || !by.HasRole(domain.RoleHead) {
		return Decided{Refusal: NotChair, Chair: c.ChairUnit}, nil
	}
	last, ok, err := s.LatestResult(ctx, c, spec.ID)
	if err != nil {
		return Decided{}, err
	}
	if !ok || !last.NeedsChair || len(picks) == 0 {
		return Decided{Refusal: NothingToDecide}, nil
	}
	picks = slices.Clone(picks)
	for i := range picks {
		picks[i] = c.CodeOf(strings.Trim(picks[i], ",")) // nd, ND or NĐ
	}
	res, err := s.Tally(ctx, c, spec, last.Round, picks)
	if errors.Is(err, domain.ErrInvalid) {
		return Decided{Refusal: InvalidDecision, Tied: last.Tied, Seats: last.Seats}, nil
	}
	if err != nil {
		return Decided{}, err
	}
	if err := s.recordResult(ctx, c, spec, res); err != nil {
		return Decided{}, err
	}
	// The decided tally goes out as a job: the picks travel with it, so a
	// retry saves and sends the same result.
	added, err := s.cfg.Store.EnqueueEffect(ctx, c.Ref(), s.NewEffect(EffectDecide, spec.ID, last.Round, 0, picks), nil)
	if err != nil {
		return Decided{}, err
	}
	if !added {
		return Decided{Refusal: AlreadySending}, nil
	}
	s.kick()
	zerolog.Ctx(ctx).Info().Str("conference", c.Ref()).Str("ballot", spec.ID).Msg("tie decided by the chair")
	return Decided{Picks: picks}, nil
}

// CloseDue closes ballot's open round of ref if it is past its closing time
// (the scheduler's close job). Safe on several replicas: one close wins.
func (s *Service) CloseDue(ctx context.Context, c *domain.Conference, ballot string) error {
	spec, ok := c.Ballot(ballot)
	if !ok || c.State != domain.StateInSession {
		return nil
	}
	info, err := s.cfg.Store.BallotRound(ctx, c.Ref(), spec.ID)
	if err != nil || !info.Due(s.cfg.Now()) {
		return err
	}
	_, err = s.Close(ctx, c, spec, info.Round)
	return err
}

// CloseAllDue closes every round of c past its closing time: a safety net
// under the close jobs, run at every tick.
func (s *Service) CloseAllDue(ctx context.Context, c *domain.Conference) error {
	var errs []error
	for _, spec := range c.Ballots {
		if err := s.CloseDue(ctx, c, spec.ID); err != nil {
			errs = append(errs, fmt.Errorf("close %s/%s: %w", c.Ref(), spec.ID, err))
		}
	}
	return errors.Join(errs...)
}
