package bench

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// TallyResult is the cost of tallying one round after Ballots were cast,
// and the Redis memory the round takes.
type TallyResult struct {
	Ballots  int
	PerTally time.Duration // store.Counters + domain.Tally, mean of Iterations
	// Iterations tallies were timed.
	Iterations int
	// OpenBytes is MEMORY USAGE summed over the round's keys right after
	// it opened (the eligible roll and each voter's pre-created field);
	// CastBytes the same after every ballot was cast.
	OpenBytes, CastBytes int64
	// Keys is CastBytes by key (the prefix cut off), to see where it goes.
	Keys map[string]int64
	// UsedMemoryDelta is INFO used_memory after the casts minus before the
	// round opened (the whole server, allocator overhead included).
	UsedMemoryDelta int64
}

// PerBallot is the round's whole footprint over the ballots cast (opening
// included: every eligible voter costs it).
func (r TallyResult) PerBallot() float64 { return float64(r.CastBytes) / float64(r.Ballots) }

// CastOnly is what casting adds per ballot, the opened round aside.
func (r TallyResult) CastOnly() float64 { return float64(r.CastBytes-r.OpenBytes) / float64(r.Ballots) }

// String formats the result for people.
func (r TallyResult) String() string {
	return fmt.Sprintf("tally at %d ballots: %v each (mean of %d); redis %.0f B/ballot (round keys; %.0f B of it from casting; used_memory Δ %.0f B/ballot)",
		r.Ballots, r.PerTally, r.Iterations, r.PerBallot(), r.CastOnly(), float64(r.UsedMemoryDelta)/float64(r.Ballots))
}

var tallySpec = domain.BallotSpec{ID: "khen", Title: "Khen thưởng", Kind: domain.KindApprove, Voters: domain.VotersDelegate,
	Secret: true, Threshold: domain.Threshold{Op: ">", Percent: 50, Of: domain.BaseValid}, Quota: 1}

// Tally opens a round for n voters in Redis, casts n ballots through the
// real cast script (64 at a time), then times iterations tallies the way
// /tally computes one: the round's counters read from Redis and
// domain.Tally over them. It also measures the round's Redis footprint.
func Tally(ctx context.Context, redisURL string, n, iterations int) (TallyResult, error) {
	prefix := "bench:" + randomHex()
	store, err := storage.Open(ctx, storage.Options{URL: redisURL, Prefix: prefix})
	if err != nil {
		return TallyResult{}, fmt.Errorf("open redis: %w", err)
	}
	defer func() { deletePrefix(store, prefix); _ = store.Close() }()
	ballotSecret := []byte(secret)
	candidates := []string{"A", "B", "C", "D"}
	voters := make([]string, n)
	for i := range voters {
		voters[i] = strconv.Itoa(1_000_000 + i)
	}
	usedBefore, err := usedMemory(ctx, store)
	if err != nil {
		return TallyResult{}, err
	}
	if err := store.OpenBallot(ctx, confRef, tallySpec, 1, candidates, voters, time.Time{}, ballotSecret); err != nil {
		return TallyResult{}, fmt.Errorf("open ballot: %w", err)
	}
	res := TallyResult{Ballots: n, Iterations: iterations}
	if res.OpenBytes, _, err = keyBytes(ctx, store, prefix); err != nil {
		return TallyResult{}, err
	}
	if err := castAll(ctx, store, voters, candidates, ballotSecret); err != nil {
		return TallyResult{}, err
	}
	if res.CastBytes, res.Keys, err = keyBytes(ctx, store, prefix); err != nil {
		return TallyResult{}, err
	}
	usedAfter, err := usedMemory(ctx, store)
	if err != nil {
		return TallyResult{}, err
	}
	res.UsedMemoryDelta = usedAfter - usedBefore
	begun := time.Now()
	for range iterations {
		counters, err := store.Counters(ctx, confRef, tallySpec.ID, 1)
		if err != nil {
			return TallyResult{}, err
		}
		if counters.Ballots != n {
			return TallyResult{}, fmt.Errorf("tally: %d ballots counted, want %d", counters.Ballots, n)
		}
		if _, err := domain.Tally(domain.TallyInput{Ballot: tallySpec, Round: 1, Candidates: candidates,
			Counters: counters, Members: n}); err != nil {
			return TallyResult{}, err
		}
	}
	res.PerTally = time.Since(begun) / time.Duration(iterations)
	return res, nil
}

func castAll(ctx context.Context, store *storage.Store, voters, candidates []string, ballotSecret []byte) error {
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range 64 {
		wg.Go(func() {
			for i := range next {
				v := domain.Vote{Approve: map[string]domain.Choice{}}
				for j, c := range candidates {
					v.Approve[c] = []domain.Choice{domain.ChoiceYes, domain.ChoiceNo, domain.ChoiceAbstain}[(i+j)%3]
				}
				if _, err := store.CastVote(ctx, confRef, tallySpec.ID, 1, voters[i], v, ballotSecret, tallySpec); err != nil {
					mu.Lock()
					first = cmpOr(first, err)
					mu.Unlock()
				}
			}
		})
	}
	for i := range voters {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// keyBytes sums MEMORY USAGE (every element sampled) over the prefix's keys.
func keyBytes(ctx context.Context, store *storage.Store, prefix string) (int64, map[string]int64, error) {
	rdb := store.Client()
	var total int64
	keys := map[string]int64{}
	iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	for iter.Next(ctx) {
		n, err := rdb.MemoryUsage(ctx, iter.Val(), 0).Result()
		if err != nil {
			return 0, nil, fmt.Errorf("memory usage: %w", err)
		}
		total += n
		keys[strings.TrimPrefix(iter.Val(), prefix+":")] = n
	}
	return total, keys, iter.Err()
}

// usedMemory is INFO memory's used_memory.
func usedMemory(ctx context.Context, store *storage.Store) (int64, error) {
	info, err := store.Client().Info(ctx, "memory").Result()
	if err != nil {
		return 0, fmt.Errorf("info memory: %w", err)
	}
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, fmt.Errorf("info memory: no used_memory")
}
