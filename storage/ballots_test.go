package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

const ballotRef = "cum8/tk-2022"

var (
	ballotSecret = []byte("test-ballot-secret-0123456789abcdef")
	ballotT0     = time.Date(2022, 12, 20, 9, 0, 0, 0, time.UTC)
)

// ballotClock is a settable clock for the store.
type ballotClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *ballotClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *ballotClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

func approveBallot(secret bool) domain.BallotSpec {
	return domain.BallotSpec{ID: "co-bca", Kind: domain.KindApprove, Voters: domain.VotersUnit, Secret: secret,
		Threshold: domain.Threshold{Op: ">", Percent: 50, Of: domain.BaseMembers}, Quota: 2, Tie: domain.TieRevote}
}

func chooseBallot(secret bool) domain.BallotSpec {
	return domain.BallotSpec{ID: "bang-khen", Kind: domain.KindChoose, MaxChoices: 2, Voters: domain.VotersDelegate,
		Secret: secret, Threshold: domain.Threshold{Op: ">=", Percent: 50, Of: domain.BaseValid}, Quota: 2}
}

var (
	ballotCandidates = []string{"CNTT", "KHTC", "TTRA", "HCQT"}
	ballotUnits      = []string{"CNTT", "KHTC", "TTRA", "HCQT", "VP01", "VP02"}
)

func ballotYes(codes ...string) domain.Vote {
	v := domain.Vote{Approve: map[string]domain.Choice{}}
	for _, c := range codes {
		v.Approve[c] = domain.ChoiceYes
	}
	return v
}

func ballotPicks(codes ...string) domain.Vote { return domain.Vote{Picks: codes} }

// openBallotStore gives a store on a fake clock with spec's round 1 open.
func openBallotStore(t testing.TB, spec domain.BallotSpec, eligible []string, closesAt time.Time) (*storage.Store, *ballotClock) {
	t.Helper()
	clock := &ballotClock{now: ballotT0}
	s := storagetest.Store(t, storage.WithClock(clock.Now))
	if err := s.OpenBallot(context.Background(), ballotRef, spec, 1, ballotCandidates, eligible, closesAt, ballotSecret); err != nil {
		t.Fatalf("OpenBallot: %v", err)
	}
	return s, clock
}

func mustBallotCounters(t testing.TB, s *storage.Store, id string, round int) domain.Counters {
	t.Helper()
	c, err := s.Counters(context.Background(), ballotRef, id, round)
	if err != nil {
		t.Fatalf("Counters: %v", err)
	}
	return c
}

func ballotCounters(spec domain.BallotSpec, votes ...domain.Vote) domain.Counters {
	var c domain.Counters
	for _, v := range votes {
		c.Add(spec, v, 1)
	}
	return c
}

func TestCastVoteChangeAndDuplicate(t *testing.T) {
	ctx := context.Background()
	spec := approveBallot(true)
	s, _ := openBallotStore(t, spec, ballotUnits, time.Time{})
	cast := func(voter string, v domain.Vote) storage.CastResult {
		t.Helper()
		res, err := s.CastVote(ctx, ballotRef, spec.ID, 1, voter, v, ballotSecret, spec)
		if err != nil {
			t.Fatalf("CastVote(%s): %v", voter, err)
		}
		return res
	}

	first := cast("VP01", ballotYes("CNTT", "KHTC"))
	if !first.Changed || !first.First || first.Voted != 1 || first.Eligible != len(ballotUnits) || len(first.Receipt) != 9 {
		t.Fatalf("first cast = %+v", first)
	}
	dup := cast("VP01", ballotYes("KHTC", "CNTT"))
	if dup.Changed || dup.First || dup.Receipt != first.Receipt {
		t.Fatalf("duplicate delivery = %+v; want unchanged with receipt %s", dup, first.Receipt)
	}
	changed := cast("VP01", ballotYes("TTRA"))
	if !changed.Changed || changed.First || changed.Voted != 1 || changed.Receipt == first.Receipt {
		t.Fatalf("change of mind = %+v", changed)
	}
	cast("VP02", domain.Vote{}) // no marks: a ballot of abstentions

	want := ballotCounters(spec, ballotYes("TTRA"), domain.Vote{Approve: map[string]domain.Choice{}})
	if got := mustBallotCounters(t, s, spec.ID, 1); !got.Equal(want) {
		t.Fatalf("Counters = %+v; want %+v", got, want)
	}
	if got, err := s.Recount(ctx, ballotRef, spec.ID, 1); err != nil || !got.Equal(want) {
		t.Fatalf("Recount = %+v, %v; want %+v", got, err, want)
	}
	if voted, eligible, err := s.Turnout(ctx, ballotRef, spec.ID, 1); err != nil || voted != 2 || eligible != 6 {
		t.Fatalf("Turnout = %d/%d, %v; want 2/6", voted, eligible, err)
	}
	if got, ok, err := s.VoterReceipt(ctx, ballotRef, spec.ID, 1, "VP01", ballotSecret); err != nil || !ok || got != changed.Receipt {
		t.Fatalf("VoterReceipt = %q, %v, %v; want %q", got, ok, err, changed.Receipt)
	}
	if _, ok, err := s.VoterReceipt(ctx, ballotRef, spec.ID, 1, "CNTT", ballotSecret); err != nil || ok {
		t.Fatalf("VoterReceipt of a non-voter = %v, %v; want none", ok, err)
	}
	if got, ok, err := s.VoterVote(ctx, ballotRef, spec.ID, 1, "VP01", ballotSecret); err != nil || !ok || got.Encode() != ballotYes("TTRA").Encode() {
		t.Fatalf("VoterVote = %v, %v, %v", got, ok, err)
	}
}

func TestCastVoteRefusalsChangeNothing(t *testing.T) {
	spec := approveBallot(true)
	closesAt := ballotT0.Add(time.Hour)
	tests := []struct {
		name  string
		setup func(*storage.Store, *ballotClock) // before the cast
		voter string
		vote  domain.Vote
		spec  domain.BallotSpec
		round int
		key   []byte
		want  error
	}{
		{name: "not eligible", voter: "GUEST1", want: storage.ErrNotEligible},
		{name: "not eligible is forbidden", voter: "GUEST1", want: domain.ErrForbidden},
		{name: "round not opened", round: 2, want: storage.ErrBallotNotOpen},
		{name: "other ballot", spec: chooseBallot(true), vote: ballotPicks("CNTT"), want: storage.ErrBallotNotOpen},
		{name: "closed", setup: func(s *storage.Store, _ *ballotClock) {
			if _, err := s.CloseBallot(context.Background(), ballotRef, spec.ID, 1); err != nil {
				panic(err)
			}
		}, want: storage.ErrBallotClosed},
		{name: "past closing time", setup: func(_ *storage.Store, c *ballotClock) { c.Set(closesAt) }, want: storage.ErrBallotClosed},
		{name: "not a candidate", vote: ballotYes("VP02"), want: domain.ErrInvalid},
		{name: "wrong form", vote: ballotPicks("CNTT"), want: domain.ErrInvalid},
		{name: "spec of another kind", spec: func() domain.BallotSpec { b := chooseBallot(true); b.ID = spec.ID; return b }(),
			vote: ballotPicks("CNTT"), want: domain.ErrInvalid},
		{name: "another secret", key: []byte("another-secret"), want: storage.ErrBallotSecretChanged},
		{name: "empty secret", key: []byte{}, want: domain.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, clock := openBallotStore(t, spec, ballotUnits, closesAt)
			// VP02's earlier ballot must survive every refusal untouched.
			before, err := s.CastVote(ctx, ballotRef, spec.ID, 1, "VP02", ballotYes("KHTC"), ballotSecret, spec)
			if err != nil {
				t.Fatal(err)
			}
			if tc.setup != nil {
				tc.setup(s, clock)
			}
			voter, vote, b, round, key := "VP02", ballotYes("CNTT"), spec, 1, ballotSecret
			if tc.voter != "" {
				voter = tc.voter
			}
			if tc.vote.Approve != nil || tc.vote.Picks != nil {
				vote = tc.vote
			}
			if tc.spec.ID != "" {
				b = tc.spec
			}
			if tc.round != 0 {
				round = tc.round
			}
			if tc.key != nil {
				key = tc.key
			}
			_, err = s.CastVote(ctx, ballotRef, b.ID, round, voter, vote, key, b)
			if !errors.Is(err, tc.want) {
				t.Fatalf("CastVote error = %v; want %v", err, tc.want)
			}
			if want := ballotCounters(spec, ballotYes("KHTC")); !mustBallotCounters(t, s, spec.ID, 1).Equal(want) {
				t.Fatalf("counters changed by a refused cast")
			}
			if got, _, _ := s.VoterReceipt(ctx, ballotRef, spec.ID, 1, "VP02", ballotSecret); got != before.Receipt {
				t.Fatalf("receipt changed by a refused cast")
			}
			if voted, _, _ := s.Turnout(ctx, ballotRef, spec.ID, 1); voted != 1 {
				t.Fatalf("turnout changed by a refused cast: %d", voted)
			}
		})
	}
}

// TestBallotStorageKeepsVotersApartFromContents reads the raw keys: no key
// name, content field or receipt field may carry a voter's identity.
func TestBallotStorageKeepsVotersApartFromContents(t *testing.T) {
	ctx := context.Background()
	spec := chooseBallot(true)
	voters := []string{"700001", "700002", "700003", "700004", "700005"}
	s, _ := openBallotStore(t, spec, voters, time.Time{})
	for i, voter := range []string{"700004", "700001", "700005", "700002"} {
		if _, err := s.CastVote(ctx, ballotRef, spec.ID, 1, voter, ballotPicks(ballotCandidates[i%len(ballotCandidates)]), ballotSecret, spec); err != nil {
			t.Fatal(err)
		}
	}
	rdb := s.Client()
	var keys []string
	for _, part := range []string{"latest", "r1:state", "r1:eligible", "r1:voted", "r1:contents", "r1:receipts", "r1:counters"} {
		key := s.Prefix() + ":{" + ballotRef + "}:ballot:" + spec.ID + ":" + part
		if n, err := rdb.Exists(ctx, key).Result(); err != nil || n != 1 {
			t.Fatalf("key %s missing (%v)", key, err)
		}
		keys = append(keys, key)
	}
	if n, _ := rdb.Exists(ctx, s.Prefix()+":{"+ballotRef+"}:ballot:"+spec.ID+":r1:named").Result(); n != 0 {
		t.Fatal("a secret ballot keeps named votes")
	}
	for _, key := range keys {
		for _, voter := range voters {
			if strings.Contains(key, voter) {
				t.Errorf("key %s names voter %s", key, voter)
			}
		}
	}
	for _, part := range []string{"contents", "receipts"} {
		h, err := rdb.HGetAll(ctx, s.Prefix()+":{"+ballotRef+"}:ballot:"+spec.ID+":r1:"+part).Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != len(voters) {
			t.Errorf("%s has %d fields; want one per eligible voter (%d)", part, len(h), len(voters))
		}
		for field, val := range h {
			for _, voter := range voters {
				if strings.Contains(field, voter) || strings.Contains(val, voter) {
					t.Errorf("%s field %s = %q names voter %s", part, field, val, voter)
				}
			}
		}
	}
	// Every hash a cast writes keeps the order it had at opening (sorted
	// HMACs, sorted counter names), whatever order people voted in.
	for _, part := range []string{"contents", "receipts", "counters"} {
		fields, _ := rdb.HKeys(ctx, s.Prefix()+":{"+ballotRef+"}:ballot:"+spec.ID+":r1:"+part).Result()
		if !slices.IsSorted(fields) {
			t.Errorf("%s fields %v are in cast order, not the order fixed at opening", part, fields)
		}
	}
}

func TestConcurrentCastsOfOneUnitLeaveOneBallot(t *testing.T) {
	ctx := context.Background()
	spec := approveBallot(true)
	s, _ := openBallotStore(t, spec, ballotUnits, time.Time{})
	votes := []domain.Vote{ballotYes("CNTT"), ballotYes("KHTC"), ballotYes("CNTT", "TTRA"), {Approve: map[string]domain.Choice{"HCQT": domain.ChoiceNo}}}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			_, err := s.CastVote(ctx, ballotRef, spec.ID, 1, "VP01", votes[i%len(votes)], ballotSecret, spec)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	last, ok, err := s.VoterVote(ctx, ballotRef, spec.ID, 1, "VP01", ballotSecret)
	if err != nil || !ok {
		t.Fatalf("VoterVote = %v, %v", ok, err)
	}
	want := ballotCounters(spec, last)
	if got := mustBallotCounters(t, s, spec.ID, 1); !got.Equal(want) || got.Ballots != 1 {
		t.Fatalf("Counters = %+v; want exactly the last ballot %+v", got, want)
	}
	if got, _ := s.Recount(ctx, ballotRef, spec.ID, 1); !got.Equal(want) {
		t.Fatalf("Recount = %+v; want %+v", got, want)
	}
	if voted, _, _ := s.Turnout(ctx, ballotRef, spec.ID, 1); voted != 1 {
		t.Fatalf("turnout = %d; want 1", voted)
	}
}

func TestManyVotersAtOnceCountersEqualRecount(t *testing.T) {
	ctx := context.Background()
	spec := chooseBallot(true)
	voters := make([]string, 200)
	for i := range voters {
		voters[i] = fmt.Sprint(800000 + i)
	}
	s, _ := openBallotStore(t, spec, voters, time.Time{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var want domain.Counters
	for i, voter := range voters {
		wg.Go(func() {
			v := ballotPicks(ballotCandidates[i%4], ballotCandidates[(i/4)%4])
			if v.Picks[0] == v.Picks[1] {
				v.Picks = v.Picks[:1]
			}
			if _, err := s.CastVote(ctx, ballotRef, spec.ID, 1, voter, v, ballotSecret, spec); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			want.Add(spec, v, 1)
			mu.Unlock()
		})
	}
	wg.Wait()
	got := mustBallotCounters(t, s, spec.ID, 1)
	if !got.Equal(want) || got.Ballots != 200 {
		t.Fatalf("Counters = %+v; want %+v", got, want)
	}
	if re, err := s.Recount(ctx, ballotRef, spec.ID, 1); err != nil || !re.Equal(got) {
		t.Fatalf("Recount = %+v, %v; want %+v", re, err, got)
	}
}

func TestCloseBallotOnlyOnceAmongConcurrentClosers(t *testing.T) {
	ctx := context.Background()
	spec := approveBallot(true)
	s, _ := openBallotStore(t, spec, ballotUnits, time.Time{})
	var wg sync.WaitGroup
	closed := make(chan bool, 10)
	for range 10 {
		wg.Go(func() {
			ok, err := s.CloseBallot(ctx, ballotRef, spec.ID, 1)
			if err != nil {
				t.Error(err)
			}
			closed <- ok
		})
	}
	wg.Wait()
	close(closed)
	winners := 0
	for ok := range closed {
		if ok {
			winners++
		}
	}
	if winners != 1 {
		t.Fatalf("%d closers got true; want exactly 1", winners)
	}
	if again, err := s.CloseBallot(ctx, ballotRef, spec.ID, 1); err != nil || again {
		t.Fatalf("closing again = %v, %v; want false, nil", again, err)
	}
	if _, err := s.CloseBallot(ctx, ballotRef, spec.ID, 2); !errors.Is(err, storage.ErrBallotNotOpen) {
		t.Fatalf("closing a round never opened: %v; want ErrBallotNotOpen", err)
	}
	info, err := s.BallotRound(ctx, ballotRef, spec.ID)
	if err != nil || info.State != domain.BallotClosed || !info.ClosedAt.Equal(ballotT0) {
		t.Fatalf("BallotRound = %+v, %v", info, err)
	}
}

func TestReceiptsArePublishedOnlyAfterClosing(t *testing.T) {
	ctx := context.Background()
	spec := approveBallot(true)
	s, _ := openBallotStore(t, spec, ballotUnits, time.Time{})
	var want []string
	for i, voter := range []string{"VP01", "VP02", "KHTC"} {
		res, err := s.CastVote(ctx, ballotRef, spec.ID, 1, voter, ballotYes(ballotCandidates[i]), ballotSecret, spec)
		if err != nil {
			t.Fatal(err)
		}
		if voter == "VP02" { // changes their mind: only the last receipt is counted
			if res, err = s.CastVote(ctx, ballotRef, spec.ID, 1, voter, ballotYes("HCQT"), ballotSecret, spec); err != nil {
				t.Fatal(err)
			}
		}
		want = append(want, res.Receipt)
	}
	if _, err := s.Receipts(ctx, ballotRef, spec.ID, 1); !errors.Is(err, storage.ErrBallotOpen) {
		t.Fatalf("Receipts while open: %v; want ErrBallotOpen", err)
	}
	if _, err := s.CloseBallot(ctx, ballotRef, spec.ID, 1); err != nil {
		t.Fatal(err)
	}
	got, err := s.Receipts(ctx, ballotRef, spec.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Receipts = %v; want %v", got, want)
	}
	if voted, err := s.Voted(ctx, ballotRef, spec.ID, 1); err != nil || !slices.Equal(voted, []string{"KHTC", "VP01", "VP02"}) {
		t.Fatalf("Voted = %v, %v", voted, err)
	}
}

func TestRevoteOpensANewRoundAndKeepsTheOld(t *testing.T) {
	ctx := context.Background()
	spec := approveBallot(true)
	s, clock := openBallotStore(t, spec, ballotUnits, time.Time{})
	if _, err := s.CastVote(ctx, ballotRef, spec.ID, 1, "VP01", ballotYes("CNTT", "KHTC"), ballotSecret, spec); err != nil {
		t.Fatal(err)
	}
	open := func(round int, cands []string) error {
		return s.OpenBallot(ctx, ballotRef, spec, round, cands, ballotUnits, clock.Now().Add(time.Hour), ballotSecret)
	}
	if err := open(2, []string{"CNTT", "KHTC"}); !errors.Is(err, domain.ErrIllegalState) {
		t.Fatalf("round 2 while round 1 is open: %v; want ErrIllegalState", err)
	}
	if _, err := s.CloseBallot(ctx, ballotRef, spec.ID, 1); err != nil {
		t.Fatal(err)
	}
	for name, round := range map[string]int{"reopen round 1": 1, "skip to round 3": 3} {
		if err := open(round, ballotCandidates); !errors.Is(err, domain.ErrIllegalState) {
			t.Fatalf("%s: %v; want ErrIllegalState", name, err)
		}
	}
	clock.Set(ballotT0.Add(10 * time.Minute))
	if err := open(2, []string{"CNTT", "KHTC"}); err != nil {
		t.Fatal(err)
	}
	info, err := s.BallotRound(ctx, ballotRef, spec.ID)
	if err != nil || info.Round != 2 || info.State != domain.BallotOpen || !slices.Equal(info.Candidates, []string{"CNTT", "KHTC"}) ||
		!info.OpenedAt.Equal(ballotT0.Add(10*time.Minute)) || !info.ClosesAt.Equal(ballotT0.Add(70*time.Minute)) {
		t.Fatalf("BallotRound = %+v, %v", info, err)
	}
	if _, err := s.CastVote(ctx, ballotRef, spec.ID, 2, "VP01", ballotYes("TTRA"), ballotSecret, spec); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a mark for a candidate not in the revote: %v; want ErrInvalid", err)
	}
	if _, err := s.CastVote(ctx, ballotRef, spec.ID, 2, "VP01", ballotYes("KHTC"), ballotSecret, spec); err != nil {
		t.Fatal(err)
	}
	if got, want := mustBallotCounters(t, s, spec.ID, 1), ballotCounters(spec, ballotYes("CNTT", "KHTC")); !got.Equal(want) {
		t.Fatalf("round 1 counters = %+v; want %+v (kept)", got, want)
	}
	if got, want := mustBallotCounters(t, s, spec.ID, 2), ballotCounters(spec, ballotYes("KHTC")); !got.Equal(want) {
		t.Fatalf("round 2 counters = %+v; want %+v", got, want)
	}
	clock.Set(ballotT0.Add(70 * time.Minute))
	if info, _ := s.BallotRound(ctx, ballotRef, spec.ID); !info.Due(clock.Now()) {
		t.Fatal("round 2 is not due at its closing time")
	}
	if _, err := s.BallotRoundAt(ctx, ballotRef, spec.ID, 3); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("BallotRoundAt(3): %v; want ErrNotFound", err)
	}
}

func TestBallotRoundOfANeverOpenedBallotIsDraft(t *testing.T) {
	s := storagetest.Store(t)
	info, err := s.BallotRound(context.Background(), ballotRef, "co-bca")
	if err != nil || info.State != domain.BallotDraft || info.Round != 0 {
		t.Fatalf("BallotRound = %+v, %v; want draft round 0", info, err)
	}
	if _, _, err := s.Turnout(context.Background(), ballotRef, "co-bca", 1); !errors.Is(err, storage.ErrBallotNotOpen) {
		t.Fatalf("Turnout: %v; want ErrBallotNotOpen", err)
	}
	if _, err := s.Counters(context.Background(), ballotRef, "co-bca", 1); !errors.Is(err, storage.ErrBallotNotOpen) {
		t.Fatalf("Counters: %v; want ErrBallotNotOpen", err)
	}
}

func TestNamedVotesOnlyForNamedBallots(t *testing.T) {
	ctx := context.Background()
	named := chooseBallot(false)
	s, _ := openBallotStore(t, named, []string{"1", "2", "3"}, time.Time{})
	for voter, v := range map[string]domain.Vote{"1": ballotPicks("CNTT"), "2": ballotPicks("KHTC", "CNTT")} {
		if _, err := s.CastVote(ctx, ballotRef, named.ID, 1, voter, v, ballotSecret, named); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CastVote(ctx, ballotRef, named.ID, 1, "1", ballotPicks("HCQT"), ballotSecret, named); err != nil {
		t.Fatal(err)
	}
	got, err := s.NamedVotes(ctx, ballotRef, named.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["1"].Encode() != "p:HCQT" || got["2"].Encode() != "p:CNTT,KHTC" {
		t.Fatalf("NamedVotes = %v", got)
	}

	secret := approveBallot(true)
	if err := s.OpenBallot(ctx, ballotRef, secret, 1, ballotCandidates, ballotUnits, time.Time{}, ballotSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NamedVotes(ctx, ballotRef, secret.ID, 1); !errors.Is(err, storage.ErrSecretBallot) {
		t.Fatalf("NamedVotes of a secret ballot: %v; want ErrSecretBallot", err)
	}
}

func TestOpenBallotRefusesBadInput(t *testing.T) {
	spec := approveBallot(true)
	tests := []struct {
		name       string
		round      int
		candidates []string
		eligible   []string
		secret     []byte
	}{
		{name: "round 0", round: 0, candidates: ballotCandidates, eligible: ballotUnits, secret: ballotSecret},
		{name: "no candidates", round: 1, eligible: ballotUnits, secret: ballotSecret},
		{name: "no voters", round: 1, candidates: ballotCandidates, secret: ballotSecret},
		{name: "no secret", round: 1, candidates: ballotCandidates, eligible: ballotUnits},
		{name: "comma in a code", round: 1, candidates: []string{"A,B"}, eligible: ballotUnits, secret: ballotSecret},
		{name: "a candidate twice", round: 1, candidates: []string{"CNTT", "CNTT"}, eligible: ballotUnits, secret: ballotSecret},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := storagetest.Store(t)
			err := s.OpenBallot(context.Background(), ballotRef, spec, tc.round, tc.candidates, tc.eligible, time.Time{}, tc.secret)
			if !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("OpenBallot: %v; want ErrInvalid", err)
			}
		})
	}
}
