package storage

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// BallotRound gives the latest round of ballot id: Round 0 and State draft
// when none was opened.
func (s *Store) BallotRound(ctx context.Context, ref, id string) (RoundInfo, error) {
	latest, err := s.rdb.Get(ctx, s.ballotKeys(ref, id, 0).latest).Int()
	if isNil(err) {
		return RoundInfo{Ballot: id, State: domain.BallotDraft}, nil
	}
	if err != nil {
		return RoundInfo{}, fmt.Errorf("latest round of ballot %s: %w", id, err)
	}
	return s.BallotRoundAt(ctx, ref, id, latest)
}

// BallotRoundAt gives one round of ballot id; a round never opened wraps
// domain.ErrNotFound.
func (s *Store) BallotRoundAt(ctx context.Context, ref, id string, round int) (RoundInfo, error) {
	h, err := s.rdb.HGetAll(ctx, s.ballotKeys(ref, id, round).state).Result()
	if err != nil {
		return RoundInfo{}, fmt.Errorf("ballot %s round %d: %w", id, round, err)
	}
	if len(h) == 0 {
		return RoundInfo{}, fmt.Errorf("ballot %s round %d: %w", id, round, domain.ErrNotFound)
	}
	at := func(name string) time.Time {
		ms, _ := strconv.ParseInt(h[name], 10, 64)
		if ms == 0 {
			return time.Time{}
		}
		return time.UnixMilli(ms).UTC()
	}
	eligible, _ := strconv.Atoi(h["eligible"])
	rules, err := decodeField[domain.BallotSpec](h, "rules")
	if err != nil {
		return RoundInfo{}, fmt.Errorf("ballot %s round %d: %w", id, round, err)
	}
	closing, err := decodeField[domain.ClosingFacts](h, "closing")
	if err != nil {
		return RoundInfo{}, fmt.Errorf("ballot %s round %d: %w", id, round, err)
	}
	return RoundInfo{
		Ballot: id, Round: round, State: domain.BallotState(h["state"]), Kind: domain.BallotKind(h["kind"]),
		Secret: h["secret"] == "1", Candidates: strings.Split(h["candidates"], ","), Eligible: eligible,
		OpenedAt: at("opened_at"), ClosesAt: at("closes_at"), ClosedAt: at("closed_at"),
		Rules: rules, Closing: closing,
	}, nil
}

// Counters reads a round's running totals: one hash of a size set by the
// candidates, however many ballots were cast. A round never opened gives
// ErrBallotNotOpen.
func (s *Store) Counters(ctx context.Context, ref, id string, round int) (domain.Counters, error) {
	raw, err := s.rdb.HGetAll(ctx, s.ballotKeys(ref, id, round).counters).Result()
	if err != nil {
		return domain.Counters{}, fmt.Errorf("counters of ballot %s round %d: %w", id, round, err)
	}
	if len(raw) == 0 { // an opened round has every counter, at 0 or more
		return domain.Counters{}, fmt.Errorf("counters of ballot %s round %d: %w", id, round, ErrBallotNotOpen)
	}
	h := make(map[string]int, len(raw))
	for key, val := range raw {
		n, err := strconv.Atoi(val)
		if err != nil {
			return domain.Counters{}, fmt.Errorf("counters of ballot %s round %d: %w: %q", id, round, domain.ErrInvalid, key)
		}
		h[key] = n
	}
	c, err := domain.CountersFromHash(h)
	if err != nil {
		return domain.Counters{}, fmt.Errorf("counters of ballot %s round %d: %w", id, round, err)
	}
	return c, nil
}

// Recount counts a round again from every stored content, for audits and
// tests; tallies use Counters.
func (s *Store) Recount(ctx context.Context, ref, id string, round int) (domain.Counters, error) {
	info, err := s.BallotRoundAt(ctx, ref, id, round)
	if err != nil {
		return domain.Counters{}, err
	}
	spec := domain.BallotSpec{ID: id, Kind: info.Kind} // CounterKeys needs only the kind
	// HSCAN, not HGETALL: a large round is read in slices without blocking
	// Redis. A scan may return a field twice (while the hash grows), so
	// contents are collected by field before counting.
	contents := make(map[string]string)
	iter := s.rdb.HScan(ctx, s.ballotKeys(ref, id, round).contents, 0, "", 1000).Iterator()
	for iter.Next(ctx) {
		field := iter.Val()
		if !iter.Next(ctx) {
			break
		}
		contents[field] = iter.Val()
	}
	if err := iter.Err(); err != nil {
		return domain.Counters{}, fmt.Errorf("recount ballot %s round %d: %w", id, round, err)
	}
	var c domain.Counters
	for _, enc := range contents {
		if enc == "" {
			continue // an eligible voter who has not voted
		}
		v, err := domain.DecodeVote(enc)
		if err != nil {
			return domain.Counters{}, fmt.Errorf("recount ballot %s round %d: %w", id, round, err)
		}
		c.Add(spec, v, 1)
	}
	return c, nil
}

// Turnout gives how many of the eligible voters have voted in a round; a
// round never opened gives ErrBallotNotOpen.
func (s *Store) Turnout(ctx context.Context, ref, id string, round int) (voted, eligible int, err error) {
	k := s.ballotKeys(ref, id, round)
	pipe := s.rdb.Pipeline()
	votedCmd := pipe.SCard(ctx, k.voted)
	eligibleCmd := pipe.HGet(ctx, k.state, "eligible")
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return 0, 0, fmt.Errorf("turnout of ballot %s round %d: %w", id, round, err)
	}
	if isNil(eligibleCmd.Err()) {
		return 0, 0, fmt.Errorf("turnout of ballot %s round %d: %w", id, round, ErrBallotNotOpen)
	}
	eligible, err = eligibleCmd.Int()
	if err != nil {
		return 0, 0, fmt.Errorf("turnout of ballot %s round %d: %w", id, round, err)
	}
	return int(votedCmd.Val()), eligible, nil
}

// Voted lists, sorted, the voter keys that have voted in a round: for
// reminders to those who have not. It says nothing of what they chose.
func (s *Store) Voted(ctx context.Context, ref, id string, round int) ([]string, error) {
	voters, err := s.rdb.SMembers(ctx, s.ballotKeys(ref, id, round).voted).Result()
	if err != nil {
		return nil, fmt.Errorf("voters of ballot %s round %d: %w", id, round, err)
	}
	slices.Sort(voters)
	return voters, nil
}

// Receipts lists, sorted, the receipt codes of the ballots counted in a
// closed round, for publication; before closing it gives ErrBallotOpen
// (a list growing live would tell who voted when).
func (s *Store) Receipts(ctx context.Context, ref, id string, round int) ([]string, error) {
	info, err := s.BallotRoundAt(ctx, ref, id, round)
	if err != nil {
		return nil, err
	}
	if info.State != domain.BallotClosed {
		return nil, fmt.Errorf("receipts of ballot %s round %d: %w", id, round, ErrBallotOpen)
	}
	all, err := s.rdb.HVals(ctx, s.ballotKeys(ref, id, round).receipts).Result()
	if err != nil {
		return nil, fmt.Errorf("receipts of ballot %s round %d: %w", id, round, err)
	}
	codes := slices.DeleteFunc(all, func(code string) bool { return code == "" })
	slices.Sort(codes)
	return codes, nil
}

// VoterReceipt gives the receipt of voterKey's counted ballot in a round, so
// the voter can look for it in the published list; false when none was cast.
func (s *Store) VoterReceipt(ctx context.Context, ref, id string, round int, voterKey string, secret []byte) (string, bool, error) {
	return s.voterField(ctx, s.ballotKeys(ref, id, round).receipts, ref, id, round, voterKey, secret)
}

// VoterVote gives voterKey's counted ballot in a round, for the voter's own
// eyes only (to show "your ballot: …"); false when none was cast.
func (s *Store) VoterVote(ctx context.Context, ref, id string, round int, voterKey string, secret []byte) (domain.Vote, bool, error) {
	raw, ok, err := s.voterField(ctx, s.ballotKeys(ref, id, round).contents, ref, id, round, voterKey, secret)
	if err != nil || !ok {
		return domain.Vote{}, false, err
	}
	v, err := domain.DecodeVote(raw)
	if err != nil {
		return domain.Vote{}, false, fmt.Errorf("ballot %s round %d: %w", id, round, err)
	}
	return v, true, nil
}

func (s *Store) voterField(ctx context.Context, key, ref, id string, round int, voterKey string, secret []byte) (string, bool, error) {
	val, err := s.rdb.HGet(ctx, key, ballotField(secret, ref, id, round, voterKey)).Result()
	if isNil(err) || (err == nil && val == "") {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("ballot %s round %d: %w", id, round, err)
	}
	return val, true, nil
}

// NamedVotes gives who chose what in a named round (voter key → vote); a
// secret round gives ErrSecretBallot.
func (s *Store) NamedVotes(ctx context.Context, ref, id string, round int) (map[string]domain.Vote, error) {
	info, err := s.BallotRoundAt(ctx, ref, id, round)
	if err != nil {
		return nil, err
	}
	if info.Secret {
		return nil, fmt.Errorf("named votes of ballot %s round %d: %w", id, round, ErrSecretBallot)
	}
	raw, err := s.rdb.HGetAll(ctx, s.ballotKeys(ref, id, round).named).Result()
	if err != nil {
		return nil, fmt.Errorf("named votes of ballot %s round %d: %w", id, round, err)
	}
	votes := make(map[string]domain.Vote, len(raw))
	for voter, enc := range raw {
		v, err := domain.DecodeVote(enc)
		if err != nil {
			return nil, fmt.Errorf("named votes of ballot %s round %d: %w", id, round, err)
		}
		votes[voter] = v
	}
	return votes, nil
}
