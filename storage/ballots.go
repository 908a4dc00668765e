package storage

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// RoundInfo is one round of a ballot as stored (domain.RoundInfo).
type RoundInfo = domain.RoundInfo

// CastResult says what a cast did (domain.CastResult).
type CastResult = domain.CastResult

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
	// 16 raw bytes (128 bits) rather than 64 hex digits: a field per voter
	// per round, so its size is most of a ballot's memory in Redis.
	return string(mac.Sum(nil)[:16])
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
//
// Options store the round's rules and enqueue its notices in the same step.
func (s *Store) OpenBallot(ctx context.Context, ref string, spec domain.BallotSpec, round int, candidates, eligible []string, closesAt time.Time, secret []byte, opts ...RoundOption) error {
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
	x := extrasOf(opts)
	rules, err := jsonOrEmpty(x.rules)
	if err != nil {
		return fmt.Errorf("open ballot %s: encode rules: %w", spec.ID, err)
	}
	effect, err := effectArgs(x.effect)
	if err != nil {
		return err
	}
	args := make([]any, 0, 12+2*len(voters)+len(counters))
	args = append(args, round, string(spec.Kind), secretFlag, strings.Join(candidates, ","),
		s.now().UnixMilli(), unixMilli(closesAt), len(voters), len(counters), rules)
	args = append(args, effect...)
	for _, list := range [][]string{voters, fields, counters} {
		for _, v := range list {
			args = append(args, v)
		}
	}
	k := s.ballotKeys(ref, spec.ID, round)
	prev := s.ballotKeys(ref, spec.ID, round-1).state
	keys := append([]string{k.latest, k.state, k.eligible, k.contents, k.receipts, prev, k.counters}, s.scheduleKeys(ref)...)
	status, err := openBallotScript.Run(ctx, s.rdb, keys, args...).Text()
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
// call that closed it; a round never opened gives ErrBallotNotOpen. Options
// store the closing facts and enqueue the tally job in the same step, so
// the tally of a closed round is never lost.
func (s *Store) CloseBallot(ctx context.Context, ref, id string, round int, opts ...RoundOption) (bool, error) {
	k := s.ballotKeys(ref, id, round)
	x := extrasOf(opts)
	closing, err := jsonOrEmpty(x.closing)
	if err != nil {
		return false, fmt.Errorf("close ballot %s: encode closing facts: %w", id, err)
	}
	effect, err := effectArgs(x.effect)
	if err != nil {
		return false, err
	}
	args := append([]any{s.now().UnixMilli(), closing}, effect...)
	n, err := closeBallotScript.Run(ctx, s.rdb, append([]string{k.state}, s.scheduleKeys(ref)...), args...).Int()
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
	// First guess: the ballot this process last cast for the field, else
	// none; a wrong guess costs the script's 'stale' answer and a retry.
	stored, oldKeys := s.lastCast.get(field), []string(nil)
	if stored != "" {
		if old, err := domain.DecodeVote(stored); err == nil {
			oldKeys = old.CounterKeys(spec)
		} else {
			stored = ""
		}
	}
	for range maxCastAttempts {
		args := make([]any, 0, 8+len(oldKeys)+len(newKeys))
		args = append(args, s.now().UnixMilli(), string(spec.Kind), voterKey, field, stored, content, receipt, len(oldKeys))
		for _, key := range oldKeys {
			args = append(args, key)
		}
		for _, key := range newKeys {
			args = append(args, key)
		}
		res, err := s.evalDurable(ctx, castVoteScript, keys, args...).Slice() // a receipt follows
		if err != nil {
			return fail(err)
		}
		status, _ := res[0].(string)
		switch status {
		case "cast":
			s.lastCast.put(field, content)
			return CastResult{Receipt: res[1].(string), Changed: true, First: res[2].(int64) == 1,
				Voted: int(res[3].(int64)), Eligible: int(res[4].(int64))}, nil
		case "same":
			s.lastCast.put(field, content)
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

// maxCastGuesses bounds the casts remembered as CastVote's first guess.
const maxCastGuesses = 100_000

// castGuesses remembers, per HMAC field, the content this process last
// cast: the stored ballot a change of mind replaces, in most cases.
type castGuesses struct {
	mu sync.Mutex
	m  map[string]string
}

func (g *castGuesses) get(field string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.m[field]
}

func (g *castGuesses) put(field, content string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[string]string{}
	}
	if _, ok := g.m[field]; !ok && len(g.m) >= maxCastGuesses {
		for k := range g.m { // any one: a lost guess costs one retry
			delete(g.m, k)
			break
		}
	}
	g.m[field] = content
}
