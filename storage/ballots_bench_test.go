package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// BenchmarkCastVote measures one cast, a change of mind every time: the
// compare-and-set costs two script runs then, the worst ordinary case.
func BenchmarkCastVote(b *testing.B) {
	ctx := context.Background()
	spec := chooseBallot(true)
	voters := benchBallotVoters(1000)
	s, _ := openBallotStore(b, spec, voters, time.Time{})
	i := 0
	for b.Loop() {
		v := ballotPicks(ballotCandidates[(i+i/len(voters))%len(ballotCandidates)]) // never the voter's stored vote
		if _, err := s.CastVote(ctx, ballotRef, spec.ID, 1, voters[i%len(voters)], v, ballotSecret, spec); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCounters reads a tally's counters after 10 and after 100,000
// ballots: the time must not grow with the ballots, since a tally reads one
// hash whose size is set by the candidates.
func BenchmarkCounters(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("ballots=%d", n), func(b *testing.B) {
			ctx := context.Background()
			spec := chooseBallot(true)
			voters := benchBallotVoters(n)
			s, _ := openBallotStore(b, spec, voters, time.Time{})
			castAllBallots(b, s, spec, voters)
			for b.Loop() {
				c, err := s.Counters(ctx, ballotRef, spec.ID, 1)
				if err != nil {
					b.Fatal(err)
				}
				if c.Ballots != n {
					b.Fatalf("%d ballots counted; want %d", c.Ballots, n)
				}
			}
		})
	}
}

func benchBallotVoters(n int) []string {
	voters := make([]string, n)
	for i := range voters {
		voters[i] = fmt.Sprint(1_000_000 + i)
	}
	return voters
}

// castAllBallots casts one ballot per voter through the real CastVote, 64 at a
// time: the setup goes through the same script a vote does, so the round
// is exactly what 100,000 delegates would leave.
func castAllBallots(b *testing.B, s *storage.Store, spec domain.BallotSpec, voters []string) {
	b.Helper()
	ctx := context.Background()
	next := make(chan int)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for i := range next {
				v := ballotPicks(ballotCandidates[i%len(ballotCandidates)], ballotCandidates[(i+1)%len(ballotCandidates)])
				if _, err := s.CastVote(ctx, ballotRef, spec.ID, 1, voters[i], v, ballotSecret, spec); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range voters {
		next <- i
	}
	close(next)
	wg.Wait()
}
