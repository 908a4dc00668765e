// Package ballots is the ballot life cycle in one place: open a round (or a
// revote among the tied), cast, close, tally, and the chair's decision on a
// tie. It speaks domain, holds BALLOT_SECRET, records each step with its
// effect in one atomic write (the close enqueues the tally job, the open its
// notices) and answers with typed outcomes; the handlers parse input and
// word the outcome, nothing more. Telegram is not known here; Redis only
// behind the Store interface.
package ballots

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// Store is what the service needs of storage; *storage.Store satisfies it.
type Store interface {
	UpdateConference(ctx context.Context, ref string, f func(*domain.Conference) error) (*domain.Conference, error)
	Members(ctx context.Context, ref string) (map[int64]domain.Membership, error)
	Authorized(ctx context.Context, ref string) (map[int64]string, error)
	OpenBallot(ctx context.Context, ref string, spec domain.BallotSpec, round int, candidates, eligible []string, closesAt time.Time, secret []byte, opts ...storage.RoundOption) error
	CloseBallot(ctx context.Context, ref, id string, round int, opts ...storage.RoundOption) (bool, error)
	CastVote(ctx context.Context, ref, ballotID string, round int, voterKey string, vote domain.Vote, secret []byte, spec domain.BallotSpec) (domain.CastResult, error)
	BallotRound(ctx context.Context, ref, id string) (domain.RoundInfo, error)
	BallotRoundAt(ctx context.Context, ref, id string, round int) (domain.RoundInfo, error)
	Counters(ctx context.Context, ref, id string, round int) (domain.Counters, error)
	VoterReceipt(ctx context.Context, ref, id string, round int, voterKey string, secret []byte) (string, bool, error)
	SaveResult(ctx context.Context, ref string, r domain.Result) error
	Results(ctx context.Context, ref, ballot string) ([]domain.Result, error)
	AllResults(ctx context.Context, ref string, ballots []string) (map[string][]domain.Result, error)
	EnqueueEffect(ctx context.Context, ref string, e domain.Reminder, bundle []byte) (bool, error)
}

var _ Store = (*storage.Store)(nil)

// Attendance gives the facts of the hall a round depends on; the handlers'
// attendance state provides them.
type Attendance interface {
	// Quorum is the conference's quorum now, and whether it was overridden.
	Quorum(ctx context.Context, c *domain.Conference) (domain.QuorumAtClose, error)
	// ClosingFacts are what a round of spec's tally needs besides its
	// counters, as they stand now: present voters, scores, quorum.
	ClosingFacts(ctx context.Context, c *domain.Conference, spec domain.BallotSpec) (domain.ClosingFacts, error)
}

// Config is what a Service needs.
type Config struct {
	Store      Store
	Attendance Attendance
	Secret     []byte           // BALLOT_SECRET
	Now        func() time.Time // nil: time.Now
	// Schedule tells the scheduler when a ballot closes (zero: closed) so
	// its reminders and its close job are planned; nil: nothing to plan.
	Schedule func(ctx context.Context, c *domain.Conference, ballot string, closesAt time.Time) error
	// Kick wakes the scheduler when an effect was just recorded; nil: it
	// finds it at its next tick.
	Kick func()
}

// Service is the ballot life cycle.
type Service struct{ cfg Config }

// New makes a Service.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

// Refusal says why the service did not do what was asked; "" when it did.
// The handlers word each in the person's language.
type Refusal string

// Refusals.
const (
	NotInSession        Refusal = "not_in_session"
	NoQuorum            Refusal = "no_quorum"
	NoRevote            Refusal = "no_revote"
	AlreadyOpened       Refusal = "already_opened"
	PrerequisitePending Refusal = "prerequisite_pending"
	NotOpen             Refusal = "not_open"
	NotEligible         Refusal = "not_eligible"
	InvalidVote         Refusal = "invalid_vote"
	NotChair            Refusal = "not_chair"
	NothingToDecide     Refusal = "nothing_to_decide"
	InvalidDecision     Refusal = "invalid_decision"
	AlreadySending      Refusal = "already_sending"
)

// What an effect job does (domain.Reminder.What); the handlers deliver them.
const (
	EffectNotices = "notices" // a round opened: the ballot to each voter, a notice to the group
	EffectTally   = "tally"   // a round closed: tally and chart to staff and group, receipts to voters
	EffectDecide  = "decide"  // the chair settled a tie: the tally again to staff and group
	EffectExport  = "export"  // /export: the files (albums), then "done"
)

// NewEffect is an effect job due now: for a ballot round, or (export) for
// the chat that asked.
func (s *Service) NewEffect(what, ballot string, round int, chat int64, picks []string) domain.Reminder {
	id := "effect/" + what + "/" + ballot + "/" + strconv.Itoa(round)
	if what == EffectExport {
		id = "effect/export/" + strconv.FormatInt(chat, 10)
	}
	return domain.Reminder{ID: id, Kind: storage.EffectKind, What: what, Audience: "effect", Ballot: ballot,
		Round: round, Chat: chat, Picks: picks, Due: s.cfg.Now().Truncate(time.Second)}
}

func (s *Service) kick() {
	if s.cfg.Kick != nil {
		s.cfg.Kick()
	}
}

func (s *Service) schedule(ctx context.Context, c *domain.Conference, ballot string, closesAt time.Time) {
	if s.cfg.Schedule == nil {
		return
	}
	if err := s.cfg.Schedule(ctx, c, ballot, closesAt); err != nil {
		// The reminders are a help, not the vote: the close is also checked at every tick.
		zerolog.Ctx(ctx).Warn().Err(err).Str("conference", c.Ref()).Str("ballot", ballot).Msg("ballot reminders not scheduled")
	}
}

// Rights are who may cast which ballots of c now.
func (s *Service) Rights(ctx context.Context, c *domain.Conference, members map[int64]domain.Membership) (*domain.CastRights, error) {
	auth, err := s.cfg.Store.Authorized(ctx, c.Ref())
	if err != nil {
		return nil, err
	}
	return domain.NewCastRights(c, members, auth), nil
}

// RoundSpec is the ballot as it applies in a round: the rules stored when
// the round opened, or, for rounds opened before they were stored, the file's
// ballot (a revote ranks only the tied, for the places left).
func (s *Service) RoundSpec(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, info domain.RoundInfo) (domain.BallotSpec, error) {
	if info.Rules != nil {
		return *info.Rules, nil
	}
	if info.Round <= 1 {
		return spec, nil
	}
	results, err := s.cfg.Store.Results(ctx, c.Ref(), spec.ID)
	if err != nil {
		return domain.BallotSpec{}, err
	}
	for _, res := range results {
		if res.Round == info.Round-1 {
			return domain.RevoteSpec(spec, res), nil
		}
	}
	return domain.BallotSpec{}, fmt.Errorf("round %d of %s has no previous result: %w", info.Round, spec.ID, domain.ErrIllegalState)
}

// SavedResult is the stored result of one round of a ballot.
func (s *Service) SavedResult(ctx context.Context, c *domain.Conference, ballot string, round int) (domain.Result, bool, error) {
	results, err := s.cfg.Store.Results(ctx, c.Ref(), ballot)
	if err != nil {
		return domain.Result{}, false, err
	}
	for _, res := range results {
		if res.Round == round {
			return res, true, nil
		}
	}
	return domain.Result{}, false, nil
}

// LatestResult is the result of a ballot's latest tallied round.
func (s *Service) LatestResult(ctx context.Context, c *domain.Conference, ballot string) (domain.Result, bool, error) {
	results, err := s.cfg.Store.Results(ctx, c.Ref(), ballot)
	if err != nil || len(results) == 0 {
		return domain.Result{}, false, err
	}
	return results[len(results)-1], true, nil
}
