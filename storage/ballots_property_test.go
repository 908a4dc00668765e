package storage_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// TestCastVoteProperty throws thousands of random casts at one round from
// many goroutines: changes of mind, duplicate deliveries (some of them at
// the same moment), and refused casts mixed in. Each voter's casts come
// from one goroutine in order (a person clicks one after another), so the
// model knows which ballot is last; the voters run in parallel. Afterwards
// the counters Redis kept, a recount of the stored contents and the model
// must agree, and so must the tallies made from them.
func TestCastVoteProperty(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	specs := map[string]domain.BallotSpec{
		"approve": approveBallot(true),
		"choose":  chooseBallot(true),
		"elect": {ID: "chair-2023", Kind: domain.KindElect, Voters: domain.VotersUnit,
			Threshold: domain.Threshold{Op: ">", Percent: 50, Of: domain.BaseValid}},
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runCastProperty(t, spec, rand.New(rand.NewPCG(seed, uint64(len(name)))))
		})
	}
}

func runCastProperty(t *testing.T, spec domain.BallotSpec, rng *rand.Rand) {
	const voterCount, castsPerVoter, workers = 60, 40, 12
	ctx := context.Background()
	voters := make([]string, voterCount)
	for i := range voters {
		voters[i] = fmt.Sprintf("U%03d", i)
	}
	s, _ := openBallotStore(t, spec, voters, time.Time{})

	// Each voter's script of casts, drawn up front so the goroutines need no
	// shared random source.
	scripts := make([][]domain.Vote, voterCount)
	for i := range scripts {
		for range 1 + rng.IntN(castsPerVoter) {
			scripts[i] = append(scripts[i], randomBallotVote(spec, rng))
		}
	}
	duplicates := make([][]bool, voterCount)
	for i := range duplicates {
		for range scripts[i] {
			duplicates[i] = append(duplicates[i], rng.IntN(4) == 0)
		}
	}

	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := castVoterScript(ctx, s, spec, voters[i], scripts[i], duplicates[i]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for i := range voterCount {
		next <- i
	}
	close(next)
	wg.Wait()
	if t.Failed() {
		return
	}

	var model domain.Counters
	for i := range scripts {
		model.Add(spec, scripts[i][len(scripts[i])-1], 1)
	}
	kept := mustBallotCounters(t, s, spec.ID, 1)
	recount, err := s.Recount(ctx, ballotRef, spec.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !kept.Equal(model) || !recount.Equal(model) || kept.Ballots != voterCount {
		t.Fatalf("counters disagree:\nkept    %+v\nrecount %+v\nmodel   %+v", kept, recount, model)
	}
	tally := func(c domain.Counters) domain.Result {
		r, err := domain.Tally(domain.TallyInput{Ballot: spec, Round: 1, Candidates: ballotCandidates, Counters: c,
			Members: voterCount, Present: voterCount})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if got, want := tally(kept), tally(model); !reflect.DeepEqual(got, want) {
		t.Fatalf("tally from Redis = %+v; from the model %+v", got, want)
	}
}

// castVoterScript casts one voter's ballots in order and checks what each cast
// reports. A duplicate is delivered twice at the same moment; now and then a
// refused cast (a mark for a non-candidate, an ineligible voter) is slipped
// in, which the final comparison proves changed nothing.
func castVoterScript(ctx context.Context, s *storage.Store, spec domain.BallotSpec, voter string, votes []domain.Vote, dup []bool) error {
	var previous string // the stored vote's encoding
	var receipt string
	for n, v := range votes {
		results := make([]storage.CastResult, 1, 2)
		errs := make([]error, 1, 2)
		if dup[n] {
			results, errs = results[:2], errs[:2]
			var wg sync.WaitGroup
			for k := range 2 {
				wg.Go(func() { results[k], errs[k] = s.CastVote(ctx, ballotRef, spec.ID, 1, voter, v, ballotSecret, spec) })
			}
			wg.Wait()
		} else {
			results[0], errs[0] = s.CastVote(ctx, ballotRef, spec.ID, 1, voter, v, ballotSecret, spec)
		}
		changed := 0
		for k := range results {
			if errs[k] != nil {
				return fmt.Errorf("%s cast %d: %w", voter, n, errs[k])
			}
			if results[k].Changed {
				changed++
				receipt = results[k].Receipt
			}
			if results[k].First != (previous == "" && results[k].Changed) {
				return fmt.Errorf("%s cast %d: First = %v after %q", voter, n, results[k].First, previous)
			}
		}
		wantChanged := 1
		if v.Encode() == previous {
			wantChanged = 0
		}
		if changed != wantChanged {
			return fmt.Errorf("%s cast %d: %d deliveries changed the ballot; want %d", voter, n, changed, wantChanged)
		}
		for k := range results {
			if results[k].Receipt != receipt {
				return fmt.Errorf("%s cast %d: receipts %q and %q for one ballot", voter, n, results[k].Receipt, receipt)
			}
		}
		previous = v.Encode()

		if n%7 == 3 {
			bad := domain.Vote{Picks: []string{"VP99"}}
			if spec.Kind == domain.KindApprove {
				bad = domain.Vote{Approve: map[string]domain.Choice{"VP99": domain.ChoiceYes}}
			}
			if _, err := s.CastVote(ctx, ballotRef, spec.ID, 1, voter, bad, ballotSecret, spec); !errors.Is(err, domain.ErrInvalid) {
				return fmt.Errorf("%s: a non-candidate was accepted: %v", voter, err)
			}
			if _, err := s.CastVote(ctx, ballotRef, spec.ID, 1, "GUEST-"+voter, v, ballotSecret, spec); !errors.Is(err, storage.ErrNotEligible) {
				return fmt.Errorf("an ineligible voter was accepted: %v", err)
			}
		}
	}
	return nil
}

// randomBallotVote draws a valid vote of spec's kind among candidates.
func randomBallotVote(spec domain.BallotSpec, rng *rand.Rand) domain.Vote {
	if spec.Kind == domain.KindApprove {
		v := domain.Vote{Approve: map[string]domain.Choice{}}
		marks := []domain.Choice{domain.ChoiceYes, domain.ChoiceNo, domain.ChoiceAbstain, ""}
		for _, code := range ballotCandidates {
			if mark := marks[rng.IntN(len(marks))]; mark != "" {
				v.Approve[code] = mark
			}
		}
		return v
	}
	order := rng.Perm(len(ballotCandidates))
	n := 1 + rng.IntN(domain.MaxPicks(spec))
	v := domain.Vote{}
	for _, i := range order[:n] {
		v.Picks = append(v.Picks, ballotCandidates[i])
	}
	return v
}
