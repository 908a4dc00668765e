package ballots

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// Cast is the outcome of casting.
type Cast struct {
	Refusal Refusal
	Problem error // InvalidVote: the domain.VoteError to word
	Result  domain.CastResult
}

// VoterKey is whose ballot userID (member m) casts in a round of spec —
// their unit's or their own — and whether they may.
func (s *Service) VoterKey(ctx context.Context, c *domain.Conference, rules domain.BallotSpec, userID int64, m *domain.Membership) (string, bool, error) {
	if m == nil || !domain.MayVote(c, *m) {
		return "", false, nil
	}
	if rules.Voters != domain.VotersUnit || m.HasRole(domain.RoleHead) {
		// Heads, and everyone on per-person ballots: no roster to read.
		key, ok := domain.NewCastRights(c, nil, nil).VoterKey(rules, userID, m)
		return key, ok, nil
	}
	members, err := s.cfg.Store.Members(ctx, c.Ref())
	if err != nil {
		return "", false, err
	}
	rights, err := s.Rights(ctx, c, members)
	if err != nil {
		return "", false, err
	}
	key, ok := rights.VoterKey(rules, userID, m)
	return key, ok, nil
}

// Check says, before a confirmation screen, what casting v would refuse.
func (s *Service) Check(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, info domain.RoundInfo, userID int64, m *domain.Membership, v domain.Vote) (Cast, error) {
	rules, err := s.RoundSpec(ctx, c, spec, info)
	if err != nil {
		return Cast{}, err
	}
	if _, ok, err := s.VoterKey(ctx, c, rules, userID, m); err != nil || !ok {
		return Cast{Refusal: NotEligible}, err
	}
	if err := domain.ValidateVote(rules, info.Candidates, m.Unit, v); err != nil {
		return Cast{Refusal: InvalidVote, Problem: err}, nil
	}
	return Cast{}, nil
}

// Cast validates and stores userID's vote in the round: the last ballot
// counts, once. A refusal changes nothing; logs never carry the choice.
func (s *Service) Cast(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, info domain.RoundInfo, userID int64, m *domain.Membership, v domain.Vote) (Cast, error) {
	rules, err := s.RoundSpec(ctx, c, spec, info)
	if err != nil {
		return Cast{}, err
	}
	key, ok, err := s.VoterKey(ctx, c, rules, userID, m)
	if err != nil {
		return Cast{}, err
	}
	if !ok {
		return Cast{Refusal: NotEligible}, nil
	}
	if err := domain.ValidateVote(rules, info.Candidates, m.Unit, v); err != nil {
		return Cast{Refusal: InvalidVote, Problem: err}, nil
	}
	res, err := s.cfg.Store.CastVote(ctx, c.Ref(), spec.ID, info.Round, key, v, s.cfg.Secret, rules)
	switch {
	case errors.Is(err, storage.ErrBallotClosed), errors.Is(err, storage.ErrBallotNotOpen):
		return Cast{Refusal: NotOpen}, nil
	case errors.Is(err, storage.ErrNotEligible):
		return Cast{Refusal: NotEligible}, nil
	case errors.Is(err, domain.ErrInvalid):
		return Cast{Refusal: InvalidVote, Problem: err}, nil
	case err != nil:
		return Cast{}, fmt.Errorf("cast on %s: %w", spec.ID, err) // never the choice
	}
	zerolog.Ctx(ctx).Info().Str("conference", c.Ref()).Str("ballot", spec.ID).Int("round", info.Round).
		Bool("changed", res.Changed).Int("turnout", res.Voted).Msg("ballot cast")
	return Cast{Result: res}, nil
}

// OwnReceipt is the receipt of the ballot that counts for userID's voter
// key in a round, if one was cast.
func (s *Service) OwnReceipt(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, round int, userID int64, m *domain.Membership) (string, bool, error) {
	key, ok := domain.OwnVoterKey(c, spec, userID, m)
	if !ok {
		return "", false, nil
	}
	return s.cfg.Store.VoterReceipt(ctx, c.Ref(), spec.ID, round, key, s.cfg.Secret)
}
