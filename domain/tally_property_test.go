package domain_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/confbot/confbot/domain"
)

// TestTallyProperties casts thousands of random ballots, with changes of
// mind and duplicate deliveries, into counters kept the way storage keeps
// them (remove the old vote, add the new), and checks that they equal a
// recount from the final votes and that Tally agrees with a naive model.
func TestTallyProperties(t *testing.T) {
	const scenarios = 2000
	rng := rand.New(rand.NewPCG(2022, 1124))
	for s := range scenarios {
		seed1, seed2 := rng.Uint64(), rng.Uint64()
		t.Run(fmt.Sprintf("scenario-%d", s), func(t *testing.T) {
			runScenario(t, rand.New(rand.NewPCG(seed1, seed2)))
		})
	}
}

// scenario is one random ballot and its electorate.
type scenario struct {
	ballot     domain.BallotSpec
	candidates []string
	voters     []string // voter units, some of them candidates
	members    int
	present    int
	scores     map[string]float64
}

func randomScenario(rng *rand.Rand) scenario {
	kinds := []domain.BallotKind{domain.KindApprove, domain.KindChoose, domain.KindElect}
	ties := []domain.TieRule{"", domain.TieRevote, domain.TieScore, domain.TieChair}
	bases := []domain.ThresholdBase{domain.BaseMembers, domain.BasePresent, domain.BaseValid}
	percents := []int{0, 2500, 5000, 5000, 6667, 7500, 10000, rng.IntN(10001)} // hundredths
	ops := []string{">", ">="}

	var sc scenario
	n := 1 + rng.IntN(7)
	for i := range n {
		sc.candidates = append(sc.candidates, fmt.Sprintf("U%d", i))
	}
	m := 1 + rng.IntN(12)
	for i := range m {
		sc.voters = append(sc.voters, fmt.Sprintf("U%d", i))
	}
	sc.members = m + rng.IntN(3)
	sc.present = rng.IntN(sc.members + 1)
	sc.ballot = domain.BallotSpec{
		ID:         "p",
		Kind:       kinds[rng.IntN(len(kinds))],
		MaxChoices: 1 + rng.IntN(3),
		SelfVote:   rng.IntN(2) == 0,
		Threshold: domain.Threshold{Op: ops[rng.IntN(2)], Percent: float64(percents[rng.IntN(len(percents))]) / 100,
			Of: bases[rng.IntN(len(bases))]},
		Quota: rng.IntN(n + 1),
		Tie:   ties[rng.IntN(len(ties))],
	}
	sc.scores = map[string]float64{}
	for _, c := range sc.candidates {
		if rng.IntN(4) > 0 { // some units sent no score
			sc.scores[c] = float64(90 + rng.IntN(4)) // few values, so equal scores happen
		}
	}
	return sc
}

// randomVote makes a ballot that is valid more often than not.
func randomVote(rng *rand.Rand, sc scenario) domain.Vote {
	pool := append(slices.Clone(sc.candidates), "ZZ") // ZZ is never a candidate
	if sc.ballot.Kind == domain.KindApprove {
		if rng.IntN(30) == 0 {
			return domain.Vote{Picks: []string{sc.candidates[0]}} // wrong form
		}
		v := domain.Vote{Approve: map[string]domain.Choice{}}
		choices := []domain.Choice{domain.ChoiceYes, domain.ChoiceNo, domain.ChoiceAbstain, domain.ChoiceYes}
		for _, c := range sc.candidates {
			if rng.IntN(4) > 0 {
				v.Approve[c] = choices[rng.IntN(len(choices))]
			}
		}
		switch rng.IntN(40) {
		case 0:
			v.Approve["ZZ"] = domain.ChoiceYes
		case 1:
			v.Approve[sc.candidates[0]] = "maybe"
		}
		return v
	}
	var v domain.Vote
	for range rng.IntN(domain.MaxPicks(sc.ballot) + 2) {
		if rng.IntN(20) == 0 {
			v.Picks = append(v.Picks, pool[len(pool)-1])
		} else {
			v.Picks = append(v.Picks, sc.candidates[rng.IntN(len(sc.candidates))])
		}
	}
	return v
}

func runScenario(t *testing.T, rng *rand.Rand) {
	sc := randomScenario(rng)
	// stored is what storage keeps per voter: the encoded last valid vote.
	stored := map[string]string{}
	var counters domain.Counters
	type delivery struct {
		voter string
		vote  domain.Vote
	}
	var delivered []delivery
	for range 10 + rng.IntN(150) {
		d := delivery{voter: sc.voters[rng.IntN(len(sc.voters))], vote: randomVote(rng, sc)}
		if len(delivered) > 0 && rng.IntN(5) == 0 {
			d = delivered[rng.IntN(len(delivered))] // a duplicate update, possibly stale
		}
		delivered = append(delivered, d)
		if domain.ValidateVote(sc.ballot, sc.candidates, d.voter, d.vote) != nil {
			continue // refused: nothing changes
		}
		enc := d.vote.Encode()
		old, had := stored[d.voter]
		if had && old == enc {
			continue // the same ballot again
		}
		if had {
			oldVote, err := domain.DecodeVote(old)
			if err != nil {
				t.Fatalf("stored vote does not decode: %v", err)
			}
			counters.Add(sc.ballot, oldVote, -1)
		}
		counters.Add(sc.ballot, d.vote, +1)
		stored[d.voter] = enc
	}

	var recount domain.Counters
	final := map[string]domain.Vote{}
	for voter, enc := range stored {
		v, err := domain.DecodeVote(enc)
		if err != nil {
			t.Fatalf("stored vote does not decode: %v", err)
		}
		final[voter] = v
		recount.Add(sc.ballot, v, +1)
	}
	if !counters.Equal(recount) {
		t.Fatalf("incremental counters %+v differ from the recount %+v", counters, recount)
	}
	if back, err := domain.CountersFromHash(counters.Hash()); err != nil || !back.Equal(counters) {
		t.Fatalf("counters do not survive Hash/CountersFromHash: %+v, %v", back, err)
	}

	got, err := domain.Tally(domain.TallyInput{Ballot: sc.ballot, Round: 1, Candidates: sc.candidates, Counters: counters,
		Members: sc.members, Present: sc.present, Scores: sc.scores})
	if err != nil {
		t.Fatalf("Tally() error = %v", err)
	}
	want := naiveTally(sc, final)
	if !slices.Equal(got.Rows, want.Rows) {
		t.Fatalf("ballot %+v\nrows %+v\nwant %+v", sc.ballot, got.Rows, want.Rows)
	}
	if !slices.Equal(slices.Sorted(slices.Values(got.Awarded)), want.Awarded) || !slices.Equal(got.Tied, want.Tied) ||
		got.Seats != want.Seats || got.NeedsRevote != want.NeedsRevote || got.NeedsChair != want.NeedsChair ||
		got.Winner != want.Winner || got.Base != want.Base || got.Turnout != len(final) {
		t.Fatalf("ballot %+v\ngot  %+v\nwant %+v", sc.ballot, got, want)
	}
	votes := map[string]int{}
	for _, r := range got.Rows {
		votes[r.Candidate] = r.Votes
	}
	if !slices.IsSortedFunc(got.Awarded, func(a, b string) int { return votes[b] - votes[a] }) {
		t.Fatalf("awarded %v is not ranked by votes %v", got.Awarded, votes)
	}
}

// naiveTally recomputes a result straight from the final votes, with its
// own arithmetic and its own reading of the quota: a candidate is in when at
// most quota passed candidates have at least its votes, tied when fewer
// than quota have more and more than quota have at least as many. Awarded
// comes back sorted.
func naiveTally(sc scenario, final map[string]domain.Vote) domain.Result {
	b := sc.ballot
	res := domain.Result{Ballot: b.ID, Round: 1}
	switch b.Threshold.Of {
	case domain.BaseMembers:
		res.Base = sc.members
	case domain.BasePresent:
		res.Base = sc.present
	case domain.BaseValid:
		res.Base = len(final)
	}
	need := big.NewRat(int64(b.Threshold.Percent*100+0.5), 1)
	var passed []string
	count := map[string]int{}
	for _, c := range sc.candidates {
		row := domain.Row{Candidate: c}
		for _, v := range final {
			if b.Kind == domain.KindApprove {
				switch v.Approve[c] {
				case domain.ChoiceYes:
					row.Yes++
				case domain.ChoiceNo:
					row.No++
				default: // unmarked or abstain
					row.Abstain++
				}
			} else if slices.Contains(v.Picks, c) {
				row.Votes++
			}
		}
		if b.Kind == domain.KindApprove {
			row.Votes = row.Yes
		}
		if res.Base > 0 {
			// Hundredths of a percent, rounded half up: floor(votes·10000/base + 1/2).
			x := new(big.Rat).SetFrac64(int64(row.Votes)*10000, int64(res.Base))
			x.Add(x, big.NewRat(1, 2))
			pct := new(big.Int).Quo(x.Num(), x.Denom()) // both positive: truncation is floor
			row.Percent = float64(pct.Int64()) / 100
			cmp := new(big.Rat).SetInt(pct).Cmp(need)
			row.Passed = cmp > 0 || (cmp == 0 && b.Threshold.Op == ">=")
		}
		if row.Passed {
			passed = append(passed, c)
			count[c] = row.Votes
		}
		res.Rows = append(res.Rows, row)
	}
	quota := b.Quota
	if b.Kind == domain.KindElect {
		quota = 1
	}
	if quota <= 0 || quota > len(passed) {
		quota = len(passed)
	}
	in, tied := rankCut(passed, count, quota)
	seats := quota - len(in)
	if len(tied) > 0 {
		switch b.Tie {
		case domain.TieScore:
			score := map[string]int{}
			for _, c := range tied {
				score[c] = int(sc.scores[c]) // the scenario's scores are whole numbers
			}
			byScore, still := rankCut(tied, score, seats)
			in = append(in, byScore...)
			seats -= len(byScore)
			tied = still
			res.NeedsRevote = len(still) > 0
		case domain.TieChair:
			res.NeedsChair = true
		default:
			res.NeedsRevote = true
		}
	}
	if len(tied) > 0 {
		res.Tied, res.Seats = tied, seats
	}
	for i := range res.Rows {
		res.Rows[i].Awarded = slices.Contains(in, res.Rows[i].Candidate)
		res.Rows[i].Tied = slices.Contains(res.Tied, res.Rows[i].Candidate)
	}
	res.Awarded = slices.Sorted(slices.Values(in))
	if b.Kind == domain.KindElect && len(in) == 1 {
		res.Winner = in[0]
	}
	return res
}

// rankCut splits who (in candidate order) by value for quota places: those
// surely in, and those tied at the edge.
func rankCut(who []string, value map[string]int, quota int) (in, tied []string) {
	for _, c := range who {
		above, atLeast := 0, 0
		for _, o := range who {
			if value[o] > value[c] {
				above++
			}
			if value[o] >= value[c] {
				atLeast++
			}
		}
		switch {
		case atLeast <= quota:
			in = append(in, c)
		case above < quota:
			tied = append(tied, c)
		}
	}
	return in, tied
}
