package storage

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// Ballot rounds. Each round of a ballot (a revote is a new round among the
// tied; earlier rounds are kept) lives under {ref}:ballot:ID:rN:
//
//	state     hash   state, round, kind, secret, candidates, eligible (count), opened_at, closes_at, closed_at
//	eligible  set    voter keys allowed to vote: unit codes (voters: unit) or user ids (voters: delegate)
//	voted     set    voter keys that have voted: the turnout, and nothing of what they chose
//	contents  hash   HMAC(secret, voter) → encoded vote ("" until cast); no voter identity
//	receipts  hash   HMAC(secret, voter) → receipt code of the ballot that counts
//	counters  hash   domain counter key → count (all at 0 from opening), kept by every cast: a tally reads only this
//	named     hash   voter key → encoded vote, for named (non-secret) ballots only
//
// and {ref}:ballot:ID:latest holds the number of the latest round.
//
// Secrecy: who voted ("voted") and what was cast ("contents") are joined only
// by an HMAC under BALLOT_SECRET, computed here and never sent to Redis. With
// the stored data alone one cannot tell whose a content is; with the data and
// the secret one can (recompute each voter's HMAC) — and so can anyone who
// watches commands live (MONITOR, a slow log), since a cast carries both the
// voter key and the content. The hashes a cast writes are filled when the
// round opens, so not even the order of their fields records who voted when
// (openBallotScript says why that matters).

// Ballot errors. Each wraps the domain kind handlers turn into text.
var (
	// ErrBallotNotOpen: the round was never opened.
	ErrBallotNotOpen = fmt.Errorf("ballot is not open: %w", domain.ErrIllegalState)
	// ErrBallotClosed: the round is closed or past its closing time.
	ErrBallotClosed = fmt.Errorf("ballot is closed: %w", domain.ErrIllegalState)
	// ErrBallotOpen: what is asked for exists only once the round is closed.
	ErrBallotOpen = fmt.Errorf("ballot is still open: %w", domain.ErrIllegalState)
	// ErrNotEligible: the voter key is not on the round's roster.
	ErrNotEligible = fmt.Errorf("not eligible to vote on this ballot: %w", domain.ErrForbidden)
	// ErrSecretBallot: who chose what is not kept for a secret ballot.
	ErrSecretBallot = fmt.Errorf("ballot is secret: %w", domain.ErrForbidden)
	// ErrBallotSecretChanged: the round was opened under another BALLOT_SECRET;
	// counting the cast would give its voter a second ballot.
	ErrBallotSecretChanged = fmt.Errorf("ballot secret is not the one the round was opened with: %w", domain.ErrConflict)
)

// maxCastAttempts bounds CastVote's compare-and-set retries; each retry means
// another cast by the same voter won, so only a flood of them reaches it.
const maxCastAttempts = 100

// RoundInfo is one round of a ballot as stored.
type RoundInfo struct {
	Ballot     string
	Round      int // 0 (with State draft) when no round was ever opened
	State      domain.BallotState
	Kind       domain.BallotKind
	Secret     bool
	Candidates []string // in display order
	Eligible   int      // number of eligible voters
	OpenedAt   time.Time
	ClosesAt   time.Time // zero: closed by the secretary only
	ClosedAt   time.Time
}

// Due reports whether the round is open past its closing time at now.
func (r RoundInfo) Due(now time.Time) bool {
	return r.State == domain.BallotOpen && !r.ClosesAt.IsZero() && !now.Before(r.ClosesAt)
}

// CastResult says what a cast did.
type CastResult struct {
	Receipt  string // receipt code of the ballot that now counts for the voter
	Changed  bool   // false: the same vote was stored already (a repeated delivery), nothing changed
	First    bool   // the voter's first ballot in this round: turnout grew by one
	Voted    int    // turnout after the cast
	Eligible int
}

// roundKeys are the keys of one round (see the layout above).
type roundKeys struct {
	latest, state, eligible, voted, contents, receipts, counters, named string
}

func (s *Store) ballotKeys(ref, id string, round int) roundKeys {
	part := func(name string) string { return s.confKey(ref, "ballot", id, "r"+strconv.Itoa(round), name) }
	return roundKeys{
		latest: s.confKey(ref, "ballot", id, "latest"),
		state:  part("state"), eligible: part("eligible"), voted: part("voted"), contents: part("contents"),
		receipts: part("receipts"), counters: part("counters"), named: part("named"),
	}
}

// ballotField is the HMAC that keys a voter's content and receipt. The
// round is part of it, so a voter's ballots in two rounds cannot be linked.
func ballotField(secret []byte, ref, id string, round int, voterKey string) string {
	mac := hmac.New(sha256.New, secret)
	// NUL never occurs in refs, ids or voter keys: the parts cannot run together.
	mac.Write([]byte(ref + "\x00" + id + "\x00" + strconv.Itoa(round) + "\x00" + voterKey))
	return hex.EncodeToString(mac.Sum(nil))
}

// newReceipt makes a random receipt code such as "K7QD-2MXA" (40 bits).
func newReceipt() (string, error) {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make receipt: %w", err)
	}
	code := base32.StdEncoding.EncodeToString(b[:])
	return code[:4] + "-" + code[4:], nil
}

func unixMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// OpenBallot opens round (1, or one more than the latest, closed, round) of
// spec among candidates, for the eligible voter keys, closing at closesAt
// (zero: by the secretary only). secret is BALLOT_SECRET: every voter's
// content field is created now (see openBallotScript for why). Opening a
// round that exists is refused with ErrIllegalState.
func (s *Store) OpenBallot(ctx context.Context, ref string, spec domain.BallotSpec, round int, candidates, eligible []string, closesAt time.Time, secret []byte) error {
	switch {
	case len(secret) == 0:
		return fmt.Errorf("open ballot %s: %w: empty ballot secret", spec.ID, domain.ErrInvalid)
	case round < 1:
		return fmt.Errorf("open ballot %s: %w: round %d", spec.ID, domain.ErrInvalid, round)
	case len(candidates) == 0 || len(eligible) == 0:
		return fmt.Errorf("open ballot %s: %w: no candidates or no voters", spec.ID, domain.ErrInvalid)
	}
	for i, code := range candidates {
		// The codes are joined by "," in the state hash and end counter keys.
		if code == "" || strings.ContainsAny(code, ",:=") || slices.Contains(candidates[:i], code) {
			return fmt.Errorf("open ballot %s: %w: candidate code %q", spec.ID, domain.ErrInvalid, code)
		}
	}
	voters := slices.Compact(slices.Sorted(slices.Values(eligible)))
	fields := make([]string, len(voters))
	for i, v := range voters {
		fields[i] = ballotField(secret, ref, spec.ID, round, v)
	}
	slices.Sort(fields) // the order of HMACs, unrelated to the voters' order
	secretFlag := "0"
	if spec.Secret {
		secretFlag = "1"
	}
	counters := allCounterKeys(spec, candidates)
	args := make([]any, 0, 8+2*len(voters)+len(counters))
	args = append(args, round, string(spec.Kind), secretFlag, strings.Join(candidates, ","),
		s.now().UnixMilli(), unixMilli(closesAt), len(voters), len(counters))
	for _, list := range [][]string{voters, fields, counters} {
		for _, v := range list {
			args = append(args, v)
		}
	}
	k := s.ballotKeys(ref, spec.ID, round)
	prev := s.ballotKeys(ref, spec.ID, round-1).state
	status, err := openBallotScript.Run(ctx, s.rdb, []string{k.latest, k.state, k.eligible, k.contents, k.receipts, prev, k.counters}, args...).Text()
	if err != nil {
		return fmt.Errorf("open ballot %s round %d: %w", spec.ID, round, err)
	}
	switch status {
	case "opened":
		return nil
	case "exists":
		return fmt.Errorf("open ballot %s round %d: %w: the round was opened already", spec.ID, round, domain.ErrIllegalState)
	case "bad_round":
		return fmt.Errorf("open ballot %s round %d: %w: not the next round", spec.ID, round, domain.ErrIllegalState)
	case "previous_open":
		return fmt.Errorf("open ballot %s round %d: %w: the previous round is not closed", spec.ID, round, domain.ErrIllegalState)
	}
	return fmt.Errorf("open ballot %s round %d: unexpected answer %q", spec.ID, round, status)
}

// allCounterKeys names every counter a ballot of spec among candidates can
// add to, by asking domain.CounterKeys about ballots that mark everyone.
func allCounterKeys(spec domain.BallotSpec, candidates []string) []string {
	everyone := domain.Vote{Picks: candidates}
	if spec.Kind == domain.KindApprove {
		allYes, allNo := domain.Vote{Approve: map[string]domain.Choice{}}, domain.Vote{Approve: map[string]domain.Choice{}}
		for _, code := range candidates {
			allYes.Approve[code], allNo.Approve[code] = domain.ChoiceYes, domain.ChoiceNo
		}
		return slices.Compact(slices.Sorted(slices.Values(append(allYes.CounterKeys(spec), allNo.CounterKeys(spec)...))))
	}
	return everyone.CounterKeys(spec)
}

// CloseBallot closes a round. It is idempotent and answers true only to the
// call that closed it, so only one replica sends the tally; a round never
// opened gives ErrBallotNotOpen.
func (s *Store) CloseBallot(ctx context.Context, ref, id string, round int) (bool, error) {
	k := s.ballotKeys(ref, id, round)
	n, err := closeBallotScript.Run(ctx, s.rdb, []string{k.state}, s.now().UnixMilli()).Int()
	if err != nil {
		return false, fmt.Errorf("close ballot %s round %d: %w", id, round, err)
	}
	if n < 0 {
		return false, fmt.Errorf("close ballot %s round %d: %w", id, round, ErrBallotNotOpen)
	}
	return n == 1, nil
}

// CastVote records voterKey's ballot in an open round, replacing the voter's
// earlier one: the last counts, once. The caller has checked the voter's
// right to speak for voterKey and domain.ValidateVote (the self-vote rule
// needs the voter's unit); CastVote checks the vote's form and, atomically in
// Redis, that the round is open and not past its closing time, that voterKey
// is eligible and every mark names a candidate. Errors never quote the vote.
func (s *Store) CastVote(ctx context.Context, ref, ballotID string, round int, voterKey string, vote domain.Vote, secret []byte, spec domain.BallotSpec) (CastResult, error) {
	fail := func(err error) (CastResult, error) {
		return CastResult{}, fmt.Errorf("cast on ballot %s round %d: %w", ballotID, round, err)
	}
	if len(secret) == 0 {
		return fail(fmt.Errorf("%w: empty ballot secret", domain.ErrInvalid))
	}
	if spec.Kind == domain.KindApprove && vote.Approve == nil {
		vote.Approve = map[string]domain.Choice{} // all abstain; encodes as an approve vote
	}
	if err := checkVoteForm(spec, vote); err != nil {
		return fail(err)
	}
	receipt, err := newReceipt()
	if err != nil {
		return fail(err)
	}
	k := s.ballotKeys(ref, ballotID, round)
	keys := []string{k.state, k.eligible, k.voted, k.contents, k.receipts, k.counters, k.named}
	field := ballotField(secret, ref, ballotID, round, voterKey)
	content, newKeys := vote.Encode(), vote.CounterKeys(spec)
	stored, oldKeys := "", []string(nil) // first guess: no earlier ballot
	for range maxCastAttempts {
		args := make([]any, 0, 8+len(oldKeys)+len(newKeys))
		args = append(args, s.now().UnixMilli(), string(spec.Kind), voterKey, field, stored, content, receipt, len(oldKeys))
		for _, key := range oldKeys {
			args = append(args, key)
		}
		for _, key := range newKeys {
			args = append(args, key)
		}
		res, err := castVoteScript.Run(ctx, s.rdb, keys, args...).Slice()
		if err != nil {
			return fail(err)
		}
		status, _ := res[0].(string)
		switch status {
		case "cast":
			return CastResult{Receipt: res[1].(string), Changed: true, First: res[2].(int64) == 1,
				Voted: int(res[3].(int64)), Eligible: int(res[4].(int64))}, nil
		case "same":
			return CastResult{Receipt: res[1].(string), Voted: int(res[2].(int64)), Eligible: int(res[3].(int64))}, nil
		case "stale":
			stored = res[1].(string)
			old, err := domain.DecodeVote(stored)
			if err != nil {
				return fail(fmt.Errorf("stored ballot: %w", err))
			}
			oldKeys = old.CounterKeys(spec)
		case "not_open":
			return fail(ErrBallotNotOpen)
		case "closed":
			return fail(ErrBallotClosed)
		case "not_eligible":
			return fail(ErrNotEligible)
		case "unknown_field":
			return fail(ErrBallotSecretChanged)
		case "wrong_kind":
			return fail(fmt.Errorf("%w: the round was opened as another kind of ballot", domain.ErrInvalid))
		case "not_candidate":
			return fail(&domain.VoteError{Code: domain.VoteNotCandidate})
		default:
			return fail(fmt.Errorf("unexpected answer %q", status))
		}
	}
	return fail(fmt.Errorf("%w: too many simultaneous casts by one voter", domain.ErrConflict))
}

// checkVoteForm applies domain.ValidateVote's rules of form (marks on an
// approve ballot, one to MaxPicks distinct picks otherwise). Candidacy is
// checked by the script against the round's own list, and the self-vote rule
// by the caller, so both are neutralised here.
func checkVoteForm(spec domain.BallotSpec, v domain.Vote) error {
	spec.SelfVote = true
	named := append(slices.Collect(maps.Keys(v.Approve)), v.Picks...)
	return domain.ValidateVote(spec, named, "", v)
}

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
	return RoundInfo{
		Ballot: id, Round: round, State: domain.BallotState(h["state"]), Kind: domain.BallotKind(h["kind"]),
		Secret: h["secret"] == "1", Candidates: strings.Split(h["candidates"], ","), Eligible: eligible,
		OpenedAt: at("opened_at"), ClosesAt: at("closes_at"), ClosedAt: at("closed_at"),
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
